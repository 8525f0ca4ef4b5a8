// The ids entry point fed by libFuzzer (ids_fuzz.cc) and, in every build, by a
// bounded random-input test (fuzz_entry_test.cc).
#pragma once

#include <cstddef>
#include <cstdint>

namespace izde::ids {

// Checks the input as an ID number and compares it with itself; aborts when an
// invariant breaks (valid exactly when there is no reason; a number equals itself).
void FuzzIdsOneInput(const uint8_t* data, size_t size);

}  // namespace izde::ids
