// How a pair of people under review looks at a terminal: the two records side by side,
// field by field, with how each field agrees and what that agreement weighs; and as JSON
// for scripts and the web.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "identity/inquiries.h"
#include "identity/review.h"
#include "identity/review_json.h"

namespace izde::cli {

std::string PairToText(const identity::PairView& v, size_t width = 100);
using identity::DecisionToJson;
using identity::NoticeToJson;
using identity::PairToJson;
std::string DecisionToText(const identity::PairDecision& d);

// Columns a string takes at a terminal (CJK characters take two).
size_t DisplayWidth(const std::string& utf8);
// Cut to at most `width` columns, then pad with spaces to exactly `width`.
std::string FitColumn(const std::string& utf8, size_t width);

}  // namespace izde::cli
