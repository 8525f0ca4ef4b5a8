#include "report/counted_people.h"

namespace izde::report {

std::vector<IdentityCluster> CountedPeople(const Holdings& holdings) {
  std::vector<IdentityCluster> out;
  out.reserve(holdings.people.size());
  for (const auto& [id, version] : holdings.people) out.push_back({id, {id}});
  return out;
}

std::string CountingUnitNote() {
  return "one person = one person record (linked identity clusters are not in the vault "
         "yet, so records of the same person entered twice are counted twice)";
}

}  // namespace izde::report
