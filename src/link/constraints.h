// Hard constraints: pairs that must never end in one cluster, whatever their
// score. Two different valid identity numbers of the same kind are two people
// (a check digit that verifies rules out a typo); a person cannot be their own
// relative, so records a source links as relatives are kept apart.
#pragma once

#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

#include "link/fields.h"

namespace izde::link {

class Constraints {
 public:
  // Records `a` and `b` (indices into the prepared set) are known to be different
  // people: relatives of each other, or a reviewer's rejection.
  void AddCannotLink(uint32_t a, uint32_t b);
  bool Forbidden(const Prepared& p, uint32_t a, uint32_t b) const;
  // The same test on two prepared sets (list A against list B).
  static bool ConflictingIds(const Prepared& pa, size_t a, const Prepared& pb, size_t b);
  size_t size() const { return cannot_link_.size(); }
  // The explicit cannot-link pairs (a < b), sorted.
  std::vector<std::pair<uint32_t, uint32_t>> CannotLinkPairs() const;

 private:
  static uint64_t Key(uint32_t a, uint32_t b) {
    return a < b ? (uint64_t{a} << 32 | b) : (uint64_t{b} << 32 | a);
  }
  std::unordered_set<uint64_t> cannot_link_;
};

}  // namespace izde::link
