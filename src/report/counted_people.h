// Who a statistic counts: people, not records. Several person records can describe one
// human being (spelled differently in two testimonies and a leaked list); a count must
// count that human once. The unit is an identity cluster: the person records that
// reviewers (or the linker) hold to be one person.
//
// Until the vault keeps linked identity clusters (the link-vault work), every person
// record is its own cluster. CountedPeople() is the one place that decides this, so
// switching to real clusters changes this function and nothing that counts.
#pragma once

#include <string>
#include <vector>

#include "report/holdings.h"

namespace izde::report {

struct IdentityCluster {
  std::string id;                       // the cluster's id (today: its one record's id)
  std::vector<std::string> person_ids;  // person records in it, sorted
};

// Every cluster of the holdings, sorted by id.
std::vector<IdentityCluster> CountedPeople(const Holdings& holdings);

// How CountedPeople groups records, for the definitions printed with every count.
std::string CountingUnitNote();

}  // namespace izde::report
