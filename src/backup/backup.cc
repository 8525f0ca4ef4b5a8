// Writing a backup: see backup.h and docs/formats/backup.md.
#include "backup/backup.h"

#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_set>

#include "backup/chunk_store.h"
#include "backup/pack.h"
#include "backup/snapshot.h"
#include "ledger/sha256.h"

namespace izde::backup {
namespace fs = std::filesystem;
namespace {

// Sizes of the pieces: big enough that a vault of a million versions makes a few hundred
// chunks, small enough that a run holds little in memory.
constexpr size_t kFilePiece = 4 << 20;
constexpr size_t kPackBytes = 4 << 20;
constexpr size_t kPackVersions = 8192;
// Changes are read from the store this many at a time.
constexpr size_t kChangeBatch = 4096;

// What of the vault directory is backed up besides the store: the marker, the sealed
// evidence files, the log. The store is read through the Store interface; the search
// index cache is rebuilt at the first unlock after a restore.
bool IsBackedUp(const std::string& rel) {
  if (rel.find(".tmp") != std::string::npos || rel.ends_with(".part")) return false;
  // Marks of uploads in progress (vault.h, MarkPendingBlob): nothing to restore.
  if (rel.starts_with(std::string(vault::kBlobDir) + "/pending/")) return false;
  return rel == vault::kMarkerFile || rel.starts_with(std::string(vault::kBlobDir) + "/") ||
         rel.starts_with(std::string(vault::kLogDir) + "/");
}

class Writer {
 public:
  Writer(const fs::path& dir, const BackupOptions& o, std::unordered_set<std::string> trusted)
      : chunks_(dir), options_(o), trusted_(std::move(trusted)) {}

  Result<std::string> Put(std::string_view bytes) {
    std::string hash = Sha256Hex(bytes);
    if (trusted_.count(hash)) return hash;
    if (options_.before_write)
      IZDE_RETURN_IF_ERROR(options_.before_write("chunk " + std::to_string(attempts_ + 1)));
    ++attempts_;
    bool written = false;
    IZDE_ASSIGN_OR_RETURN(std::string h, chunks_.Put(bytes, false, &written));
    trusted_.insert(h);
    if (written) ++report_chunks, report_bytes += bytes.size();
    return h;
  }
  bool Has(const std::string& hash) const { return trusted_.count(hash) || chunks_.Has(hash); }

  uint64_t report_chunks = 0, report_bytes = 0;

 private:
  ChunkStore chunks_;
  const BackupOptions& options_;
  // Chunks that a synced snapshot refers to, or that this run wrote.
  std::unordered_set<std::string> trusted_;
  uint64_t attempts_ = 0;
};

int64_t MtimeNs(const fs::path& p) {
  struct stat st;
  if (::stat(p.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

}  // namespace

Result<BackupReport> Backup(vault::Vault& vault, const std::string& dir_text,
                            const BackupOptions& options) {
  store::Store* store = vault.store();
  if (!store || !vault.log()) return Status::Locked("the vault is locked");
  // A damaged database is not backed up as if it were whole (unlocking does not read
  // every page; this does).
  IZDE_RETURN_IF_ERROR(store->CheckIntegrity());
  const fs::path dir(dir_text);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !fs::exists(dir / kBackupMarker, ec))
    return Status::InvalidInput(dir_text +
                                " is not empty and not an izde backup: choose an empty or new "
                                "directory");
  fs::create_directories(dir / kSnapshotDir, ec);
  fs::create_directories(dir / kChunkDir, ec);
  if (ec) return Status::Io("cannot create the backup directory " + dir_text + ": " + ec.message());
  if (!fs::exists(dir / kBackupMarker, ec))
    IZDE_RETURN_IF_ERROR(WriteWhole(dir / kBackupMarker,
                                    "izde backup, format 1. Holds only ciphertext; see "
                                    "docs/formats/backup.md.\n",
                                    true));

  const ledger::NoteVerifier& key = vault.log()->verifier();
  BackupReport report;

  // The newest earlier snapshot this vault signed: the base of an incremental run.
  std::optional<OpenedSnapshot> previous;
  auto snapshots = ListSnapshots(dir);
  for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
    auto s = OpenSnapshot(dir, it->first, it->second, key);
    if (s.ok()) {
      previous = std::move(s).value();
      break;
    }
    if (s.status().code() == Status::Code::kPermissionDenied)
      return Status::InvalidInput(dir_text + " holds the backup of another vault (" +
                                  s.status().message() + "): use another directory");
    report.warnings.push_back(s.status().message() + "; it is not used as a base");
  }
  const uint64_t number = snapshots.empty() ? 1 : snapshots.back().first + 1;

  std::unordered_set<std::string> trusted;
  if (previous) {
    trusted.insert(previous->manifest_hash);
    trusted.insert(previous->manifest.keys);
    for (const auto& v : previous->manifest.versions) trusted.insert(v.chunk);
    for (const auto& f : previous->manifest.files) trusted.insert(f.chunks.begin(), f.chunks.end());
    // A chunk the snapshot names but that is gone is written again.
    for (auto it = trusted.begin(); it != trusted.end();)
      it = ChunkStore(dir).Has(*it) ? std::next(it) : trusted.erase(it);
  }
  Writer w(dir, options, std::move(trusted));

  Manifest m;
  m.origin = key.name;
  m.verifier = key.Encode();
  m.created = static_cast<int64_t>(std::time(nullptr));

  // 1. The store's versions written since the previous snapshot, in the order written.
  int64_t since = 0;
  if (previous) {
    // The change numbers must still mean what they meant (a vault restored from another
    // backup numbers its changes anew): the previous last change must be where it was.
    const auto& pm = previous->manifest;
    bool same = pm.changes == 0;
    if (!same) {
      int64_t seen = 0;
      std::string id;
      int64_t version = 0;
      IZDE_RETURN_IF_ERROR(
          store->ChangesSince(pm.changes - 1, [&](const std::string& i, int64_t v) {
            if (seen++ == 0) id = i, version = v;
            return Status::Ok();
          }));
      same = seen > 0 && id == pm.last_change_id && version == pm.last_change_version;
    }
    if (same) {
      since = pm.changes;
      m.versions = pm.versions;
      report.incremental = true;
      for (const auto& v : pm.versions) report.total_versions += v.count;
    } else {
      report.warnings.push_back(
          "the vault's change numbers differ from the previous snapshot's "
          "(was it restored?): all versions are backed up again");
    }
  }
  IZDE_ASSIGN_OR_RETURN(const int64_t last, store->LastChange());
  const size_t files_estimate = 1000;
  const size_t total_work =
      static_cast<size_t>(std::max<int64_t>(0, last - since)) + files_estimate;
  size_t done = 0;
  auto tick = [&](size_t n) {
    done += n;
    if (options.progress) options.progress(std::min(done, total_work), total_work);
  };

  std::vector<store::StoredVersion> pack;
  size_t pack_bytes = 0;
  auto flush_pack = [&]() -> Status {
    if (pack.empty()) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(std::string h, w.Put(EncodeVersions(pack)));
    m.versions.push_back({h, pack.size()});
    report.new_versions += pack.size();
    report.total_versions += pack.size();
    pack.clear();
    pack_bytes = 0;
    return Status::Ok();
  };
  std::vector<std::pair<std::string, int64_t>> batch;
  int64_t through = since;
  auto flush_batch = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    // One History read per record of the batch; the versions then go out in change order.
    std::map<std::string, std::vector<store::StoredVersion>> histories;
    for (const auto& [id, _] : batch)
      if (!histories.count(id)) {
        IZDE_ASSIGN_OR_RETURN(histories[id], store->History(id));
      }
    for (const auto& [id, version] : batch) {
      const store::StoredVersion* found = nullptr;
      for (const auto& v : histories[id])
        if (v.version == version) found = &v;
      if (!found)
        return Status::Corrupt("the store lists version " + std::to_string(version) +
                               " of record " + id + " as written, but does not hold it");
      pack_bytes += found->sealed.size() + found->wrapped_key.size() + found->record_id.size() + 64;
      pack.push_back(*found);
      if (pack.size() >= kPackVersions || pack_bytes >= kPackBytes)
        IZDE_RETURN_IF_ERROR(flush_pack());
    }
    tick(batch.size());
    batch.clear();
    return Status::Ok();
  };
  Status scan = store->ChangesSince(since, [&](const std::string& id, int64_t version) {
    if (++through > last) return Status::Ok();  // written while we read: the next run's
    m.last_change_id = id;
    m.last_change_version = version;
    batch.emplace_back(id, version);
    return batch.size() >= kChangeBatch ? flush_batch() : Status::Ok();
  });
  IZDE_RETURN_IF_ERROR(scan);
  IZDE_RETURN_IF_ERROR(flush_batch());
  IZDE_RETURN_IF_ERROR(flush_pack());
  m.changes = std::min(through, last);
  if (m.changes == since && previous) {
    m.last_change_id = previous->manifest.last_change_id;
    m.last_change_version = previous->manifest.last_change_version;
  }

  // 2. Key slots (wrapped) and settings (the log key among them, sealed).
  KeysPack keys;
  IZDE_ASSIGN_OR_RETURN(keys.slots, store->ListKeySlots());
  IZDE_ASSIGN_OR_RETURN(keys.settings, store->ListSettings());
  IZDE_ASSIGN_OR_RETURN(m.keys, w.Put(EncodeKeys(keys)));

  // 3. The files: the marker, sealed evidence files, the log. A file unchanged since the
  // previous snapshot (same size and time) keeps its chunks without being read.
  m.log_size = vault.log()->Size();
  IZDE_ASSIGN_OR_RETURN(auto root, vault.log()->log().RootAt(m.log_size));
  m.log_root_hex = ledger::HexOf(root);
  std::map<std::string, const FileEntry*> before;
  if (previous)
    for (const auto& f : previous->manifest.files) before[f.path] = &f;
  const fs::path vault_dir(vault.dir());
  std::vector<fs::path> paths;
  for (fs::recursive_directory_iterator it(vault_dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file()) paths.push_back(it->path());
  if (ec) return Status::Io("cannot list " + vault.dir() + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  size_t files_done = 0;
  for (const auto& p : paths) {
    std::string rel = p.lexically_relative(vault_dir).generic_string();
    if (!IsBackedUp(rel)) continue;
    FileEntry e;
    e.path = rel;
    e.size = fs::file_size(p, ec);
    if (ec) continue;  // removed while we looked (a temporary file)
    e.mtime_ns = MtimeNs(p);
    auto it = before.find(rel);
    bool reuse =
        it != before.end() && it->second->size == e.size && it->second->mtime_ns == e.mtime_ns;
    if (reuse)
      for (const auto& c : it->second->chunks) reuse = reuse && w.Has(c);
    if (reuse) {
      e.chunks = it->second->chunks;
    } else {
      // Piece by piece: an evidence video can be larger than memory.
      std::ifstream in(p, std::ios::binary);
      if (!in) return Status::Io("cannot read " + p.string() + " to back it up");
      std::string piece(kFilePiece, '\0');
      e.size = 0;
      for (;;) {
        in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
        size_t n = static_cast<size_t>(in.gcount());
        if (n == 0) break;
        e.size += n;
        auto h = w.Put(std::string_view(piece).substr(0, n));
        if (!h.ok()) return h.status().Within("backing up " + rel);
        e.chunks.push_back(*h);
        if (n < piece.size()) break;
      }
      if (in.bad()) return Status::Io("cannot read " + p.string() + " to back it up");
    }
    m.files.push_back(std::move(e));
    if (++files_done <= files_estimate) tick(1);
  }
  // 3b. A vault on PostgreSQL keeps its sealed evidence files in the database: they are
  // backed up under the names they have in a vault directory, so that a restore makes an
  // ordinary vault. They never change once written, so one backed up before is kept.
  if (store::SharedFiles* shared = store->shared()) {
    IZDE_ASSIGN_OR_RETURN(auto blobs, shared->ListBlobs());
    for (const auto& [name, size] : blobs) {
      if (name.size() != 32 || name.find_first_not_of("0123456789abcdef") != std::string::npos)
        return Status::Corrupt("the database holds an evidence file named '" + name +
                               "', which is not a blob name");
      FileEntry e;
      e.path = std::string(vault::kBlobDir) + "/" + name.substr(0, 2) + "/" + name + ".blob";
      e.size = size;
      auto it = before.find(e.path);
      bool reuse = it != before.end() && it->second->size == size;
      if (reuse)
        for (const auto& c : it->second->chunks) reuse = reuse && w.Has(c);
      if (reuse) {
        e.chunks = it->second->chunks;
      } else {
        std::string piece;
        uint64_t read = 0;
        Status st = shared->ReadBlob(name, [&](const store::Bytes& b) -> Status {
          piece.append(b.begin(), b.end());
          read += b.size();
          while (piece.size() >= kFilePiece) {
            IZDE_ASSIGN_OR_RETURN(std::string h,
                                  w.Put(std::string_view(piece).substr(0, kFilePiece)));
            e.chunks.push_back(h);
            piece.erase(0, kFilePiece);
          }
          return Status::Ok();
        });
        if (st.ok() && !piece.empty()) {
          auto h = w.Put(piece);
          if (h.ok()) e.chunks.push_back(*h);
          st = h.status();
        }
        if (!st.ok()) return st.Within("backing up evidence file " + name + " from the database");
        e.size = read;
      }
      m.files.push_back(std::move(e));
      if (++files_done <= files_estimate) tick(1);
    }
    std::sort(m.files.begin(), m.files.end(),
              [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  }
  report.files = m.files.size();

  // 4. The manifest, a flush of everything, then the snapshot that makes it count.
  IZDE_ASSIGN_OR_RETURN(std::string manifest_hash, w.Put(m.Encode()));
  IZDE_RETURN_IF_ERROR(SyncFileSystem(dir));
  IZDE_ASSIGN_OR_RETURN(std::string note,
                        vault.SignNote(SnapshotNoteText(m.origin, number, manifest_hash)));
  if (options.before_write) IZDE_RETURN_IF_ERROR(options.before_write("snapshot"));
  const fs::path target = SnapshotPath(dir, number);
  if (fs::exists(target, ec))
    return Status::AlreadyExists("another backup wrote " + target.string() +
                                 " meanwhile; run the backup again");
  IZDE_RETURN_IF_ERROR(WriteWhole(target, note, true));
  report.snapshot = number;
  report.chunks_written = w.report_chunks;
  report.bytes_written = w.report_bytes;
  if (options.progress) options.progress(total_work, total_work);
  return report;
}

}  // namespace izde::backup
