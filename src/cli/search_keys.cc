#include "cli/search_keys.h"

namespace izde::cli {
index::NameKeys NameSearchKeys() { return nullptr; }
}  // namespace izde::cli
