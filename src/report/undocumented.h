// The estimate of the undocumented, as `izde stats`, the press summary and the published
// site's statistics page show it: one multiple systems estimate over the vault's lists
// and identity clusters (identity/capture_lists.h, docs/estimation.md), with its interval
// and a caveat in plain words. When the vault cannot support an estimate (fewer than two
// lists, too many, or no model with a finite estimate) there is no figure, only the
// reason. The full analysis, with every model and choice, is `izde estimate`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "identity/vault_view.h"
#include "report/holdings.h"

namespace izde::report {

struct UndocumentedEstimate {
  std::string reason;  // non-empty: no figure, and why (in English)
  // Why, for translated pages: "too_few_lists", "too_many_lists" or "no_fit".
  std::string reason_key;
  std::vector<std::string> lists;  // the lists used, or (without a figure) found
  int64_t documented = 0;          // people (identity clusters) on at least one list
  double total = 0;                // estimated people, documented or not
  double ci_low = 0, ci_high = 0;
  bool ci_high_unbounded = false;
  bool has_interval = false;
  double confidence = 0.95;
  std::string method;                 // "loglinear"
  std::vector<std::string> warnings;  // the estimate's own, for anyone who quotes it

  bool available() const { return reason.empty(); }
  double undocumented() const { return total - static_cast<double>(documented); }
};

// The default analysis: every list of the vault, log-linear models chosen by BIC, 95%
// interval (the defaults of `izde estimate`).
UndocumentedEstimate EstimateUndocumented(const Holdings& holdings);
// The same from a view of the vault and its clusters (what `izde publish` collects in the
// pass that builds its bundle).
UndocumentedEstimate EstimateUndocumented(const identity::VaultView& view,
                                          const identity::IdentityClusters& clusters);

// What the figure means and does not, in plain English (the report catalogs' words
// "estimate_caveat", in every report language).
std::string EstimateCaveat();

// The estimate in a report language: the figure with its interval (or why there is
// none) and, with a figure, the caveat. Numbers are isolated for right-to-left languages
// (report_language.h, Isolate) unless `isolate` is false, as HTML, which isolates with
// its own markup and shows bidi controls as visible escapes, wants.
std::vector<std::string> EstimateSentences(const UndocumentedEstimate& e, const std::string& lang,
                                           bool isolate = true);

nlohmann::json ToJson(const UndocumentedEstimate& e);
// "Estimate of the undocumented: ..." lines for `izde stats`.
std::string ToText(const UndocumentedEstimate& e);

}  // namespace izde::report
