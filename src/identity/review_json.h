// The review queue, decisions and inquiry notices as JSON: one form for `izde review
// --json`, `izde inquiries --json` and the web application's JSON API (docs/api.md).
#pragma once

#include <nlohmann/json.hpp>

#include "identity/inquiries.h"
#include "identity/review.h"

namespace izde::identity {

nlohmann::json PairToJson(const PairView& v);
nlohmann::json DecisionToJson(const PairDecision& d);
nlohmann::json NoticeToJson(const Notice& n);

}  // namespace izde::identity
