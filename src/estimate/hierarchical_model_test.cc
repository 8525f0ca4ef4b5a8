#include "estimate/hierarchical_model.h"

#include <gtest/gtest.h>

#include <bit>
#include <set>

namespace izde::estimate {
namespace {

TEST(HierarchicalModel, CountsMatchRcapture) {
  EXPECT_EQ(AllHierarchicalModels(2).size(), 1u);
  EXPECT_EQ(AllHierarchicalModels(3).size(), 8u);
  EXPECT_EQ(AllHierarchicalModels(4).size(), 113u);
  EXPECT_EQ(AllHierarchicalModels(5).size(), 6893u);
}

TEST(HierarchicalModel, ModelsAreDistinctAndHierarchical) {
  std::set<std::vector<uint32_t>> seen;
  for (const HierarchicalModel& m : AllHierarchicalModels(4)) {
    EXPECT_TRUE(seen.insert(m.interactions).second);
    std::set<uint32_t> terms(m.interactions.begin(), m.interactions.end());
    for (uint32_t t : m.interactions) {
      EXPECT_NE(t, 0b1111u);
      for (uint32_t bit = 1; bit < 16; bit <<= 1) {
        uint32_t sub = t & ~bit;
        if ((t & bit) && std::popcount(sub) >= 2) {
          EXPECT_TRUE(terms.count(sub));
        }
      }
    }
  }
}

TEST(HierarchicalModel, BracketNotation) {
  HierarchicalModel independence;
  EXPECT_EQ(independence.Brackets(4), "[1,2,3,4]");
  HierarchicalModel kosovo{{0b0011, 0b0101, 0b0110, 0b1001, 0b1100, 0b0111}};
  EXPECT_EQ(kosovo.Brackets(4), "[123,14,34]");
  HierarchicalModel pair{{0b0011}};
  EXPECT_EQ(pair.Brackets(4), "[12,3,4]");
}

TEST(HierarchicalModel, AddAndRemoveKeepHierarchy) {
  HierarchicalModel m{{0b011}};
  std::vector<uint32_t> add = AddableInteractions(m, 3, 3);
  EXPECT_EQ(add, (std::vector<uint32_t>{0b101, 0b110}));  // 123 needs 13 and 23 first
  HierarchicalModel full{{0b011, 0b101, 0b110, 0b111}};
  EXPECT_EQ(RemovableInteractions(full), (std::vector<uint32_t>{0b111}));
}

}  // namespace
}  // namespace izde::estimate
