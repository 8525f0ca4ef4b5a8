// A backup snapshot: a small signed note naming a manifest chunk, and the manifest, a
// text chunk listing every other chunk the snapshot needs (docs/formats/backup.md).
//
//   snapshots/<8 digits>.snapshot   signed note (C2SP signed-note, the vault's log key):
//       izde-backup-snapshot 1\n <vault origin>\n <number>\n <manifest chunk hash>\n
//
//   manifest (a chunk):
//       izde-backup-manifest 1
//       vault <origin>
//       verifier <log public key, signed-note verifier encoding>
//       created <unix seconds>
//       changes <store change number> <record id of that change> <its version>
//       log <size> <root hex>
//       keys <chunk>
//       versions <chunk> <count>                  (one line per versions pack, in order)
//       file <path> <size> <mtime ns> <chunk>,<chunk>,...   ("-" for an empty file)
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/note_key.h"

namespace izde::backup {

inline constexpr const char* kSnapshotDir = "snapshots";
inline constexpr const char* kBackupMarker = "IZDE-BACKUP";

struct FileEntry {
  std::string path;  // relative to the vault directory, '/' separated
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::vector<std::string> chunks;
};

struct VersionsEntry {
  std::string chunk;
  uint64_t count = 0;
};

struct Manifest {
  std::string origin;
  std::string verifier;
  int64_t created = 0;
  int64_t changes = 0;
  std::string last_change_id;
  int64_t last_change_version = 0;
  uint64_t log_size = 0;
  std::string log_root_hex;
  std::string keys;
  std::vector<VersionsEntry> versions;
  std::vector<FileEntry> files;

  std::string Encode() const;
  static Result<Manifest> Parse(std::string_view text, const std::string& what);
};

std::string SnapshotNoteText(const std::string& origin, uint64_t number,
                             const std::string& manifest_hash);

// The snapshot files in a backup directory, oldest first (number, path).
std::vector<std::pair<uint64_t, std::filesystem::path>> ListSnapshots(
    const std::filesystem::path& backup_dir);
std::filesystem::path SnapshotPath(const std::filesystem::path& backup_dir, uint64_t number);

struct OpenedSnapshot {
  uint64_t number = 0;
  std::string manifest_hash;
  Manifest manifest;
  ledger::NoteVerifier key;
};

// Reads and checks one snapshot: its signature (by `pinned` when given, else by the key
// its manifest names, which then only proves the snapshot is intact, not whose it is),
// its number, and its manifest chunk. Every error names the snapshot file.
Result<OpenedSnapshot> OpenSnapshot(const std::filesystem::path& backup_dir, uint64_t number,
                                    const std::filesystem::path& path,
                                    const std::optional<ledger::NoteVerifier>& pinned);

}  // namespace izde::backup
