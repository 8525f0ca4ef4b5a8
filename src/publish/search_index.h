// The offline search index of the site (docs/formats/publish-site.md, "Search index"):
// sharded script files the browser loads on demand (`search/t/`, `search/k/`,
// `search/e/`), each a call `izdeIndex(name, data)` so that they load from file:// too,
// where fetch() is refused. Terms are name tokens folded as search.js folds a query;
// keys are the cross-script search skeletons of src/names.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "publish/public_dataset.h"

namespace izde::publish {

inline constexpr size_t kEntriesPerShard = 128;

// What search.js does to a token before looking it up: lower case, NFD, no marks.
std::string FoldTerm(std::string_view token);

// The shard a term or key lives in: hex of its first code point (terms) or first two
// code points (keys), as search.js computes it.
std::string TermShard(std::string_view term);
std::string KeyShard(std::string_view key);

struct SearchIndexFiles {
  // path under the site root -> content
  std::map<std::string, std::string> files;
  size_t terms = 0, keys = 0;
};

SearchIndexFiles BuildSearchIndex(const PublicDataset& data);

}  // namespace izde::publish
