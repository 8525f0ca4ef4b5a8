#include "report/counted_people.h"

#include <algorithm>
#include <unordered_set>

namespace izde::report {

std::vector<IdentityCluster> CountedPeople(const Holdings& holdings) {
  std::vector<IdentityCluster> out;
  out.reserve(holdings.people.size());
  std::unordered_set<std::string> seen;  // clusters of two or more already listed
  for (const auto& [id, version] : holdings.people) {
    if (holdings.clusters.SizeOf(id) == 1) {
      out.push_back({id, {id}});
      continue;
    }
    std::string cluster = holdings.clusters.ClusterOf(id);
    if (!seen.insert(cluster).second) continue;
    out.push_back({std::move(cluster), holdings.clusters.MembersWith(id)});
  }
  std::sort(out.begin(), out.end(),
            [](const IdentityCluster& a, const IdentityCluster& b) { return a.id < b.id; });
  return out;
}

std::string CountingUnitNote() {
  return "one person = one identity cluster: person records a reviewer accepted as the same "
         "person (izde review) count once, and count apart again when the link is undone, "
         "split or rejected; a record linked to no other is one person";
}

}  // namespace izde::report
