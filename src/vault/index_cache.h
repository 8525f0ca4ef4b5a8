// The search index, sealed on disk between unlocks, so that opening a large
// vault decrypts one file instead of every searchable record. The cache is a
// convenience, never the truth: it carries the number of the last change it
// includes, the vault catches up from the store's change log, and a cache that
// is missing, stale in format, or fails to open is rebuilt from the records.
//
// File VAULT/index.cache = SealBytes(header ‖ SQLite image of the index):
//   header = "IZX1" u32le(format) u64le(last change) u8(name keys: 0/1)
// sealed under crypto_kdf(master key, id 2, "izdeidx1") (docs/formats/vault.md).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "index/search_index.h"
#include "vault/secret_key.h"

namespace izde::vault {

inline constexpr const char* kIndexCacheFile = "index.cache";

struct CachedIndex {
  int64_t last_change = 0;
  std::unique_ptr<index::SearchIndex> index;
};

Status SaveIndexCache(const std::string& vault_dir, const SecretKey& key, int64_t last_change,
                      bool with_name_keys, const index::SearchIndex& index);

// kNotFound when there is no cache; kCorrupt when it cannot be used.
Result<CachedIndex> LoadIndexCache(const std::string& vault_dir, const SecretKey& key,
                                   index::NameKeys name_keys);

}  // namespace izde::vault
