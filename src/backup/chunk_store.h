// The content-addressed chunks of a backup directory: BACKUP/chunks/ab/<sha256 hex>, each
// file named by the SHA-256 of its bytes (docs/formats/backup.md). Chunks hold only
// ciphertext and plain metadata the vault itself keeps in plain form; a chunk is written
// under a temporary name and renamed, so a name never holds half a chunk once the
// backup that wrote it has synced.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace izde::backup {

inline constexpr const char* kChunkDir = "chunks";

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);
bool IsChunkName(std::string_view hex);

class ChunkStore {
 public:
  explicit ChunkStore(std::filesystem::path backup_dir) : dir_(std::move(backup_dir)) {}

  std::filesystem::path PathOf(const std::string& hash) const;
  bool Has(const std::string& hash) const;
  // Stores `bytes` unless a chunk of that name exists and holds them (a chunk left by an
  // interrupted backup is re-checked, and rewritten if damaged). Not synced: the caller
  // syncs the file system once before it writes the snapshot that refers to the chunks.
  // Sets `written` when bytes reached the disk.
  Result<std::string> Put(std::string_view bytes, bool trust_existing, bool* written = nullptr);
  // Reads a chunk and checks its hash: kNotFound when absent, kCorrupt when its bytes no
  // longer hash to its name. `what` says what the chunk holds, for the message.
  Result<std::string> Get(const std::string& hash, const std::string& what) const;

 private:
  std::filesystem::path dir_;
};

// Helpers for writing files that must survive a crash.
Status WriteWhole(const std::filesystem::path& path, std::string_view bytes, bool sync);
Result<std::string> ReadWhole(const std::filesystem::path& path);
void SyncDirectory(const std::filesystem::path& dir);
// Flushes the whole file system holding `path` (one call instead of one fsync per chunk).
Status SyncFileSystem(const std::filesystem::path& path);

}  // namespace izde::backup
