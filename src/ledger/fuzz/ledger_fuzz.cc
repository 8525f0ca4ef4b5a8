// libFuzzer target over every ledger parser (Clang only; see ../CMakeLists.txt).
// Run: ledger_fuzz -max_total_time=60 corpus/
#include <cstddef>
#include <cstdint>

#include "ledger/fuzz/parse_everything.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  izde::ledger::ParseEverything(izde::ledger::Bytes(data, size));
  return 0;
}
