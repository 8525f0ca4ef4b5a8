// The facts a statistic or a report needs about one counted person, derived from all
// person records of their identity cluster and the events about them. Every derivation
// is stated here, because a number in a press release must say what it counts.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dates/partial_date.h"
#include "report/counted_people.h"
#include "report/holdings.h"

namespace izde::report {

struct EventFact {
  std::string id;
  std::string kind;                        // model event kind: "detained", "sentenced", ...
  std::optional<dates::PartialDate> date;  // absent when missing or unreadable
  std::string facility;                    // facility record id, if any
  std::optional<double> term_months;
};

struct PersonFacts {
  std::string id;  // the cluster id
  std::string gender = "unknown";
  std::optional<dates::PartialDate> birth;
  std::string hometown;  // as written in the first record that has one
  // Prefecture-level region code (GB/T 2260, "653100") of the hometown as the gazetteer
  // resolves it (only confident, unambiguous matches), else of the PRC ID number's region
  // code; empty when neither says.
  std::string prefecture;
  std::vector<EventFact> events;  // sorted by earliest possible date, undated last
  // Status: the kind of the most recent dated event (by the latest day its date allows;
  // undated events count only when no event is dated); "no_events" without events.
  std::string status = "no_events";
  // The first detention: the "detained" event with the earliest possible date.
  std::optional<dates::PartialDate> first_detention;
  // Age at the first detention in whole years, from the middles of the two date
  // intervals; absent when either date is unknown.
  std::optional<int> age_at_detention;
  std::set<std::string> facilities;  // facility ids of any event
  std::optional<double> longest_sentence_months;
};

PersonFacts FactsOf(const Holdings& holdings, const IdentityCluster& cluster);
std::vector<PersonFacts> AllFacts(const Holdings& holdings);

// The prefecture code of a place name or PRC ID number, or "" (see PersonFacts).
std::string PrefectureOfPlace(const std::string& text);
std::string PrefectureOfPrcId(const std::string& id_number);

}  // namespace izde::report
