#include "identity/identity_clusters.h"

#include <algorithm>
#include <numeric>

namespace izde::identity {

IdentityClusters IdentityClusters::Build(const std::vector<std::string>& people,
                                         const std::vector<PairDecision>& decisions) {
  std::unordered_map<std::string, uint32_t> index;
  index.reserve(people.size());
  for (uint32_t i = 0; i < people.size(); ++i) index.emplace(people[i], i);
  std::vector<const PairDecision*> accepted;
  for (const auto& d : decisions)
    if (d.decision == Decision::kSame && index.count(d.a) && index.count(d.b))
      accepted.push_back(&d);
  std::sort(accepted.begin(), accepted.end(), [](const PairDecision* x, const PairDecision* y) {
    if (x->sequence != y->sequence) return x->sequence < y->sequence;
    return x->record_id < y->record_id;
  });
  std::unordered_map<uint32_t, uint32_t> parent;  // only touched people
  auto find = [&](uint32_t x) {
    auto it = parent.find(x);
    if (it == parent.end()) return parent[x] = x;
    uint32_t r = x;
    while (parent[r] != r) r = parent[r];
    while (parent[x] != r) {
      uint32_t next = parent[x];
      parent[x] = r;
      x = next;
    }
    return r;
  };
  struct Name {
    std::string name;
    size_t formed;  // position of the decision that formed the cluster
  };
  std::unordered_map<uint32_t, Name> names;  // at roots of clusters of two or more
  for (size_t k = 0; k < accepted.size(); ++k) {
    uint32_t ra = find(index[accepted[k]->a]), rb = find(index[accepted[k]->b]);
    if (ra == rb) continue;
    auto na = names.find(ra), nb = names.find(rb);
    Name name;
    if (na == names.end() && nb == names.end()) {
      name = {std::min(people[ra], people[rb]), k};
    } else if (nb == names.end()) {
      name = na->second;
    } else if (na == names.end()) {
      name = nb->second;
    } else {
      name = na->second.formed <= nb->second.formed ? na->second : nb->second;
    }
    names.erase(ra);
    names.erase(rb);
    parent[rb] = ra;
    names[ra] = name;
  }
  IdentityClusters c;
  for (auto& [person, _] : parent) {
    const uint32_t root = find(person);
    const std::string& name = names.at(root).name;
    c.cluster_of_[people[person]] = name;
    c.multi_[name].push_back(people[person]);
  }
  for (auto& [_, members] : c.multi_) std::sort(members.begin(), members.end());
  return c;
}

std::string IdentityClusters::ClusterOf(const std::string& person) const {
  auto it = cluster_of_.find(person);
  return it == cluster_of_.end() ? person : it->second;
}

std::vector<std::string> IdentityClusters::MembersWith(const std::string& person) const {
  auto it = cluster_of_.find(person);
  if (it == cluster_of_.end()) return {person};
  return multi_.at(it->second);
}

size_t IdentityClusters::SizeOf(const std::string& person) const {
  auto it = cluster_of_.find(person);
  return it == cluster_of_.end() ? 1 : multi_.at(it->second).size();
}

}  // namespace izde::identity
