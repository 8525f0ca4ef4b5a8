// One entry point that feeds the same bytes to every ledger parser and verifier: the
// libFuzzer target (ledger_fuzz.cc, Clang only) and the bounded gtest run share it.
#pragma once

#include <string>
#include <vector>

#include "ledger/sha256.h"

namespace izde::ledger {

// Returns true if the input verified as a signed checkpoint or a record proof under the
// fixed test keys of SeedInputs() (only the seeds themselves should).
bool ParseEverything(Bytes input);

namespace fuzz {
// Valid inputs (a cosigned checkpoint, a record proof, leaves, keys, tile paths) made with
// fixed synthetic keys, as starting points for mutation. The first three verify.
std::vector<std::string> SeedInputs();
}  // namespace fuzz

}  // namespace izde::ledger
