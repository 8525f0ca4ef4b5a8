// Random and mutated inputs to every ledger parser: none may crash, hang or accept
// garbage as a verified object. The same entry point is the libFuzzer target in fuzz/;
// this bounded run keeps GCC CI exercising it. IZDE_LEDGER_SOAK=N multiplies the rounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "ledger/fuzz/parse_everything.h"

namespace izde::ledger {
namespace {

int Rounds(int base) {
  const char* soak = std::getenv("IZDE_LEDGER_SOAK");
  return soak != nullptr ? base * std::max(1, std::atoi(soak)) : base;
}

TEST(ParserRobustness, RandomBytes) {
  std::mt19937_64 rng(1);
  for (int round = 0; round < Rounds(3000); ++round) {
    std::string input(rng() % 600, '\0');
    for (char& c : input) c = static_cast<char>(rng());
    ParseEverything(AsBytes(input));
  }
}

TEST(ParserRobustness, MutatedValidInputs) {
  std::mt19937_64 rng(2);
  const std::vector<std::string> seeds = fuzz::SeedInputs();
  ASSERT_FALSE(seeds.empty());
  for (int round = 0; round < Rounds(4000); ++round) {
    std::string input = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !input.empty(); ++e) {
      const std::size_t at = rng() % input.size();
      switch (rng() % 4) {
        case 0:
          input[at] = static_cast<char>(input[at] ^ (1 << (rng() % 8)));
          break;
        case 1:
          input.erase(at, 1 + rng() % 8);
          break;
        case 2:
          input.insert(at, 1, static_cast<char>(rng()));
          break;
        default:
          input.insert(at, input.substr(rng() % input.size(), rng() % 40));
          break;
      }
    }
    // A mutated input must never verify under the seeds' keys.
    if (ParseEverything(AsBytes(input))) {
      EXPECT_NE(std::find(seeds.begin(), seeds.end(), input), seeds.end())
          << "a mutated input verified:\n"
          << input;
    }
  }
}

}  // namespace
}  // namespace izde::ledger
