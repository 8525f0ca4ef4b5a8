// Locates the shared reference tables (../shared/data/mse) for tests and benchmarks.
#pragma once

#include <cstdlib>
#include <string>

namespace izde::estimate {

inline std::string MseDataPath(const std::string& file) {
  const char* dir = std::getenv("IZDE_SHARED_DIR");
  return std::string(dir ? dir : "../shared") + "/data/mse/" + file;
}

}  // namespace izde::estimate
