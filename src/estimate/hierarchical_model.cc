#include "estimate/hierarchical_model.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace izde::estimate {
namespace {

bool BySizeThenMask(uint32_t a, uint32_t b) {
  int pa = std::popcount(a), pb = std::popcount(b);
  return pa != pb ? pa < pb : a < b;
}

bool IsSubset(uint32_t a, uint32_t b) { return (a & b) == a; }

// True when every interaction one list smaller than `term` (of 2+ lists) is in `present`.
bool ChildrenPresent(uint32_t term, const std::vector<char>& present) {
  if (std::popcount(term) <= 2) return true;
  for (uint32_t rest = term; rest; rest &= rest - 1) {
    uint32_t bit = rest & -rest;
    if (!present[term ^ bit]) return false;
  }
  return true;
}

}  // namespace

std::string HierarchicalModel::Brackets(int num_lists) const {
  std::vector<uint32_t> generators;
  for (uint32_t t : interactions) {
    bool maximal = std::none_of(interactions.begin(), interactions.end(),
                                [t](uint32_t u) { return u != t && IsSubset(t, u); });
    if (maximal) generators.push_back(t);
  }
  uint32_t covered = 0;
  for (uint32_t g : generators) covered |= g;
  for (int i = 0; i < num_lists; ++i) {
    if (!(covered & (1u << i))) generators.push_back(1u << i);
  }
  // Order as people write it: by the lowest list, then longer first ([123,14,34]).
  std::sort(generators.begin(), generators.end(), [](uint32_t a, uint32_t b) {
    for (int i = 0; i < 32; ++i) {
      bool ia = a & (1u << i), ib = b & (1u << i);
      if (ia != ib) return ia;
    }
    return false;
  });
  std::string out = "[";
  for (size_t g = 0; g < generators.size(); ++g) {
    if (g) out += ",";
    for (int i = 0; i < num_lists; ++i) {
      if (generators[g] & (1u << i)) {
        // Lists past 9 would be ambiguous as digits; name them by letter.
        out += i < 9 ? static_cast<char>('1' + i) : static_cast<char>('a' + i - 9);
      }
    }
  }
  return out + "]";
}

std::vector<HierarchicalModel> AllHierarchicalModels(int num_lists) {
  const uint32_t full = (1u << num_lists) - 1;
  std::vector<uint32_t> candidates;
  for (uint32_t m = 1; m < full; ++m) {
    if (std::popcount(m) >= 2) candidates.push_back(m);
  }
  std::sort(candidates.begin(), candidates.end(), BySizeThenMask);
  std::vector<HierarchicalModel> models;
  std::vector<char> present(size_t{1} << num_lists, 0);
  std::vector<uint32_t> chosen;
  // Deciding terms in order of size means every sub-interaction is decided first.
  std::function<void(size_t)> visit = [&](size_t i) {
    if (i == candidates.size()) {
      models.push_back(HierarchicalModel{chosen});
      return;
    }
    visit(i + 1);
    uint32_t t = candidates[i];
    if (ChildrenPresent(t, present)) {
      present[t] = 1;
      chosen.push_back(t);
      visit(i + 1);
      chosen.pop_back();
      present[t] = 0;
    }
  };
  visit(0);
  std::stable_sort(models.begin(), models.end(), [](const auto& a, const auto& b) {
    return a.interactions.size() < b.interactions.size();
  });
  return models;
}

std::vector<uint32_t> AddableInteractions(const HierarchicalModel& model, int num_lists,
                                          int max_order) {
  const uint32_t full = (1u << num_lists) - 1;
  std::vector<char> present(size_t{1} << num_lists, 0);
  for (uint32_t t : model.interactions) present[t] = 1;
  std::vector<uint32_t> out;
  for (uint32_t m = 1; m < full; ++m) {
    int order = std::popcount(m);
    if (order < 2 || order > max_order || present[m]) continue;
    if (ChildrenPresent(m, present)) out.push_back(m);
  }
  return out;
}

std::vector<uint32_t> RemovableInteractions(const HierarchicalModel& model) {
  std::vector<uint32_t> out;
  for (uint32_t t : model.interactions) {
    bool needed = std::any_of(model.interactions.begin(), model.interactions.end(),
                              [t](uint32_t u) { return u != t && IsSubset(t, u); });
    if (!needed) out.push_back(t);
  }
  return out;
}

}  // namespace izde::estimate
