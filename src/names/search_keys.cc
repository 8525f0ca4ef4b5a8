#include "names/search_keys.h"

#include <algorithm>

#include "names/name_key.h"
#include "names/phonetic_key.h"

namespace izde::names {

std::vector<std::string> SearchKeys(std::string_view name) {
  std::vector<std::string> keys;
  auto keyed = MakeNameKey(name);
  if (!keyed.ok()) return keys;
  auto add = [&keys](std::string_view stem) {
    if (stem.empty()) return;
    std::string skeleton = SearchSkeleton(stem);
    if (std::find(keys.begin(), keys.end(), skeleton) == keys.end()) {
      keys.push_back(std::move(skeleton));
    }
  };
  for (const KeyedToken& t : keyed->tokens) {
    add(t.stem);
    add(t.alt_stem);
  }
  return keys;
}

}  // namespace izde::names
