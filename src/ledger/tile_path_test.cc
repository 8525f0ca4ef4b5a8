#include "ledger/tile_path.h"

#include <gtest/gtest.h>

namespace izde::ledger {
namespace {

TEST(TilePath, SpecExamples) {
  EXPECT_EQ((TilePath{0, 1234067, 256}).ToString(), "tile/0/x001/x234/067");
  EXPECT_EQ((TilePath{1, 5, 17}).ToString(), "tile/1/005.p/17");
  EXPECT_EQ((TilePath{kEntriesLevel, 0, 3}).ToString(), "tile/entries/000.p/3");
  EXPECT_EQ((TilePath{2, 1000, 256}).ToString(), "tile/2/x001/000");
}

TEST(TilePath, ParseIsTheExactInverse) {
  for (TilePath t : {TilePath{0, 0, 256}, TilePath{3, 1234067, 9},
                     TilePath{kEntriesLevel, 999, 255}, TilePath{63, 18446744073709551615ull, 1}}) {
    auto back = TilePath::Parse(t.ToString());
    ASSERT_TRUE(back.has_value()) << t.ToString();
    EXPECT_EQ(back->ToString(), t.ToString());
  }
  for (const char* bad :
       {"tile/0/1", "tile/0/x000/001", "tile/00/001", "tile/64/001", "tile/0/001.p/0",
        "tile/0/001.p/256", "tile/0/001.p/07", "tile/0/001/", "tiles/0/001", "tile/0/y001/001",
        "tile/0/001.p", "tile/entries/001.p/3/4", "tile/0/0a1"}) {
    EXPECT_FALSE(TilePath::Parse(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace izde::ledger
