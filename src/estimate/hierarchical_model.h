// Hierarchical log-linear models for a capture table. A model is the set of list
// interactions it allows (each a mask of 2 or more lists); hierarchy means that with an
// interaction it also holds every smaller interaction among the same lists. The
// interaction of all lists is never included: it would leave nothing to estimate the
// missing cell from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace izde::estimate {

struct HierarchicalModel {
  std::vector<uint32_t> interactions;  // sorted by size, then by mask

  // Bracket notation naming the maximal terms, lists numbered from 1: "[123,14,34]";
  // lists outside every interaction appear alone ("[12,3,4]").
  std::string Brackets(int num_lists) const;
};

// Every hierarchical model for num_lists lists, independence first (113 models for 4
// lists, 6,893 for 5). Grows as a Dedekind number: meant for num_lists <= 5.
std::vector<HierarchicalModel> AllHierarchicalModels(int num_lists);

// The interactions that may be added to `model` keeping it hierarchical, of at most
// max_order lists: every lower-order sub-interaction is already present.
std::vector<uint32_t> AddableInteractions(const HierarchicalModel& model, int num_lists,
                                          int max_order);

// The interactions that may be dropped keeping it hierarchical: no larger one needs them.
std::vector<uint32_t> RemovableInteractions(const HierarchicalModel& model);

}  // namespace izde::estimate
