// Who a statistic counts: people, not records. Several person records can describe one
// human being (spelled differently in two testimonies and a leaked list); a count must
// count that human once. The unit is an identity cluster: the person records that
// reviewers (or the linker) hold to be one person.
//
// The clusters are src/identity's (identity_clusters.h): connected components of the
// latest "same" decisions of the vault's `link` records, as Holdings loads them. An undo,
// a split or a "different" decision separates the records again. CountedPeople() is the
// one place that decides what a counted person is.
#pragma once

#include <string>
#include <vector>

#include "report/holdings.h"

namespace izde::report {

struct IdentityCluster {
  std::string id;                       // the cluster's id (identity::IdentityClusters)
  std::vector<std::string> person_ids;  // person records in it, sorted
};

// Every cluster of the holdings, sorted by id.
std::vector<IdentityCluster> CountedPeople(const Holdings& holdings);

// How CountedPeople groups records, for the definitions printed with every count.
std::string CountingUnitNote();

}  // namespace izde::report
