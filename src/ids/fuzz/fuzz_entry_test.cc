// The bounded fuzz run every build does, through the libFuzzer entry point.
#include "ids/fuzz/fuzz_entry.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace izde::ids {
namespace {

TEST(FuzzIds, RandomDigitStrings) {
  std::mt19937 rng(11);
  const std::string alphabet = "0123456789xX -.\xD9\xA1";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const size_t length = rng() % 24;
    for (size_t k = 0; k < length; ++k) s += alphabet[rng() % alphabet.size()];
    FuzzIdsOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
}

}  // namespace
}  // namespace izde::ids
