#include <cmath>

#include "estimate/report.h"

namespace izde::estimate {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// JSON has no infinity; an unknown or infinite figure is null.
json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json ModelJson(const LoglinearFit& f, const LoglinearFit& chosen) {
  json m = {{"model", f.brackets},
            {"estimate", Number(f.estimate)},
            {"se", Number(f.se)},
            {"parameters", f.parameters},
            {"df", f.df},
            {"deviance", Number(f.deviance)},
            {"aic", Number(f.aic)},
            {"bic", Number(f.bic)},
            {"difference_from_chosen", Number(f.estimate - chosen.estimate)},
            {"unstable", f.unstable}};
  if (f.has_interval) {
    m["ci_low"] = Number(f.ci_low);
    m["ci_high"] = f.ci_high_unbounded ? json(nullptr) : Number(f.ci_high);
  }
  return m;
}

json LoglinearDetails(const EstimateReport& r) {
  const LoglinearResult& l = *r.loglinear;
  json d = {{"criterion", r.options.criterion == Criterion::kBic ? "bic" : "aic"},
            {"confidence", r.options.confidence},
            {"models_fitted", l.models_fitted},
            {"exhaustive", l.exhaustive},
            {"models_without_mle", l.no_mle.size()},
            {"ci_high_unbounded", r.ci_high_unbounded}};
  json models = json::array();
  const size_t shown = std::min<size_t>(l.ranked.size(), 1 + std::max(0, r.options.runner_ups));
  for (size_t i = 0; i < shown; ++i) models.push_back(ModelJson(l.ranked[i], l.ranked[0]));
  d["leading_models"] = models;
  if (!l.ranked.empty()) d["se"] = Number(l.ranked[0].se);
  return d;
}

json LcmcrDetails(const EstimateReport& r) {
  const LcmcrResult& l = *r.lcmcr;
  const EstimateOptions& o = r.options;
  return {{"classes", l.classes},
          {"chains", o.chains},
          {"burn_in", o.burn_in},
          {"samples_per_chain", o.samples},
          {"thinning", o.thinning},
          {"seed", o.seed},
          {"a_alpha", o.a_alpha},
          {"b_alpha", o.b_alpha},
          {"confidence", o.confidence},
          {"posterior_median", l.median},
          {"posterior_mean", l.mean},
          {"rhat", Number(l.rhat)},
          {"effective_samples", Number(l.effective_samples)}};
}

json DgaDetails(const EstimateReport& r) {
  const DgaResult& g = *r.dga;
  const EstimateOptions& o = r.options;
  json prior = o.prior == PopulationPrior::kInverseN
                   ? json{{"type", "1/N"}}
                   : json{{"type", "negative-binomial"}, {"a", o.prior_a}, {"b", o.prior_b}};
  json top = json::array();
  for (const DgaGraphSummary& s : g.top) {
    top.push_back({{"cliques", s.notation},
                   {"weight", s.weight},
                   {"median", s.median},
                   {"mode", s.mode},
                   {"bayes_estimate", s.bayes_estimate}});
  }
  json d = {{"delta", g.delta},
            {"prior_n", prior},
            {"confidence", o.confidence},
            {"min_missing", g.min_missing},
            {"max_missing", g.min_missing + static_cast<int64_t>(g.posterior.size()) - 1},
            {"graphs", g.graphs},
            {"posterior_median", g.median},
            {"posterior_mean", g.mean},
            {"posterior_mode", g.mode},
            {"bayes_estimate", g.bayes_estimate},
            {"top_graphs", top}};
  json sensitivity = json::array();
  for (const auto& [delta, median] : r.dga_delta_sensitivity) {
    sensitivity.push_back({{"delta", delta}, {"median", median}});
  }
  d["delta_sensitivity"] = sensitivity;
  return d;
}

}  // namespace

json ToJson(const EstimateReport& r) {
  json j;
  j["method"] = MethodName(r.method);
  j["lists"] = r.lists;
  j["n_observed"] = r.n_observed;
  j["estimate"] = Optional(r.estimate);
  j["ci_low"] = Optional(r.ci_low);
  j["ci_high"] = r.ci_high_unbounded ? json(nullptr) : Optional(r.ci_high);
  j["model"] = r.model;
  j["warnings"] = r.warnings;
  if (!r.strata.empty()) {
    json strata = json::array();
    for (const auto& [name, s] : r.strata) {
      json one = ToJson(s);
      one["stratum"] = name;
      strata.push_back(one);
    }
    j["details"] = {{"strata", strata}};
    return j;
  }
  if (r.loglinear) j["details"] = LoglinearDetails(r);
  if (r.lcmcr) j["details"] = LcmcrDetails(r);
  if (r.dga) j["details"] = DgaDetails(r);
  if (!j.contains("details")) j["details"] = json::object();
  return j;
}

}  // namespace izde::estimate
