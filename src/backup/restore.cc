// Restoring a snapshot into a new vault directory: see backup.h.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "backup/backup.h"
#include "backup/chunk_store.h"
#include "backup/pack.h"
#include "backup/snapshot.h"
#include "store/sqlite/sqlite_store.h"

namespace izde::backup {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRestoringMarker = ".izde-restoring";

Result<OpenedSnapshot> PickSnapshot(const fs::path& dir, uint64_t wanted,
                                    const std::optional<ledger::NoteVerifier>& key) {
  auto snapshots = ListSnapshots(dir);
  if (snapshots.empty())
    return Status::NotFound(dir.string() +
                            " holds no backup snapshot (is it the right directory?)");
  if (wanted == 0) return OpenSnapshot(dir, snapshots.back().first, snapshots.back().second, key);
  for (const auto& [n, path] : snapshots)
    if (n == wanted) return OpenSnapshot(dir, n, path, key);
  return Status::NotFound("there is no snapshot " + std::to_string(wanted) + " in " + dir.string() +
                          " (the latest is " + std::to_string(snapshots.back().first) + ")");
}

Status FillStore(store::Store& store, const ChunkStore& chunks, const Manifest& m,
                 RestoreReport& report, const Progress& progress, uint64_t total) {
  IZDE_ASSIGN_OR_RETURN(std::string keys_bytes, chunks.Get(m.keys, "key slots and settings"));
  IZDE_ASSIGN_OR_RETURN(KeysPack keys, DecodeKeys(keys_bytes, "the keys chunk " + m.keys));
  for (const auto& slot : keys.slots) IZDE_RETURN_IF_ERROR(store.PutKeySlot(slot));
  for (const auto& [k, v] : keys.settings) IZDE_RETURN_IF_ERROR(store.SetSetting(k, v));
  report.users = keys.slots.size();
  std::set<std::pair<std::string, int64_t>> seen;
  for (size_t i = 0; i < m.versions.size(); ++i) {
    const std::string what = "versions pack " + std::to_string(i + 1);
    IZDE_ASSIGN_OR_RETURN(std::string bytes, chunks.Get(m.versions[i].chunk, what));
    IZDE_ASSIGN_OR_RETURN(auto versions,
                          DecodeVersions(bytes, what + " (chunk " + m.versions[i].chunk + ")"));
    for (const auto& v : versions) {
      // A version backed up twice (a run that re-read a change) is restored once.
      if (!seen.emplace(v.record_id, v.version).second) continue;
      IZDE_RETURN_IF_ERROR(store.AppendVersion(v).Within(what));
      ++report.versions;
    }
    if (progress) progress(report.versions, total);
  }
  return Status::Ok();
}

// Writes one file piece by piece, as each chunk is read and checked: an evidence video
// larger than memory is restored holding one chunk (4 MiB) at a time. Not synced here;
// the caller syncs the file system once.
Status RestoreFile(const ChunkStore& chunks, const FileEntry& f, const fs::path& out) {
  int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot create " + out.string() + ": " + std::strerror(errno));
  uint64_t written = 0;
  Status st = Status::Ok();
  for (size_t i = 0; i < f.chunks.size() && st.ok(); ++i) {
    auto piece = chunks.Get(f.chunks[i], f.path + ", part " + std::to_string(i + 1) + " of " +
                                             std::to_string(f.chunks.size()));
    if (!piece.ok()) {
      st = piece.status();
      break;
    }
    for (size_t done = 0; done < piece->size();) {
      ssize_t n = ::write(fd, piece->data() + done, piece->size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        st = Status::Io("cannot write " + out.string() + ": " + std::strerror(errno));
        break;
      }
      done += static_cast<size_t>(n);
    }
    written += piece->size();
  }
  if (::close(fd) != 0 && st.ok()) st = Status::Io("cannot write " + out.string());
  if (st.ok() && written != f.size)
    st = Status::Corrupt("the chunks of " + f.path + " hold " + std::to_string(written) +
                         " bytes; the manifest says " + std::to_string(f.size));
  return st;
}

}  // namespace

Result<RestoreReport> Restore(const std::string& backup_dir, const std::string& vault_dir,
                              const RestoreOptions& options) {
  const fs::path dir(backup_dir), target(vault_dir);
  std::error_code ec;
  if (fs::exists(target, ec) && (!fs::is_directory(target, ec) || !fs::is_empty(target, ec)))
    return Status::AlreadyExists(vault_dir +
                                 " is not empty: restore into a new directory, so that nothing "
                                 "there is overwritten");
  IZDE_ASSIGN_OR_RETURN(OpenedSnapshot snap, PickSnapshot(dir, options.snapshot, options.log_key));
  const Manifest& m = snap.manifest;
  ChunkStore chunks(dir);

  // Assembled beside the target and renamed into place at the end.
  fs::path staging = target;
  staging += ".restoring";
  if (fs::exists(staging, ec)) {
    if (!fs::exists(staging / kRestoringMarker, ec))
      return Status::AlreadyExists(staging.string() +
                                   " exists and was not made by izde restore: move it away");
    fs::remove_all(staging, ec);  // an earlier, interrupted restore
  }
  fs::create_directories(staging / vault::kBlobDir, ec);
  if (ec) return Status::Io("cannot create " + staging.string() + ": " + ec.message());
  fs::permissions(staging, fs::perms::owner_all, ec);
  IZDE_RETURN_IF_ERROR(WriteWhole(staging / kRestoringMarker, "", false));

  RestoreReport report;
  report.snapshot = snap.number;
  uint64_t total = 0;
  for (const auto& v : m.versions) total += v.count;
  {
    IZDE_ASSIGN_OR_RETURN(
        auto store, store::SqliteStore::Open((staging / vault::kDatabaseFile).string(), true));
    IZDE_RETURN_IF_ERROR(store->Begin());
    Status filled = FillStore(*store, chunks, m, report, options.progress, total);
    if (!filled.ok()) {
      store->Rollback();
      return filled.Within("restoring snapshot " + std::to_string(snap.number));
    }
    IZDE_RETURN_IF_ERROR(store->Commit());
  }
  for (const auto& f : m.files) {
    fs::path out = staging / f.path;
    fs::create_directories(out.parent_path(), ec);
    IZDE_RETURN_IF_ERROR(RestoreFile(chunks, f, out));
    ++report.files;
  }
  IZDE_RETURN_IF_ERROR(SyncFileSystem(staging));
  fs::remove(staging / kRestoringMarker, ec);
  if (fs::exists(target, ec)) fs::remove(target, ec);  // empty, checked above
  fs::rename(staging, target, ec);
  if (ec)
    return Status::Io("the vault was restored into " + staging.string() +
                      " but cannot be renamed to " + vault_dir + ": " + ec.message());
  SyncDirectory(fs::absolute(target).parent_path());
  return report;
}

}  // namespace izde::backup
