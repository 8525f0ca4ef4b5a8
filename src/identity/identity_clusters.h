// Identity clusters: the people a reviewer has accepted as one person, as connected
// components of the accepted links. Rebuilt from the decisions whenever they change,
// so a split or an undo is just one more decision.
//
// Names are stable: decisions are replayed in the order they were made (their
// sequence); two people first joined form a cluster named after the smaller id, a
// person joining a cluster takes its name, and when two clusters join the one formed
// first gives the name. New decisions therefore never rename an existing cluster, and
// after a split the part formed first keeps the name. Someone in no accepted link is
// a cluster of one, named by their own id.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "identity/decision.h"

namespace izde::identity {

class IdentityClusters {
 public:
  // `people`: every person id; `decisions`: the latest decision of every pair. A
  // decision naming a person not in `people` is ignored.
  static IdentityClusters Build(const std::vector<std::string>& people,
                                const std::vector<PairDecision>& decisions);

  // The cluster id of a person (their own id when alone or unknown).
  std::string ClusterOf(const std::string& person) const;
  // Every member of the person's cluster, sorted; {person} when alone.
  std::vector<std::string> MembersWith(const std::string& person) const;
  size_t SizeOf(const std::string& person) const;
  // Clusters of two or more people: cluster id -> members (sorted).
  const std::unordered_map<std::string, std::vector<std::string>>& multi() const { return multi_; }

 private:
  std::unordered_map<std::string, std::string> cluster_of_;  // only people in a multi cluster
  std::unordered_map<std::string, std::vector<std::string>> multi_;
};

}  // namespace izde::identity
