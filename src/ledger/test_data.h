// Where tests find ../shared/data: IZDE_SHARED_DIR when CTest sets it, else the
// sibling folder of the repository.
#pragma once

#include <cstdlib>
#include <filesystem>

namespace izde::ledger::testing {

inline std::filesystem::path SharedDir() {
  const char* env = std::getenv("IZDE_SHARED_DIR");
  return env != nullptr ? std::filesystem::path(env) : std::filesystem::path("../shared");
}

}  // namespace izde::ledger::testing
