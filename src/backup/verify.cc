// `izde backup verify`: a backup checked without any key. See backup.h.
#include <unistd.h>

#include <filesystem>
#include <map>
#include <unordered_map>

#include "backup/backup.h"
#include "backup/chunk_store.h"
#include "backup/pack.h"
#include "backup/snapshot.h"
#include "ledger/checkpoint.h"
#include "ledger/sha256.h"
#include "vault/vault_log.h"

namespace izde::backup {
namespace fs = std::filesystem;
namespace {

// A scratch directory for the log's files, removed when done. The log holds no secret
// (vault.md "The ledger"), so a temporary directory is fine.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "izde-backup-verify-XXXXXX").string();
    if (::mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class Checker {
 public:
  Checker(const fs::path& dir, BackupCheck& check) : chunks_(dir), check_(check) {}

  // Each distinct chunk is read and hashed once; returns its bytes when `keep`.
  std::optional<std::string> Chunk(const std::string& hash, const std::string& what, bool keep) {
    auto it = state_.find(hash);
    if (it != state_.end() && !keep)
      return it->second ? std::optional<std::string>("") : std::nullopt;
    auto bytes = chunks_.Get(hash, what);
    if (it == state_.end()) {
      ++check_.chunks;
      state_[hash] = bytes.ok();
      if (!bytes.ok()) check_.problems.push_back(bytes.status().message());
    }
    if (!bytes.ok()) return std::nullopt;
    return keep ? std::move(bytes).value() : std::string();
  }

 private:
  ChunkStore chunks_;
  BackupCheck& check_;
  std::unordered_map<std::string, bool> state_;
};

}  // namespace

Result<BackupCheck> VerifyBackup(const std::string& backup_dir, const VerifyOptions& options) {
  const fs::path dir(backup_dir);
  std::error_code ec;
  if (!fs::exists(dir / kBackupMarker, ec))
    return Status::NotFound(backup_dir + " is not an izde backup (it has no " + kBackupMarker +
                            " file)");
  BackupCheck check;
  check.pinned = options.log_key.has_value();
  auto problem = [&](std::string p) { check.problems.push_back(std::move(p)); };
  Checker chunks(dir, check);

  // 1. Every snapshot: its signature, its manifest, every chunk it names.
  auto listed = ListSnapshots(dir);
  if (listed.empty()) problem("there is no snapshot in " + backup_dir);
  std::vector<OpenedSnapshot> snapshots;
  std::optional<ledger::NoteVerifier> key = options.log_key;
  size_t step = 0;
  for (const auto& [n, path] : listed) {
    ++check.snapshots;
    auto s = OpenSnapshot(dir, n, path, key);
    if (!s.ok()) {
      problem(s.status().message());
      continue;
    }
    // Unpinned, the first snapshot's key is trusted for the rest: a backup whose key
    // changes between snapshots is not one vault's history.
    if (!key) key = s->key;
    if (check.origin.empty()) check.origin = s->manifest.origin;
    const std::string name = path.filename().string();
    chunks.Chunk(s->manifest.keys, "key slots and settings of " + name, false);
    for (size_t i = 0; i < s->manifest.versions.size(); ++i)
      chunks.Chunk(s->manifest.versions[i].chunk,
                   "versions pack " + std::to_string(i + 1) + " of " + name, false);
    for (const auto& f : s->manifest.files)
      for (size_t i = 0; i < f.chunks.size(); ++i)
        chunks.Chunk(f.chunks[i],
                     f.path + ", part " + std::to_string(i + 1) + " of " +
                         std::to_string(f.chunks.size()) + ", in " + name,
                     false);
    snapshots.push_back(std::move(s).value());
    if (options.progress) options.progress(++step, listed.size() + 2);
  }
  if (snapshots.empty()) return check;
  const OpenedSnapshot& latest = snapshots.back();
  const Manifest& m = latest.manifest;
  const std::string latest_name = SnapshotPath(dir, latest.number).filename().string();
  check.files = m.files.size();

  // 2. The latest snapshot's versions: whole packs, each record's versions 1, 2, 3...
  std::map<std::string, int64_t> latest_version;
  for (size_t i = 0; i < m.versions.size(); ++i) {
    const std::string what = "versions pack " + std::to_string(i + 1) + " of " + latest_name;
    auto bytes = chunks.Chunk(m.versions[i].chunk, what, true);
    if (!bytes) continue;
    auto versions = DecodeVersions(*bytes, what);
    if (!versions.ok()) {
      problem(versions.status().message());
      continue;
    }
    if (versions->size() != m.versions[i].count)
      problem(what + " holds " + std::to_string(versions->size()) +
              " versions; the manifest says " + std::to_string(m.versions[i].count));
    for (const auto& v : *versions) {
      int64_t& have = latest_version[v.record_id];
      if (v.version == have) continue;  // backed up twice: restored once
      if (v.version != have + 1)
        problem(what + ": record " + v.record_id + " jumps from version " + std::to_string(have) +
                " to " + std::to_string(v.version));
      have = v.version;
      ++check.versions;
    }
  }
  check.records = latest_version.size();
  auto keys_bytes = chunks.Chunk(m.keys, "key slots and settings of " + latest_name, true);
  std::optional<KeysPack> keys;
  if (keys_bytes) {
    auto k = DecodeKeys(*keys_bytes, "the keys chunk of " + latest_name);
    if (k.ok())
      keys = std::move(k).value();
    else
      problem(k.status().message());
  }

  // 3. The log, rebuilt from its chunks in a scratch directory and opened read-only: every
  // tile is re-hashed on open.
  ScratchDir scratch;
  if (scratch.path().empty()) return Status::Io("cannot create a temporary directory");
  bool log_whole = true;
  for (const auto& f : m.files) {
    if (!f.path.starts_with(std::string(vault::kLogDir) + "/")) continue;
    std::string bytes;
    for (const auto& c : f.chunks) {
      auto piece = chunks.Chunk(c, f.path + " in " + latest_name, true);
      if (!piece) {
        log_whole = false;
        break;
      }
      bytes += *piece;
    }
    fs::path out = scratch.path() / f.path;
    fs::create_directories(out.parent_path(), ec);
    if (!WriteWhole(out, bytes, false).ok()) return Status::Io("cannot write " + out.string());
  }
  if (options.progress) options.progress(listed.size() + 1, listed.size() + 2);
  if (!log_whole) {
    problem("the log in " + latest_name + " cannot be checked: some of its chunks are damaged");
    return check;
  }
  auto log = vault::VaultLog::Open(scratch.path() / vault::kLogDir, nullptr,
                                   ledger::Log::Mode::kReadOnly, false);
  if (!log.ok()) {
    problem("the log in " + latest_name + ": " + log.status().message());
    return check;
  }
  const ledger::Log& tree = (*log)->log();
  check.log_entries = tree.Size();
  auto checkpoints = (*log)->Checkpoints();
  if (!checkpoints.ok()) {
    problem("the log's checkpoints: " + checkpoints.status().message());
  } else {
    ledger::CheckpointPolicy policy{*key, "", {}, 0};
    for (const auto& cp : *checkpoints) {
      ++check.checkpoints;
      std::string where = fs::path(cp.path).lexically_relative(scratch.path()).generic_string();
      auto v = ledger::VerifyCheckpoint(cp.note, policy);
      if (!v.ok()) {
        problem(where + ": " + v.status().message());
        continue;
      }
      if (v->checkpoint.size > tree.Size()) {
        problem(where + ": the vault signed a log of " + std::to_string(v->checkpoint.size) +
                " entries, but the backup's log holds " + std::to_string(tree.Size()));
        continue;
      }
      auto root = tree.RootAt(v->checkpoint.size);
      if (!root.ok() || *root != v->checkpoint.root)
        problem(where + ": the log no longer matches this checkpoint of size " +
                std::to_string(v->checkpoint.size));
    }
    if (checkpoints->empty()) problem("the log in " + latest_name + " has no checkpoint");
  }
  // Every snapshot's log is a prefix of the latest one: the log only grows.
  for (const auto& s : snapshots) {
    const std::string name = SnapshotPath(dir, s.number).filename().string();
    if (s.manifest.log_size > tree.Size()) {
      problem(name + " had a log of " + std::to_string(s.manifest.log_size) +
              " entries; the latest has " + std::to_string(tree.Size()) + ": it was rolled back");
      continue;
    }
    auto root = tree.RootAt(s.manifest.log_size);
    if (!root.ok() || ledger::HexOf(*root) != s.manifest.log_root_hex)
      problem(name + ": its log of " + std::to_string(s.manifest.log_size) +
              " entries is not a prefix of the latest snapshot's log (history was rewritten)");
  }
  // The log holds a leaf for the latest version of every record backed up, and the size
  // the store's last batch promised.
  for (const auto& [id, version] : latest_version) {
    const auto* tip = (*log)->LatestRecord(id);
    if (!tip)
      problem("record " + id + " (version " + std::to_string(version) +
              ") has no entry in the log");
    else if (tip->version != static_cast<uint64_t>(version))
      problem("record " + id + ": the backup holds version " + std::to_string(version) +
              ", the log's latest entry is version " + std::to_string(tip->version));
  }
  for (const auto& [id, tip] : (*log)->record_tips())
    if (!latest_version.count(id))
      problem("log entry " + std::to_string(tip.index) + " (record " + id +
              ") has no version in the backup");
  if (keys) {
    auto it = keys->settings.find(vault::kLogSizeSetting);
    uint64_t expected = 0;
    if (it != keys->settings.end())
      expected =
          std::strtoull(std::string(it->second.begin(), it->second.end()).c_str(), nullptr, 10);
    if (tree.Size() < expected)
      problem("the store's last batch needs a log of " + std::to_string(expected) +
              " entries, but the backup's log holds " + std::to_string(tree.Size()));
  }
  if (options.progress) options.progress(listed.size() + 2, listed.size() + 2);
  return check;
}

}  // namespace izde::backup
