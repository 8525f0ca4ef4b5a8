#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "estimate/report.h"

namespace izde::estimate {
namespace {

std::string Count(double x) { return FormatCount(x); }

std::string Fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// Width in characters, not bytes: "–" and "Δ" take one column.
size_t Columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Pad(const std::string& s, size_t width) {
  const size_t used = Columns(s);
  return used >= width ? s + " " : s + std::string(width - used, ' ');
}

}  // namespace

std::string FormatCount(double x) {
  if (!std::isfinite(x)) return "unbounded";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(x));
  std::string digits = buf, out;
  if (x < 0 && digits != "0") out.push_back('-');
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

namespace {

std::string Signed(double x) {
  std::string out;
  if (x >= 0) out.push_back('+');
  out.append(Count(x));
  return out;
}

// "[123,14]" for a coordinator: which lists the model lets depend on each other.
std::string DependenceInWords(const HierarchicalModel& model,
                              const std::vector<std::string>& lists) {
  std::vector<uint32_t> maximal;
  for (uint32_t t : model.interactions) {
    bool covered = false;
    for (uint32_t u : model.interactions) covered = covered || (u != t && (t & u) == t);
    if (!covered) maximal.push_back(t);
  }
  if (maximal.empty()) return "(all lists independent of each other)";
  std::sort(maximal.begin(), maximal.end(), [](uint32_t a, uint32_t b) {
    const uint32_t differ = a ^ b;  // lexicographic on members, as in the brackets
    return differ != 0 && (a & (differ & -differ)) != 0;
  });
  std::string out = "(dependence between ";
  for (size_t g = 0; g < maximal.size(); ++g) {
    if (g) out += g + 1 == maximal.size() ? " and " : ", ";
    std::string names;
    for (size_t i = 0; i < lists.size(); ++i) {
      if (maximal[g] >> i & 1) names += (names.empty() ? "" : "·") + lists[i];
    }
    out += names;
  }
  return out + ")";
}

std::string Interval(double low, double high, bool unbounded) {
  return Count(low) + " – " + (unbounded ? std::string("no upper limit") : Count(high));
}

void LoglinearTable(const EstimateReport& r, std::ostream& out) {
  const LoglinearResult& l = *r.loglinear;
  if (l.ranked.empty()) return;
  const char* crit = r.options.criterion == Criterion::kBic ? "BIC" : "AIC";
  out << "\nLeading models (" << l.models_fitted << " fitted"
      << (l.exhaustive ? ", all hierarchical models" : ", stepwise search") << "; "
      << l.no_mle.size() << " without a finite estimate)\n";
  std::string delta = "Δ";
  delta.append(crit);
  out << "  " << Pad("model", 18) << Pad("estimate", 10) << Pad("SE", 8) << Pad("interval", 26)
      << Pad(crit, 10) << Pad(delta, 9) << "vs chosen\n";
  const LoglinearFit& best = l.ranked[0];
  const size_t shown = std::min<size_t>(l.ranked.size(), 1 + std::max(0, r.options.runner_ups));
  for (size_t i = 0; i < shown; ++i) {
    const LoglinearFit& f = l.ranked[i];
    const double score = f.Score(r.options.criterion);
    out << "  " << Pad(f.brackets, 18) << Pad(Count(f.estimate), 10) << Pad(Count(f.se), 8)
        << Pad(f.has_interval ? Interval(f.ci_low, f.ci_high, f.ci_high_unbounded) : "", 26)
        << Pad(Fixed(score, 2), 10) << Pad(Fixed(score - best.Score(r.options.criterion), 2), 9)
        << (i == 0 ? std::string("chosen") : Signed(f.estimate - best.estimate)) << "\n";
  }
}

void LcmcrTable(const EstimateReport& r, std::ostream& out) {
  const LcmcrResult& l = *r.lcmcr;
  const EstimateOptions& o = r.options;
  out << "\nSampler: " << o.chains << " chains × (" << Count(o.burn_in) << " burn-in + "
      << Count(o.samples) << " kept draws, every " << o.thinning << " sweeps), seed " << o.seed
      << "\n";
  out << "  posterior median " << Count(l.median) << ", mean " << Count(l.mean) << "\n";
  out << "  convergence: R-hat " << Fixed(l.rhat, 3) << " (good below 1.1), effective samples "
      << Count(l.effective_samples) << "\n";
}

void DgaTable(const EstimateReport& r, std::ostream& out) {
  const DgaResult& g = *r.dga;
  out << "\nPrior: delta " << Fixed(g.delta, 4) << ", N "
      << (r.options.prior == PopulationPrior::kInverseN ? "∝ 1/N" : "negative binomial") << "; "
      << g.graphs << " decomposable graphs averaged\n";
  out << "  posterior median " << Count(g.median) << ", mode " << Count(g.mode) << ", mean "
      << Count(g.mean) << "\n";
  if (!r.dga_delta_sensitivity.empty()) {
    out << "  median under other deltas:";
    for (const auto& [delta, median] : r.dga_delta_sensitivity) {
      out << "  " << Fixed(delta, 4) << " → " << Count(median);
    }
    out << "\n";
  }
  out << "\nMost probable dependence graphs\n";
  out << "  " << Pad("cliques", 24) << Pad("weight", 9) << Pad("median", 9) << "mode\n";
  for (const DgaGraphSummary& s : g.top) {
    out << "  " << Pad(s.notation, 24) << Pad(Fixed(s.weight, 3), 9) << Pad(Count(s.median), 9)
        << Count(s.mode) << "\n";
  }
}

}  // namespace

std::string ToText(const EstimateReport& r) {
  std::ostringstream out;
  const int pct = static_cast<int>(std::lround(100 * r.options.confidence));
  out << "Multiple systems estimation — method " << MethodName(r.method) << "\n";
  out << "Lists (" << r.lists.size() << "): ";
  for (size_t i = 0; i < r.lists.size(); ++i) {
    out << (i ? ", " : "") << i + 1 << "=" << r.lists[i];
  }
  out << "\nPeople on at least one list: " << Count(static_cast<double>(r.n_observed)) << "\n\n";
  if (r.estimate) {
    out << "Estimated total:  " << Count(*r.estimate) << "\n";
    if (r.ci_low && r.ci_high) {
      out << pct << "% interval:     " << Interval(*r.ci_low, *r.ci_high, r.ci_high_unbounded)
          << "\n";
    }
    out << "Never documented: about " << Count(*r.estimate - static_cast<double>(r.n_observed))
        << "\n";
  } else {
    out << "Estimated total:  none — see the warnings below\n";
  }
  if (!r.model.empty()) out << "Model:            " << r.model << "\n";
  if (r.strata.empty() && r.loglinear && !r.loglinear->ranked.empty()) {
    out << "                  " << DependenceInWords(r.loglinear->ranked[0].model, r.lists) << "\n";
  }
  if (!r.strata.empty()) {
    out << "\nStrata\n  " << Pad("stratum", 24) << Pad("documented", 12) << Pad("estimate", 10)
        << Pad("interval", 26) << "model\n";
    for (const auto& [name, s] : r.strata) {
      out << "  " << Pad(name, 24) << Pad(Count(static_cast<double>(s.n_observed)), 12)
          << Pad(s.estimate ? Count(*s.estimate) : "none", 10)
          << Pad(s.ci_low && s.ci_high ? Interval(*s.ci_low, *s.ci_high, s.ci_high_unbounded) : "",
                 26)
          << s.model << "\n";
    }
  } else if (r.loglinear) {
    LoglinearTable(r, out);
  }
  if (r.strata.empty() && r.lcmcr) LcmcrTable(r, out);
  if (r.strata.empty() && r.dga) DgaTable(r, out);
  if (!r.warnings.empty()) {
    out << "\nWarnings\n";
    for (const std::string& w : r.warnings) out << "  ! " << w << "\n";
  }
  return out.str();
}

}  // namespace izde::estimate
