#include "report/undocumented.h"

#include <cmath>
#include <sstream>

#include "estimate/report.h"
#include "identity/capture_lists.h"
#include "identity/vault_view.h"
#include "report/report_language.h"

namespace izde::report {
namespace {

// What CapturesFromVault reads (people, and the sources, events and testimonies that put
// them on lists), from what a report already holds.
identity::VaultView ViewOf(const Holdings& h) {
  identity::VaultView view;
  view.people.insert(h.people.begin(), h.people.end());
  for (const auto* m : {&h.events, &h.sources, &h.testimonies, &h.relations})
    view.records.insert(m->begin(), m->end());
  for (const auto& [_, d] : h.decisions) view.Note(d);
  return view;
}

std::string Interval(const UndocumentedEstimate& e) {
  return estimate::FormatCount(e.ci_low) + " to " +
         (e.ci_high_unbounded ? std::string("no upper bound") : estimate::FormatCount(e.ci_high));
}

}  // namespace

UndocumentedEstimate EstimateUndocumented(const Holdings& h) {
  return EstimateUndocumented(ViewOf(h), h.clusters);
}

UndocumentedEstimate EstimateUndocumented(const identity::VaultView& view,
                                          const identity::IdentityClusters& clusters) {
  UndocumentedEstimate out;
  out.method = "loglinear";
  out.lists = identity::VaultListNames(view);
  if (out.lists.size() < 2) {  // quick: no need to place every person on a list
    out.reason =
        "estimation needs at least two lists (sources of different kinds, or "
        "sources with a list name); this vault has " +
        (out.lists.empty() ? std::string("no sources") : "only the list '" + out.lists[0] + "'");
    out.reason_key = "too_few_lists";
    return out;
  }
  auto captures = identity::CapturesFromVault(view, clusters, {});
  if (!captures.ok()) {
    out.reason = captures.status().message();
    out.reason_key =
        out.lists.size() > static_cast<size_t>(estimate::kMaxLists) ? "too_many_lists" : "no_fit";
    return out;
  }
  out.lists = captures->lists;
  out.documented = captures->clusters;
  estimate::EstimateOptions options;
  auto report = identity::EstimateFromVault(*captures, options);
  if (!report.ok()) {
    out.reason = report.status().message();
    out.reason_key = "no_fit";
    return out;
  }
  out.warnings = report->warnings;
  out.confidence = report->options.confidence;
  if (!report->estimate || !std::isfinite(*report->estimate)) {
    out.reason = "no model of the vault's lists gives a finite estimate";
    out.reason_key = "no_fit";
    if (!out.warnings.empty()) out.reason += " (" + out.warnings.back() + ")";
    return out;
  }
  out.total = *report->estimate;
  if (report->ci_low && report->ci_high) {
    out.has_interval = true;
    out.ci_low = *report->ci_low;
    out.ci_high = *report->ci_high;
    out.ci_high_unbounded = report->ci_high_unbounded || !std::isfinite(*report->ci_high);
  }
  return out;
}

std::string EstimateCaveat() { return Words("en")("estimate_caveat"); }

std::vector<std::string> EstimateSentences(const UndocumentedEstimate& e, const std::string& lang,
                                           bool isolate) {
  const Words say(lang);
  if (!e.available())
    return {say("estimate_none_" + e.reason_key, {{"n", std::to_string(e.lists.size())}})};
  auto n = [&](double x) {
    return isolate ? Isolate(lang, estimate::FormatCount(x)) : estimate::FormatCount(x);
  };
  const std::string low = e.has_interval ? n(e.ci_low) : "?";
  const std::string high = !e.has_interval       ? "?"
                           : e.ci_high_unbounded ? say("estimate_no_upper")
                                                 : n(e.ci_high);
  return {say("estimate_line", {{"documented", n(static_cast<double>(e.documented))},
                                {"lists", std::to_string(e.lists.size())},
                                {"total", n(e.total)},
                                {"pct", std::to_string(std::lround(100 * e.confidence))},
                                {"low", low},
                                {"high", high},
                                {"undocumented", n(e.undocumented())}}),
          say("estimate_caveat")};
}

nlohmann::json ToJson(const UndocumentedEstimate& e) {
  nlohmann::json j = {{"available", e.available()}, {"method", e.method}, {"lists", e.lists}};
  if (!e.available()) {
    j["reason"] = e.reason;
    j["reason_key"] = e.reason_key;
    return j;
  }
  j["documented"] = e.documented;
  j["estimated_total"] = std::round(e.total);
  j["estimated_undocumented"] = std::round(e.undocumented());
  j["confidence"] = e.confidence;
  if (e.has_interval) {
    j["ci_low"] = std::round(e.ci_low);
    j["ci_high"] = e.ci_high_unbounded ? nlohmann::json() : nlohmann::json(std::round(e.ci_high));
  } else {
    j["ci_low"] = nullptr;
    j["ci_high"] = nullptr;
  }
  j["warnings"] = e.warnings;
  j["caveat"] = EstimateCaveat();
  return j;
}

std::string ToText(const UndocumentedEstimate& e) {
  std::ostringstream out;
  if (!e.available()) {
    out << "Estimate of the undocumented: none, because " << e.reason << ".\n";
    return out.str();
  }
  const int pct = static_cast<int>(std::lround(100 * e.confidence));
  out << "Estimate of the undocumented (" << e.lists.size() << " lists: ";
  for (size_t i = 0; i < e.lists.size(); ++i) out << (i ? ", " : "") << e.lists[i];
  out << "): " << estimate::FormatCount(static_cast<double>(e.documented))
      << " people on the lists, about " << estimate::FormatCount(e.total) << " in all";
  if (e.has_interval) out << " (" << pct << "% interval " << Interval(e) << ")";
  out << ", so about " << estimate::FormatCount(e.undocumented()) << " never documented.\n";
  out << "  " << EstimateCaveat() << " Details: izde estimate.\n";
  for (const auto& w : e.warnings) out << "  ! " << w << "\n";
  return out.str();
}

}  // namespace izde::report
