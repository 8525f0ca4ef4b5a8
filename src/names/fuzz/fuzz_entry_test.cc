// The bounded fuzz run every build does: a few thousand random and mutated inputs
// through the same entry point libFuzzer uses. Set IZDE_FUZZ_ITERATIONS for more.
#include "names/fuzz/fuzz_entry.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace izde::names {
namespace {

const std::vector<std::string> kSeeds = {
    "Қалида Ақытхан",
    "ئىلھام توختى",
    "卡丽达·阿克提汗",
    "Maimaiti Tuerxun",
    "İlham Tohti",
    "Илһам Тохти",
    "Tursunov Nurlan Bekovich",
    "\u202Eabc\u202C",
    "a\u0301\u0302\u0303",
    "😀😀",
    "ـــ",
    "Qалида",
    "\xC3\x28",
    "",
    "x",
};

int Iterations() {
  const char* n = std::getenv("IZDE_FUZZ_ITERATIONS");
  return n ? std::atoi(n) : 3000;
}

TEST(FuzzNames, SeedsAndMutations) {
  std::mt19937 rng(7);
  for (const std::string& s : kSeeds) {
    FuzzNamesOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  const int n = Iterations();
  for (int i = 0; i < n; ++i) {
    std::string s = kSeeds[rng() % kSeeds.size()];
    const int edits = 1 + rng() % 6;
    for (int e = 0; e < edits; ++e) {
      const size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
      switch (rng() % 4) {
        case 0:
          s.insert(s.begin() + at, static_cast<char>(rng() % 256));
          break;
        case 1:
          if (at < s.size()) s.erase(at, 1);
          break;
        case 2:
          if (at < s.size()) s[at] = static_cast<char>(rng() % 256);
          break;
        default:
          s.insert(at, kSeeds[rng() % kSeeds.size()]);
          break;
      }
    }
    FuzzNamesOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
}

TEST(FuzzNames, LongAndRepetitiveInputs) {
  for (size_t length : {511u, 512u, 513u, 2048u, 10000u}) {
    for (const char* unit : {"a", "қ", "阿", "ئ", " ", "\u200B", "a "}) {
      std::string s;
      while (s.size() < length) s += unit;
      FuzzNamesOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    }
  }
}

}  // namespace
}  // namespace izde::names
