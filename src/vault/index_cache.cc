#include "vault/index_cache.h"

#include <cstring>
#include <filesystem>

#include "vault/blob_seal.h"

namespace izde::vault {
namespace {

// Bump when what the index stores changes (columns, tokenizer, name keys).
// 2: name keys keep -sulu, -guli and k before -qyzy; 3: 扎 reads za (Azamat), not ja.
constexpr uint32_t kFormat = 3;
constexpr size_t kHeader = 4 + 4 + 8 + 1;

std::string CachePath(const std::string& dir) {
  return (std::filesystem::path(dir) / kIndexCacheFile).string();
}

}  // namespace

Status SaveIndexCache(const std::string& vault_dir, const SecretKey& key, int64_t last_change,
                      bool with_name_keys, const index::SearchIndex& index) {
  IZDE_ASSIGN_OR_RETURN(std::string image, index.Serialize());
  std::string bytes(kHeader, '\0');
  std::memcpy(bytes.data(), "IZX1", 4);
  for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<char>((kFormat >> (8 * i)) & 0xff);
  for (int i = 0; i < 8; ++i)
    bytes[8 + i] = static_cast<char>((static_cast<uint64_t>(last_change) >> (8 * i)) & 0xff);
  bytes[16] = with_name_keys ? 1 : 0;
  bytes += image;
  sodium_memzero(image.data(), image.size());
  Status s = SealBytes(bytes, CachePath(vault_dir), key);
  sodium_memzero(bytes.data(), bytes.size());
  return s;
}

Result<CachedIndex> LoadIndexCache(const std::string& vault_dir, const SecretKey& key,
                                   index::NameKeys name_keys) {
  std::string path = CachePath(vault_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound("no index cache");
  IZDE_ASSIGN_OR_RETURN(std::string bytes, OpenBytes(path, key));
  auto u = [&](size_t at, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
      v = (v << 8) | static_cast<uint8_t>(bytes[at + static_cast<size_t>(i)]);
    return v;
  };
  if (bytes.size() < kHeader || std::memcmp(bytes.data(), "IZX1", 4) != 0 || u(4, 4) != kFormat ||
      (bytes[16] != 0) != (name_keys != nullptr)) {
    sodium_memzero(bytes.data(), bytes.size());
    return Status::Corrupt("the index cache is of another format");
  }
  CachedIndex out;
  out.last_change = static_cast<int64_t>(u(8, 8));
  auto restored =
      index::SearchIndex::Restore(std::string_view(bytes).substr(kHeader), std::move(name_keys));
  sodium_memzero(bytes.data(), bytes.size());
  if (!restored.ok()) return restored.status();
  out.index = std::move(restored).value();
  return out;
}

}  // namespace izde::vault
