// Counts for `izde stats` and the press summary. Every count is of people (identity
// clusters, counted_people.h), never of records, and carries the definition of what it
// counts so that a figure quoted alone still says what it means. Output formats:
// docs/formats/stats.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "report/holdings.h"
#include "report/person_facts.h"

namespace izde::report {

enum class Dimension {
  kStatus,
  kHometown,
  kPrefecture,
  kYear,
  kFacility,
  kEvent,
  kAge,
  kGender,
  kMonth,     // first detention by month: the timeline
  kSentence,  // longest known sentence, in bands of years
};

Result<Dimension> ParseDimension(std::string_view name);
std::string_view DimensionName(Dimension d);
// "status, hometown, ...", for messages and help.
std::string DimensionList();

struct TallyRow {
  std::string key;    // stable, for machines: "detained", "653100", "2018-03", "F-000001"
  std::string label;  // for people, in English
  int64_t people = 0;
};

struct Tally {
  Dimension by = Dimension::kStatus;
  std::string title;
  std::string definition;    // what one unit of `people` is, and how rows are made
  int64_t people_total = 0;  // people counted over all (rows may overlap: see definition)
  std::vector<TallyRow> rows;
};

Tally Count(const Holdings& holdings, const std::vector<PersonFacts>& facts, Dimension by);

// English label of a prefecture code ("653100" -> "Kashgar"), or the code.
std::string PrefectureLabel(const std::string& code);
// English label of an event kind or status ("held_at_facility" -> "held at a facility").
std::string EventKindLabel(const std::string& kind);

nlohmann::json ToJson(const Tally& tally);
std::string ToCsv(const Tally& tally);
std::string ToText(const Tally& tally);

}  // namespace izde::report
