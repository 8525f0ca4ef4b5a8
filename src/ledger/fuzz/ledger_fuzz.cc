// libFuzzer target over every ledger parser (Clang only; see ../CMakeLists.txt).
// Run: ledger_fuzz -max_total_time=60 corpus/
// With IZDE_FUZZ_SEED_DIR set, the valid seed inputs are first written there, so that a
// short run (the CI's) starts from well-formed checkpoints, proofs and bundles.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ledger/fuzz/parse_everything.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("IZDE_FUZZ_SEED_DIR");
  if (dir == nullptr || *dir == '\0') return 0;
  std::filesystem::create_directories(dir);
  int n = 0;
  for (const auto& seed : izde::ledger::fuzz::SeedInputs())
    std::ofstream(std::filesystem::path(dir) / ("seed-" + std::to_string(n++)), std::ios::binary)
        << seed;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  izde::ledger::ParseEverything(izde::ledger::Bytes(data, size));
  return 0;
}
