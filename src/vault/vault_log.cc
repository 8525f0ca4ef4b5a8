#include "vault/vault_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "ledger/note.h"
#include "ledger/timestamp.h"

namespace izde::vault {
namespace fs = std::filesystem;
namespace {

Status WriteFileDurably(const fs::path& target, const std::string& content) {
  const fs::path tmp = target.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot create " + tmp.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status::Io("cannot write " + tmp.string() + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Status::Io("cannot flush " + tmp.string());
  if (::rename(tmp.c_str(), target.c_str()) != 0)
    return Status::Io("cannot rename " + tmp.string() + ": " + std::strerror(errno));
  int dfd = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Result<std::string> ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + p.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Checkpoint history files are named by tree size, zero-padded so that they sort.
std::string HistoryName(uint64_t size) {
  std::string s = std::to_string(size);
  return std::string(20 - s.size(), '0') + s;
}

constexpr const char* kCosignerPrefix = "cosigners/";
// In VAULT/log of a vault on PostgreSQL: this directory's own tokens, cosigners and
// authority were given to the database (ShareLocalFiles).
constexpr const char* kFilesSharedMark = "files-shared";

std::string TimestampName(uint64_t size) {
  return std::string(kTimestampDir) + "/" + HistoryName(size);
}

// The size a file under timestamps/ (or a history file) is named by; nullopt when the name
// is not 20 digits.
std::optional<uint64_t> SizeOfName(const std::string& name) {
  if (name.size() != 20 || name.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::strtoull(name.c_str(), nullptr, 10);
}

// `stored` with the signatures of `cosigs` it lacks, when it is a note of `text`; nullopt
// when there is nothing to add.
Result<std::optional<std::string>> MergeCosignatures(
    const std::string& stored, const std::string& text,
    const std::vector<ledger::NoteSignature>& cosigs) {
  IZDE_ASSIGN_OR_RETURN(ledger::Note note, ledger::ParseNote(stored));
  if (note.text != text) return std::optional<std::string>();
  std::vector<ledger::NoteSignature> add;
  for (const auto& s : cosigs) {
    bool have = false;
    for (const auto& o : note.signatures) have |= o.name == s.name && o.key_id == s.key_id;
    if (!have) add.push_back(s);
  }
  if (add.empty()) return std::optional<std::string>();
  IZDE_ASSIGN_OR_RETURN(std::string merged, ledger::AddSignatures(stored, add));
  return std::optional<std::string>(std::move(merged));
}

// VAULT/log/tips.cache (vault.md "The ledger"): "IZT1" u64le(log size) root(32)
// u32le(records) u32le(evidence files), then for each, sorted by id:
// u16le(id length) id u64le(version) u64le(index) leaf(32).
constexpr const char* kTipsCacheFile = "tips.cache";
constexpr std::string_view kTipsMagic = "IZT1";

void PutLe(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t GetLe(const std::string& in, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<uint8_t>(in[pos + i])} << (8 * i);
  return v;
}

std::string Text(const store::Bytes& b) { return std::string(b.begin(), b.end()); }
store::Bytes Bytes(const std::string& s) { return store::Bytes(s.begin(), s.end()); }

}  // namespace

Result<uint64_t> ReadExpectedLogSize(store::Store& store) {
  auto value = store.GetSetting("log.size");
  if (!value.ok()) return value.status();
  std::string text;
  if (value->has_value()) text.assign((*value)->begin(), (*value)->end());
  return static_cast<uint64_t>(std::strtoull(text.c_str(), nullptr, 10));
}

Result<std::unique_ptr<VaultLog>> VaultLog::Open(const fs::path& dir,
                                                 std::unique_ptr<ledger::NoteSigner> signer,
                                                 ledger::Log::Mode mode, bool create,
                                                 bool lazy_tips) {
  std::error_code ec;
  const bool exists = fs::is_directory(dir / "tile", ec);
  std::unique_ptr<VaultLog> v;
  if (!exists && create) {
    IZDE_ASSIGN_OR_RETURN(auto log, ledger::Log::Create(dir));
    v.reset(new VaultLog(std::move(log)));
  } else {
    IZDE_ASSIGN_OR_RETURN(auto log, ledger::Log::Open(dir, mode));
    v.reset(new VaultLog(std::move(log)));
  }
  fs::create_directories(dir / kCheckpointHistoryDir, ec);
  if (signer) {
    v->verifier_ = signer->verifier();
    v->origin_ = signer->name();
  }
  v->signer_ = std::move(signer);
  if (!lazy_tips) IZDE_RETURN_IF_ERROR(v->EnsureTips());
  return v;
}

Status VaultLog::EnsureTips() const {
  if (tips_loaded_) return tips_status_;
  tips_loaded_ = true;
  records_.clear();
  evidence_.clear();
  tips_status_ = LoadTips();
  return tips_status_;
}

Status VaultLog::LoadTips() const {
  return log_.ForEachEntry([&](uint64_t index, const std::vector<uint8_t>& entry) -> Status {
    if (entry.empty()) return Status::Corrupt("log entry " + std::to_string(index) + " is empty");
    // The leaf's hash as the log holds it (its hash tile).
    auto hash = log_.LeafHash(index);
    if (!hash.ok()) return hash.status();
    if (entry[0] == ledger::kRecordLeafKind) {
      auto leaf = ledger::RecordLeaf::Parse(entry);
      if (!leaf.ok()) return leaf.status().Within("log entry " + std::to_string(index));
      records_[leaf->record_id] = Tip{leaf->version, *hash, index};
    } else if (entry[0] == ledger::kEvidenceLeafKind) {
      auto leaf = ledger::EvidenceLeaf::Parse(entry);
      if (!leaf.ok()) return leaf.status().Within("log entry " + std::to_string(index));
      evidence_[leaf->evidence_id] = Tip{0, *hash, index};
    } else {
      return Status::Corrupt("log entry " + std::to_string(index) + " is of unknown kind " +
                             std::to_string(entry[0]));
    }
    return Status::Ok();
  });
}

Result<bool> VaultLog::LoadTipsCache() const {
  if (cache_tried_) return cache_usable_;
  cache_tried_ = true;
  {
    // Read at once into a buffer of its size (tens of MB for a million records).
    std::ifstream in(log_.dir() / kTipsCacheFile, std::ios::binary | std::ios::ate);
    if (!in) return false;
    const std::streamoff n = in.tellg();
    if (n <= 0) return false;
    cache_bytes_.resize(static_cast<size_t>(n));
    in.seekg(0);
    if (!in.read(cache_bytes_.data(), n)) {
      cache_bytes_.clear();
      return false;
    }
  }
  const std::string& b = cache_bytes_;
  auto unusable = [&]() {
    cached_records_.clear();
    cached_evidence_.clear();
    cache_bytes_.clear();
    return false;
  };
  constexpr size_t kHeader = 4 + 8 + 32 + 4 + 4;
  if (b.size() < kHeader || b.compare(0, 4, kTipsMagic) != 0) return unusable();
  const uint64_t size = GetLe(b, 4, 8);
  ledger::Hash root;
  std::copy_n(b.begin() + 12, 32, root.begin());
  const uint64_t counts[2] = {GetLe(b, 44, 4), GetLe(b, 48, 4)};
  // Bound to the log as it is: the root of its first `size` entries must be the cache's.
  if (size > log_.Size()) return unusable();
  auto at = log_.RootAt(size);
  if (!at.ok() || *at != root) return unusable();
  size_t pos = kHeader;
  for (int kind = 0; kind < 2; ++kind) {
    auto& list = kind == 0 ? cached_records_ : cached_evidence_;
    list.reserve(counts[kind]);
    for (uint64_t i = 0; i < counts[kind]; ++i) {
      if (pos + 2 > b.size()) return unusable();
      const size_t n = GetLe(b, pos, 2);
      if (pos + 2 + n + 8 + 8 + 32 > b.size()) return unusable();
      CachedTipEntry e;
      e.id = std::string_view(b).substr(pos + 2, n);
      pos += 2 + n;
      e.tip.version = GetLe(b, pos, 8);
      e.tip.index = GetLe(b, pos + 8, 8);
      std::copy_n(b.begin() + pos + 16, 32, e.tip.leaf.begin());
      pos += 48;
      if (e.tip.index >= size || (!list.empty() && !(list.back().id < e.id))) return unusable();
      list.push_back(e);
    }
  }
  if (pos != b.size()) return unusable();
  // The entries logged since, newer than anything in the cache.
  std::vector<uint64_t> tail;
  for (uint64_t i = size; i < log_.Size(); ++i) tail.push_back(i);
  IZDE_ASSIGN_OR_RETURN(auto entries, log_.Entries(tail));
  for (size_t k = 0; k < entries.size(); ++k) {
    const auto& entry = entries[k];
    const uint64_t index = tail[k];
    const std::string where = "log entry " + std::to_string(index);
    if (entry.empty()) return Status::Corrupt(where + " is empty");
    const ledger::Hash h = ledger::HashLeaf(entry);
    if (entry[0] == ledger::kRecordLeafKind) {
      IZDE_ASSIGN_OR_RETURN(auto leaf, ledger::RecordLeaf::Parse(entry));
      records_[leaf.record_id] = Tip{leaf.version, h, index};
    } else if (entry[0] == ledger::kEvidenceLeafKind) {
      IZDE_ASSIGN_OR_RETURN(auto leaf, ledger::EvidenceLeaf::Parse(entry));
      evidence_[leaf.evidence_id] = Tip{0, h, index};
    } else {
      return Status::Corrupt(where + " is of unknown kind " + std::to_string(entry[0]));
    }
  }
  cache_size_ = size;
  cache_usable_ = true;
  return true;
}

Result<const VaultLog::Tip*> VaultLog::CachedTip(bool record, const std::string& id,
                                                 uint64_t stored_version) const {
  const auto& list = record ? cached_records_ : cached_evidence_;
  auto it = std::lower_bound(list.begin(), list.end(), std::string_view(id),
                             [](const CachedTipEntry& e, std::string_view x) { return e.id < x; });
  if (it == list.end() || it->id != id) return nullptr;
  const Tip tip = it->tip;
  // The entry the cache names must be this record's (this version's) leaf, as logged.
  IZDE_ASSIGN_OR_RETURN(auto entry, log_.Entry(tip.index));
  if (entry.empty() || ledger::HashLeaf(entry) != tip.leaf) return nullptr;
  if (record) {
    if (entry[0] != ledger::kRecordLeafKind) return nullptr;
    auto leaf = ledger::RecordLeaf::Parse(entry);
    if (!leaf.ok() || leaf->record_id != id || leaf->version != tip.version ||
        tip.version != stored_version)
      return nullptr;
  } else {
    if (entry[0] != ledger::kEvidenceLeafKind) return nullptr;
    auto leaf = ledger::EvidenceLeaf::Parse(entry);
    if (!leaf.ok() || leaf->evidence_id != id) return nullptr;
  }
  auto& map = record ? records_ : evidence_;
  return &(map[id] = tip);
}

Result<const VaultLog::Tip*> VaultLog::RecordTipOf(const std::string& id,
                                                   uint64_t stored_version) const {
  if (!tips_loaded_) {
    IZDE_ASSIGN_OR_RETURN(bool usable, LoadTipsCache());
    if (usable) {
      const auto& list = cached_records_;
      auto cached = [&] {
        return std::binary_search(
            list.begin(), list.end(), CachedTipEntry{id, {}},
            [](const CachedTipEntry& a, const CachedTipEntry& b) { return a.id < b.id; });
      };
      if (auto it = records_.find(id); it != records_.end()) {
        if (it->second.version == stored_version) return &it->second;
      } else if (stored_version == 0) {
        if (!cached()) return nullptr;  // a new record: no leaf yet
      } else {
        IZDE_ASSIGN_OR_RETURN(const Tip* tip, CachedTip(true, id, stored_version));
        if (tip) return tip;
      }
    }
  }
  // No usable cache, or it and the store disagree: the log, read whole, decides.
  IZDE_RETURN_IF_ERROR(EnsureTips());
  return LatestRecord(id);
}

Result<const VaultLog::Tip*> VaultLog::EvidenceTipOf(const std::string& id, bool stored) const {
  if (!tips_loaded_) {
    IZDE_ASSIGN_OR_RETURN(bool usable, LoadTipsCache());
    if (usable) {
      const auto& list = cached_evidence_;
      auto cached = [&] {
        return std::binary_search(
            list.begin(), list.end(), CachedTipEntry{id, {}},
            [](const CachedTipEntry& a, const CachedTipEntry& b) { return a.id < b.id; });
      };
      if (auto it = evidence_.find(id); it != evidence_.end()) return &it->second;
      if (!stored) {
        if (!cached()) return nullptr;
      } else {
        IZDE_ASSIGN_OR_RETURN(const Tip* tip, CachedTip(false, id, 0));
        if (tip) return tip;
      }
    }
  }
  IZDE_RETURN_IF_ERROR(EnsureTips());
  return LatestEvidence(id);
}

Status VaultLog::SaveTipsCache() const {
  if (!signer_ || log_.Size() != log_.CommittedSize()) return Status::Ok();
  const uint64_t size = log_.Size();
  if (tips_loaded_) {
    if (!tips_status_.ok()) return Status::Ok();
    // Written when the cache was consulted and could not answer (none, not this log's, or
    // disagreeing with the store), or when it lags.
    if (!cache_tried_) {
      std::ifstream in(log_.dir() / kTipsCacheFile, std::ios::binary);
      std::string head(12, '\0');
      if (in.read(head.data(), 12) && head.compare(0, 4, kTipsMagic) == 0) {
        const uint64_t at = GetLe(head, 4, 8);
        if (at <= size && size - at < kTipsCacheSlack) return Status::Ok();
      }
    }
  } else if (!cache_usable_ || size - cache_size_ < kTipsCacheSlack) {
    return Status::Ok();  // nothing known beyond the cache, or it is recent enough
  }
  std::string out(kTipsMagic);
  PutLe(out, size, 8);
  const ledger::Hash root = log_.Root();
  out.append(reinterpret_cast<const char*>(root.data()), root.size());
  std::vector<std::pair<std::string_view, Tip>> lists[2];
  for (int kind = 0; kind < 2; ++kind) {
    const auto& map = kind == 0 ? records_ : evidence_;
    auto& list = lists[kind];
    for (const auto& [id, tip] : map) list.emplace_back(id, tip);
    if (!tips_loaded_)
      for (const auto& e : kind == 0 ? cached_records_ : cached_evidence_)
        if (!map.count(std::string(e.id))) list.emplace_back(e.id, e.tip);
    std::sort(list.begin(), list.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  PutLe(out, lists[0].size(), 4);
  PutLe(out, lists[1].size(), 4);
  for (const auto& list : lists)
    for (const auto& [id, tip] : list) {
      PutLe(out, id.size(), 2);
      out.append(id);
      PutLe(out, tip.version, 8);
      PutLe(out, tip.index, 8);
      out.append(reinterpret_cast<const char*>(tip.leaf.data()), tip.leaf.size());
    }
  // Renamed into place whole; not synced (a cache: one that does not parse or match the
  // log's root is ignored).
  const fs::path target = log_.dir() / kTipsCacheFile;
  const fs::path tmp = target.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!f) return Status::Io("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) return Status::Io("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

const VaultLog::Tip* VaultLog::LatestRecord(const std::string& id) const {
  EnsureTips();
  auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

const VaultLog::Tip* VaultLog::LatestEvidence(const std::string& id) const {
  EnsureTips();
  auto it = evidence_.find(id);
  return it == evidence_.end() ? nullptr : &it->second;
}

Result<uint64_t> VaultLog::AppendRecord(const ledger::RecordLeaf& leaf) {
  auto entry = leaf.Encode();
  ledger::Hash h = ledger::HashLeaf(entry);
  if (shared_) pending_.push_back(entry);
  IZDE_ASSIGN_OR_RETURN(uint64_t index, log_.Append(entry));
  records_[leaf.record_id] = Tip{leaf.version, h, index};
  return index;
}

Result<std::optional<uint64_t>> VaultLog::AppendEvidence(const ledger::EvidenceLeaf& leaf) {
  auto entry = leaf.Encode();
  ledger::Hash h = ledger::HashLeaf(entry);
  // Before the tips are loaded whole, the ones known are those logged since the cache and
  // those a save looked up (EvidenceTipOf), which compared the leaf already.
  const Tip* tip = nullptr;
  if (tips_loaded_) {
    tip = LatestEvidence(leaf.evidence_id);
  } else if (auto it = evidence_.find(leaf.evidence_id); it != evidence_.end()) {
    tip = &it->second;
  }
  if (tip && tip->leaf == h) return std::optional<uint64_t>();
  if (shared_) pending_.push_back(entry);
  IZDE_ASSIGN_OR_RETURN(uint64_t index, log_.Append(entry));
  evidence_[leaf.evidence_id] = Tip{0, h, index};
  return std::optional<uint64_t>(index);
}

Result<std::string> VaultLog::CommitAndCheckpoint() {
  if (!signer_) return Status::PermissionDenied("the log was opened without its signing key");
  IZDE_RETURN_IF_ERROR(log_.Commit());
  pending_.clear();
  ledger::Checkpoint cp{origin_, log_.Size(), log_.Root(), {}};
  IZDE_ASSIGN_OR_RETURN(std::string note, ledger::SignCheckpoint(cp, *signer_));
  // Signed before (by this server or, on a shared store, another): the stored note may
  // carry cosignatures since, and is kept.
  const fs::path history = log_.dir() / kCheckpointHistoryDir / HistoryName(cp.size);
  std::string kept = note;
  if (auto old = ReadText(history); old.ok() && *old != note) {
    auto a = ledger::ParseNote(*old);
    auto b = ledger::ParseNote(note);
    if (a.ok() && b.ok() && a->text == b->text) kept = *old;
  }
  if (kept == note) IZDE_RETURN_IF_ERROR(WriteStoredNote(history, note));
  IZDE_RETURN_IF_ERROR(log_.WriteCheckpoint(kept));
  // Ed25519 signatures are deterministic: any server signing this size writes this note.
  if (shared_) IZDE_RETURN_IF_ERROR(shared_->PutCheckpoint(cp.size, note));
  timestamp_problem_.clear();
  if (Status st = TimestampLatest(); !st.ok()) timestamp_problem_ = st.message();
  return note;
}

Status VaultLog::AppendEntry(std::vector<uint8_t> entry) {
  if (entry.empty()) return Status::Corrupt("an empty log entry");
  const ledger::Hash h = ledger::HashLeaf(entry);
  const uint8_t kind = entry[0];
  std::string id;
  uint64_t version = 0;
  if (kind == ledger::kRecordLeafKind) {
    IZDE_ASSIGN_OR_RETURN(auto leaf, ledger::RecordLeaf::Parse(entry));
    id = leaf.record_id, version = leaf.version;
  } else if (kind == ledger::kEvidenceLeafKind) {
    IZDE_ASSIGN_OR_RETURN(auto leaf, ledger::EvidenceLeaf::Parse(entry));
    id = leaf.evidence_id;
  } else {
    return Status::Corrupt("a log entry of unknown kind " + std::to_string(kind));
  }
  IZDE_ASSIGN_OR_RETURN(uint64_t index, log_.Append(std::move(entry)));
  (kind == ledger::kRecordLeafKind ? records_ : evidence_)[id] = Tip{version, h, index};
  return Status::Ok();
}

Status VaultLog::SyncFromShared(bool checkpoints) {
  if (!shared_) return Status::Ok();
  if (!pending_.empty())
    return Status::InvalidInput("the log has entries not yet committed; commit them first");
  IZDE_ASSIGN_OR_RETURN(const uint64_t shared_size, shared_->LogSize());
  const uint64_t here = log_.Size();
  if (here > shared_size)
    return Status::Corrupt("this server's copy of the log holds " + std::to_string(here) +
                           " entries, the database's shared log only " +
                           std::to_string(shared_size) +
                           ": the database was rolled back, or this copy belongs to another "
                           "vault");
  if (here < shared_size || here > 0) {
    const uint64_t from = here > 0 ? here - 1 : 0;
    IZDE_ASSIGN_OR_RETURN(const ledger::Hash last, here > 0 ? log_.LeafHash(here - 1)
                                                            : Result<ledger::Hash>(ledger::Hash{}));
    IZDE_RETURN_IF_ERROR(
        shared_->LogEntries(from, [&](uint64_t index, const store::Bytes& entry) -> Status {
          if (index < here) {
            if (ledger::HashLeaf(entry) != last)
              return Status::Corrupt("log entry " + std::to_string(index) +
                                     " differs between this server's copy and the database's "
                                     "shared log: the logs forked");
            return Status::Ok();
          }
          return AppendEntry(entry).Within("shared log entry " + std::to_string(index));
        }));
    if (log_.Size() != here) IZDE_RETURN_IF_ERROR(log_.Commit());
  }
  if (!checkpoints) return Status::Ok();
  return PullSharedFiles();
}

Status VaultLog::PullSharedFiles() {
  // The checkpoints every server signed, with the cosignatures any server added, so that
  // each directory's history is the same.
  IZDE_ASSIGN_OR_RETURN(auto kept, shared_->Checkpoints());
  for (const auto& [size, note] : kept) {
    if (size > log_.Size()) continue;
    const fs::path path = log_.dir() / kCheckpointHistoryDir / HistoryName(size);
    auto here = ReadText(path);
    if (!here.ok() || *here != note) IZDE_RETURN_IF_ERROR(WriteStoredNote(path, note));
    if (size != log_.Size()) continue;
    // The latest checkpoint, when the database's copy of it carries more signatures.
    auto latest = log_.ReadCheckpoint();
    if (latest.ok() && *latest != note) {
      auto a = ledger::ParseNote(*latest);
      auto b = ledger::ParseNote(note);
      if (a.ok() && b.ok() && a->text == b->text && b->signatures.size() > a->signatures.size())
        IZDE_RETURN_IF_ERROR(log_.WriteCheckpoint(note));
    }
  }
  // Tokens, cosigners and the authority.
  IZDE_ASSIGN_OR_RETURN(auto files, shared_->LogFiles(""));
  std::error_code ec;
  std::string cosigners;
  for (const auto& [name, content] : files) {
    if (name.rfind(kCosignerPrefix, 0) == 0) {
      cosigners += Text(content) + "\n";
      continue;
    }
    const bool token = name.rfind(std::string(kTimestampDir) + "/", 0) == 0;
    if (!(token && SizeOfName(name.substr(std::strlen(kTimestampDir) + 1))) &&
        name != kTsaUrlFile && name != kTsaCertFile)
      continue;  // a name this izde does not know: left in the database alone
    const fs::path path = log_.dir() / name;
    auto here = ReadText(path);
    if (here.ok() && *here == Text(content)) continue;
    if (token) fs::create_directories(log_.dir() / kTimestampDir, ec);
    IZDE_RETURN_IF_ERROR(WriteFileDurably(path, Text(content)));
  }
  // The database's authority replaces this directory's (none there: none here), once this
  // directory gave the database its own (ShareLocalFiles; `izde verify --vault` pulls
  // without giving).
  if (fs::exists(log_.dir() / kFilesSharedMark, ec))
    for (const char* name : {kTsaUrlFile, kTsaCertFile})
      if (!files.count(name)) fs::remove(log_.dir() / name, ec);
  if (!cosigners.empty()) {
    auto here = ReadText(log_.dir() / kCosignersFile);
    if (!here.ok() || *here != cosigners)
      IZDE_RETURN_IF_ERROR(WriteFileDurably(log_.dir() / kCosignersFile, cosigners));
  }
  return Status::Ok();
}

Status VaultLog::ShareLocalFiles(bool always) {
  if (!shared_) return Status::Ok();
  std::error_code ec;
  const fs::path dir = log_.dir();
  // Once per directory: after that, its files are copies of the database's.
  const fs::path done = dir / kFilesSharedMark;
  if (!always) {
    if (fs::exists(done, ec)) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(auto files, shared_->LogFiles(""));
    if (!files.empty()) return WriteFileDurably(done, "");
  }
  auto share = [&]() -> Status {
    for (const char* name : {kTsaUrlFile, kTsaCertFile})
      if (auto text = ReadText(dir / name); text.ok())
        IZDE_RETURN_IF_ERROR(shared_->PutLogFile(name, Bytes(*text), false));
    for (const auto& e : fs::directory_iterator(dir / kTimestampDir, ec)) {
      const std::string name = e.path().filename().string();
      if (!e.is_regular_file() || !SizeOfName(name)) continue;
      IZDE_ASSIGN_OR_RETURN(std::string token, ReadText(e.path()));
      IZDE_RETURN_IF_ERROR(
          shared_->PutLogFile(std::string(kTimestampDir) + "/" + name, Bytes(token), false));
    }
    // Cosigners, and the cosignatures they added to the checkpoints kept here.
    IZDE_ASSIGN_OR_RETURN(auto cosigners, LocalCosigners());
    for (const auto& c : cosigners)
      IZDE_RETURN_IF_ERROR(
          shared_->PutLogFile(kCosignerPrefix + c.Encode(), Bytes(c.Encode()), false));
    if (cosigners.empty()) return Status::Ok();
    for (const auto& e : fs::directory_iterator(dir / kCheckpointHistoryDir, ec)) {
      const auto size = SizeOfName(e.path().filename().string());
      if (!e.is_regular_file() || !size) continue;
      IZDE_ASSIGN_OR_RETURN(std::string note, ReadText(e.path()));
      IZDE_ASSIGN_OR_RETURN(ledger::Note parsed, ledger::ParseNote(note));
      if (parsed.signatures.size() < 2) continue;  // the vault's own signature only
      Status st =
          shared_->UpdateCheckpoint(*size, [&](const std::string& kept) -> Result<std::string> {
            IZDE_ASSIGN_OR_RETURN(auto merged,
                                  MergeCosignatures(kept, parsed.text, parsed.signatures));
            return merged ? *merged : kept;
          });
      if (st.code() == Status::Code::kNotFound) {
        IZDE_RETURN_IF_ERROR(shared_->PutCheckpoint(*size, note));
      } else if (!st.ok()) {
        return st;
      }
    }
    return Status::Ok();
  };
  IZDE_RETURN_IF_ERROR(share());
  return WriteFileDurably(done, "");
}

Status VaultLog::DiscardPending() {
  if (pending_.empty()) return Status::Ok();
  IZDE_ASSIGN_OR_RETURN(auto reopened, ledger::Log::Open(log_.dir(), ledger::Log::Mode::kAppend));
  log_ = std::move(reopened);
  pending_.clear();
  // The tips of the discarded entries go with them: found again from the cache or the log.
  tips_loaded_ = false;
  records_.clear();
  evidence_.clear();
  cache_tried_ = cache_usable_ = false;
  cached_records_.clear();
  cached_evidence_.clear();
  cache_bytes_.clear();
  return Status::Ok();
}

Status VaultLog::SetTimestampAuthority(const std::string& url, const std::string& trusted_pem) {
  const fs::path dir = log_.dir();
  std::error_code ec;
  if (url.empty()) {
    // On a shared store an empty URL is kept (not removed), so that no server's older copy
    // switches timestamping back on (ShareLocalFiles gives files only to an empty table).
    if (shared_) {
      IZDE_RETURN_IF_ERROR(shared_->PutLogFile(kTsaUrlFile, {}, true));
      IZDE_RETURN_IF_ERROR(shared_->DeleteLogFile(kTsaCertFile));
    }
    fs::remove(dir / kTsaUrlFile, ec);
    fs::remove(dir / kTsaCertFile, ec);
    return Status::Ok();
  }
  IZDE_RETURN_IF_ERROR(ledger::CheckTimestampUrl(url));
  if (trusted_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return Status::InvalidInput(
        "the timestamp authority's certificate file holds no PEM "
        "certificate");
  IZDE_RETURN_IF_ERROR(WriteLogFile(kTsaCertFile, trusted_pem, true));
  return WriteLogFile(kTsaUrlFile, url + "\n", true);
}

Result<std::optional<std::string>> VaultLog::ReadLogFile(const std::string& name) const {
  if (shared_) {
    IZDE_ASSIGN_OR_RETURN(auto files, shared_->LogFiles(name));
    auto it = files.find(name);
    if (it == files.end()) return std::optional<std::string>();
    return std::optional<std::string>(Text(it->second));
  }
  auto text = ReadText(log_.dir() / name);
  if (!text.ok()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(text).value());
}

Status VaultLog::WriteLogFile(const std::string& name, const std::string& content, bool replace) {
  if (shared_) IZDE_RETURN_IF_ERROR(shared_->PutLogFile(name, Bytes(content), replace));
  const fs::path path = log_.dir() / name;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  return WriteFileDurably(path, content);
}

Result<std::optional<ledger::TimestampAuthority>> VaultLog::TimestampAuthority() const {
  IZDE_ASSIGN_OR_RETURN(auto url, ReadLogFile(kTsaUrlFile));
  if (!url) return std::optional<ledger::TimestampAuthority>();
  while (!url->empty() && (url->back() == '\n' || url->back() == '\r')) url->pop_back();
  if (url->empty()) return std::optional<ledger::TimestampAuthority>();  // switched off
  IZDE_ASSIGN_OR_RETURN(auto pem, ReadLogFile(kTsaCertFile));
  if (!pem)
    return Status::NotFound("the timestamp authority's certificates (" + std::string(kLogDir) +
                            "/" + kTsaCertFile + ") are missing");
  return std::optional<ledger::TimestampAuthority>(
      ledger::TimestampAuthority{std::move(*url), std::move(*pem), 5});
}

Status VaultLog::TimestampLatest() {
  IZDE_ASSIGN_OR_RETURN(auto tsa, TimestampAuthority());
  if (!tsa) return Status::Ok();
  IZDE_ASSIGN_OR_RETURN(std::string note, log_.ReadCheckpoint());
  IZDE_ASSIGN_OR_RETURN(ledger::Note parsed, ledger::ParseNote(note));
  IZDE_ASSIGN_OR_RETURN(ledger::Checkpoint cp, ledger::Checkpoint::ParseBody(parsed.text));
  IZDE_ASSIGN_OR_RETURN(auto old, TimestampToken(cp.size));
  if (!old.empty() && ledger::VerifyTimestampToken(old, parsed.text, tsa->trusted_pem).ok())
    return Status::Ok();
  IZDE_ASSIGN_OR_RETURN(auto token, ledger::RequestTimestamp(*tsa, parsed.text));
  // On a shared store, another server may have stamped this checkpoint meanwhile: the
  // first token kept stays (both are over the same checkpoint).
  return WriteLogFile(TimestampName(cp.size), std::string(token.begin(), token.end()),
                      /*replace=*/!shared_);
}

Result<std::vector<uint8_t>> VaultLog::TimestampToken(uint64_t size) const {
  IZDE_ASSIGN_OR_RETURN(auto text, ReadLogFile(TimestampName(size)));
  if (!text) return std::vector<uint8_t>();
  return std::vector<uint8_t>(text->begin(), text->end());
}

Result<std::vector<VaultLog::StoredTimestamp>> VaultLog::Timestamps() const {
  std::vector<StoredTimestamp> out;
  if (shared_) {
    const std::string prefix = std::string(kTimestampDir) + "/";
    IZDE_ASSIGN_OR_RETURN(auto files, shared_->LogFiles(prefix));
    for (const auto& [name, token] : files) {
      const std::string where = "the database's " + std::string(kLogDir) + "/" + name;
      auto size = SizeOfName(name.substr(prefix.size()));
      if (!size) return Status::Corrupt(where + " is not named by a checkpoint size");
      out.push_back({where, *size, token});
    }
    return out;
  }
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(log_.dir() / kTimestampDir, ec))
    if (e.is_regular_file() && !e.path().string().ends_with(".tmp")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    IZDE_ASSIGN_OR_RETURN(std::string token, ReadText(f));
    const std::string name = f.filename().string();
    const std::string where = fs::relative(f, log_.dir().parent_path()).string();
    if (name.size() != 20 || name.find_first_not_of("0123456789") != std::string::npos)
      return Status::Corrupt(where + " is not named by a checkpoint size");
    out.push_back({where, std::strtoull(name.c_str(), nullptr, 10),
                   std::vector<uint8_t>(token.begin(), token.end())});
  }
  return out;
}

Status VaultLog::WriteStoredNote(const fs::path& path, const std::string& note) {
  return WriteFileDurably(path, note);
}

Result<ledger::RecordProof> VaultLog::Prove(uint64_t index) const {
  IZDE_ASSIGN_OR_RETURN(std::string note, log_.ReadCheckpoint());
  return ledger::ProveEntry(log_, index, note);
}

Result<std::vector<VaultLog::StoredCheckpoint>> VaultLog::Checkpoints() const {
  std::vector<StoredCheckpoint> out;
  if (shared_) {
    // The database's, with every server's checkpoints and cosignatures (this directory's
    // history is a copy made at unlock).
    IZDE_ASSIGN_OR_RETURN(auto kept, shared_->Checkpoints());
    for (auto& [size, note] : kept)
      out.push_back({"the database's checkpoint of size " + std::to_string(size), std::move(note)});
    auto latest = log_.ReadCheckpoint();
    if (latest.ok())
      out.push_back({(fs::path(kLogDir) / "checkpoint").string(), std::move(latest).value()});
    return out;
  }
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(log_.dir() / kCheckpointHistoryDir, ec)) {
    if (e.is_regular_file() && !e.path().string().ends_with(".tmp")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    IZDE_ASSIGN_OR_RETURN(std::string note, ReadText(f));
    out.push_back({fs::relative(f, log_.dir().parent_path()).string(), std::move(note)});
  }
  auto latest = log_.ReadCheckpoint();
  if (latest.ok())
    out.push_back({(fs::path(kLogDir) / "checkpoint").string(), std::move(latest).value()});
  return out;
}

Status VaultLog::AddCosignature(std::string_view cosigned_note,
                                const ledger::NoteVerifier& cosigner) {
  ledger::CheckpointPolicy policy{verifier_, "", {cosigner}, 1};
  IZDE_ASSIGN_OR_RETURN(auto verified, ledger::VerifyCheckpoint(cosigned_note, policy));
  const uint64_t size = verified.checkpoint.size;
  // Another server's checkpoint, of entries this directory's copy does not hold yet.
  if (shared_ && size > log_.Size()) IZDE_RETURN_IF_ERROR(SyncFromShared(false));
  IZDE_ASSIGN_OR_RETURN(ledger::Hash root, log_.RootAt(size));
  if (root != verified.checkpoint.root)
    return Status::Corrupt("the cosigned checkpoint of size " + std::to_string(size) +
                           " does not match this vault's log");
  IZDE_ASSIGN_OR_RETURN(ledger::Note incoming, ledger::ParseNote(cosigned_note));
  std::vector<ledger::NoteSignature> cosigs;
  for (const auto& s : incoming.signatures)
    if (s.name == cosigner.name && s.key_id == cosigner.key_id) cosigs.push_back(s);
  auto merge = [&](const fs::path& path) -> Status {
    auto stored = ReadText(path);
    if (!stored.ok()) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(auto merged, MergeCosignatures(*stored, incoming.text, cosigs));
    return merged ? WriteStoredNote(path, *merged) : Status::Ok();
  };
  const fs::path history = log_.dir() / kCheckpointHistoryDir / HistoryName(size);
  if (shared_) {
    // In the database first, under its row lock: two servers adding cosignatures to the
    // same checkpoint at once keep both.
    Status st =
        shared_->UpdateCheckpoint(size, [&](const std::string& kept) -> Result<std::string> {
          IZDE_ASSIGN_OR_RETURN(auto merged, MergeCosignatures(kept, incoming.text, cosigs));
          return merged ? *merged : kept;
        });
    if (st.code() == Status::Code::kNotFound)
      return Status::NotFound("this vault never signed a checkpoint of size " +
                              std::to_string(size));
    IZDE_RETURN_IF_ERROR(st);
    IZDE_RETURN_IF_ERROR(
        shared_->PutLogFile(kCosignerPrefix + cosigner.Encode(), Bytes(cosigner.Encode()), false));
  } else if (!fs::exists(history)) {
    return Status::NotFound("this vault never signed a checkpoint of size " + std::to_string(size));
  }
  IZDE_RETURN_IF_ERROR(merge(history));
  IZDE_RETURN_IF_ERROR(merge(log_.dir() / "checkpoint"));
  IZDE_ASSIGN_OR_RETURN(auto known, LocalCosigners());
  for (const auto& k : known)
    if (k.Encode() == cosigner.Encode()) return Status::Ok();
  std::string all;
  for (const auto& k : known) all += k.Encode() + "\n";
  all += cosigner.Encode() + "\n";
  return WriteFileDurably(log_.dir() / kCosignersFile, all);
}

Result<std::vector<ledger::NoteVerifier>> VaultLog::Cosigners() const {
  if (!shared_) return LocalCosigners();
  std::vector<ledger::NoteVerifier> out;
  IZDE_ASSIGN_OR_RETURN(auto files, shared_->LogFiles(kCosignerPrefix));
  for (const auto& [name, content] : files) {
    IZDE_ASSIGN_OR_RETURN(auto v, ledger::NoteVerifier::Parse(Text(content)));
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<ledger::NoteVerifier>> VaultLog::LocalCosigners() const {
  std::vector<ledger::NoteVerifier> out;
  auto text = ReadText(log_.dir() / kCosignersFile);
  if (!text.ok()) return out;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t nl = text->find('\n', pos);
    if (nl == std::string::npos) nl = text->size();
    std::string line = text->substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    IZDE_ASSIGN_OR_RETURN(auto v, ledger::NoteVerifier::Parse(line));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace izde::vault
