#include "cli/search_keys.h"

#include "names/search_keys.h"

namespace izde::cli {

index::NameKeys NameSearchKeys() {
  return [](std::string_view name) { return names::SearchKeys(name); };
}

}  // namespace izde::cli
