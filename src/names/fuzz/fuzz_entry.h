// The names entry point fed by libFuzzer (names_fuzz.cc) and, in every build, by a
// bounded random-input test (fuzz_entry_test.cc).
#pragma once

#include <cstddef>
#include <cstdint>

namespace izde::names {

// Runs the input through Normalize, Explain, SearchKeys and Compare (against itself
// and a fixed name) and checks their invariants; aborts on a violation.
void FuzzNamesOneInput(const uint8_t* data, size_t size);

}  // namespace izde::names
