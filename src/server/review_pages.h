// The models of the review queue page and the inquiries page: plain JSON for the
// templates, built from identity::Review (src/identity/review.h) and the inquiry
// notices (src/identity/inquiries.h). Field names, agreement levels and how name
// parts matched are translated; every value is escaped when the template renders it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "identity/inquiries.h"
#include "identity/review.h"
#include "server/pages.h"

namespace izde::server {

// One pair side by side: both people's name forms, every linkage field with its two
// values, how they agree and what that weighs (bits of evidence for or against one
// person), the name parts matched across scripts, why the two can never be one person
// if they cannot, and the latest decision.
nlohmann::json PairModel(const identity::Review& review, const identity::PairView& v,
                         const std::string& lang);

// The queue page: the pending count, the pair at position `skip` of the queue (or the
// pair `pair`, "A+B", when given), and the next few pairs after it.
Result<nlohmann::json> ReviewModel(const identity::Review& review, size_t skip,
                                   const std::string& pair, const std::string& lang);

// Sought people (relatives' inquiries) the viewer may read, each with its notices:
// whom the sought person is or may be, and the records new to the inquiry. Open
// notices first; seen ones only with `all`. A page holds kInquiriesPerPage sought people;
// `page` counts from 1 (a page past the end shows the last).
inline constexpr size_t kInquiriesPerPage = 50;
nlohmann::json InquiriesModel(const identity::VaultView& view,
                              const std::vector<identity::Notice>& notices, const Viewer& viewer,
                              bool all, size_t page, const std::string& lang);

// "0.873" for the pages.
std::string Probability(const std::optional<double>& p);

}  // namespace izde::server
