// Presenting an EstimateReport: JSON for scripts (`--json`) and a plain-text table for a
// coordinator. JSON top-level keys are exactly: method, lists, n_observed, estimate,
// ci_low, ci_high, model, warnings, details (method-specific). estimate/ci_* are null when
// no trustworthy figure exists.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "estimate/estimate.h"

namespace izde::estimate {

nlohmann::json ToJson(const EstimateReport& report);
std::string ToText(const EstimateReport& report);

// A count as people read it: 10356.5 -> "10,357".
std::string FormatCount(double x);

}  // namespace izde::estimate
