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
    // The tree holds every leaf's hash already (Log::Open computed it).
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
  IZDE_RETURN_IF_ERROR(EnsureTips());
  auto entry = leaf.Encode();
  ledger::Hash h = ledger::HashLeaf(entry);
  if (shared_) pending_.push_back(entry);
  IZDE_ASSIGN_OR_RETURN(uint64_t index, log_.Append(entry));
  records_[leaf.record_id] = Tip{leaf.version, h, index};
  return index;
}

Result<std::optional<uint64_t>> VaultLog::AppendEvidence(const ledger::EvidenceLeaf& leaf) {
  IZDE_RETURN_IF_ERROR(EnsureTips());
  auto entry = leaf.Encode();
  ledger::Hash h = ledger::HashLeaf(entry);
  if (auto* tip = LatestEvidence(leaf.evidence_id); tip && tip->leaf == h)
    return std::optional<uint64_t>();
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
  IZDE_RETURN_IF_ERROR(
      WriteStoredNote(log_.dir() / kCheckpointHistoryDir / HistoryName(cp.size), note));
  IZDE_RETURN_IF_ERROR(log_.WriteCheckpoint(note));
  // Ed25519 signatures are deterministic: any server signing this size writes this note.
  if (shared_) IZDE_RETURN_IF_ERROR(shared_->PutCheckpoint(cp.size, note));
  timestamp_problem_.clear();
  if (Status st = TimestampLatest(); !st.ok()) timestamp_problem_ = st.message();
  return note;
}

Status VaultLog::AppendEntry(std::vector<uint8_t> entry) {
  IZDE_RETURN_IF_ERROR(EnsureTips());
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
  // The checkpoints every server signed, so that each directory's history is the same.
  IZDE_ASSIGN_OR_RETURN(auto kept, shared_->Checkpoints());
  std::error_code ec;
  for (const auto& [size, note] : kept) {
    if (size > log_.Size()) continue;
    const fs::path path = log_.dir() / kCheckpointHistoryDir / HistoryName(size);
    if (!fs::exists(path, ec)) IZDE_RETURN_IF_ERROR(WriteStoredNote(path, note));
  }
  return Status::Ok();
}

Status VaultLog::DiscardPending() {
  if (pending_.empty()) return Status::Ok();
  IZDE_ASSIGN_OR_RETURN(auto reopened, ledger::Log::Open(log_.dir(), ledger::Log::Mode::kWritable));
  log_ = std::move(reopened);
  pending_.clear();
  tips_loaded_ = false;
  return EnsureTips();
}

Status VaultLog::SetTimestampAuthority(const std::string& url, const std::string& trusted_pem) {
  const fs::path dir = log_.dir();
  std::error_code ec;
  if (url.empty()) {
    fs::remove(dir / kTsaUrlFile, ec);
    fs::remove(dir / kTsaCertFile, ec);
    return Status::Ok();
  }
  IZDE_RETURN_IF_ERROR(ledger::CheckTimestampUrl(url));
  if (trusted_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return Status::InvalidInput(
        "the timestamp authority's certificate file holds no PEM "
        "certificate");
  IZDE_RETURN_IF_ERROR(WriteFileDurably(dir / kTsaCertFile, trusted_pem));
  return WriteFileDurably(dir / kTsaUrlFile, url + "\n");
}

Result<std::optional<ledger::TimestampAuthority>> VaultLog::TimestampAuthority() const {
  auto url = ReadText(log_.dir() / kTsaUrlFile);
  if (!url.ok()) return std::optional<ledger::TimestampAuthority>();
  while (!url->empty() && (url->back() == '\n' || url->back() == '\r')) url->pop_back();
  IZDE_ASSIGN_OR_RETURN(std::string pem, ReadText(log_.dir() / kTsaCertFile));
  return std::optional<ledger::TimestampAuthority>(
      ledger::TimestampAuthority{std::move(url).value(), std::move(pem), 5});
}

Status VaultLog::TimestampLatest() {
  IZDE_ASSIGN_OR_RETURN(auto tsa, TimestampAuthority());
  if (!tsa) return Status::Ok();
  IZDE_ASSIGN_OR_RETURN(std::string note, log_.ReadCheckpoint());
  IZDE_ASSIGN_OR_RETURN(ledger::Note parsed, ledger::ParseNote(note));
  IZDE_ASSIGN_OR_RETURN(ledger::Checkpoint cp, ledger::Checkpoint::ParseBody(parsed.text));
  const fs::path path = log_.dir() / kTimestampDir / HistoryName(cp.size);
  if (auto old = ReadText(path); old.ok()) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(old->data());
    if (ledger::VerifyTimestampToken(std::span(bytes, old->size()), parsed.text, tsa->trusted_pem)
            .ok())
      return Status::Ok();
  }
  IZDE_ASSIGN_OR_RETURN(auto token, ledger::RequestTimestamp(*tsa, parsed.text));
  std::error_code ec;
  fs::create_directories(log_.dir() / kTimestampDir, ec);
  return WriteFileDurably(path, std::string(token.begin(), token.end()));
}

Result<std::vector<uint8_t>> VaultLog::TimestampToken(uint64_t size) const {
  auto text = ReadText(log_.dir() / kTimestampDir / HistoryName(size));
  if (!text.ok()) return std::vector<uint8_t>();
  return std::vector<uint8_t>(text->begin(), text->end());
}

Result<std::vector<VaultLog::StoredTimestamp>> VaultLog::Timestamps() const {
  std::vector<StoredTimestamp> out;
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
    IZDE_ASSIGN_OR_RETURN(ledger::Note note, ledger::ParseNote(*stored));
    if (note.text != incoming.text) return Status::Ok();
    std::vector<ledger::NoteSignature> add;
    for (const auto& s : cosigs) {
      bool have = false;
      for (const auto& o : note.signatures) have |= o.name == s.name && o.key_id == s.key_id;
      if (!have) add.push_back(s);
    }
    if (add.empty()) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(std::string merged, ledger::AddSignatures(*stored, add));
    return WriteStoredNote(path, merged);
  };
  const fs::path history = log_.dir() / kCheckpointHistoryDir / HistoryName(size);
  if (!fs::exists(history))
    return Status::NotFound("this vault never signed a checkpoint of size " + std::to_string(size));
  IZDE_RETURN_IF_ERROR(merge(history));
  IZDE_RETURN_IF_ERROR(merge(log_.dir() / "checkpoint"));
  IZDE_ASSIGN_OR_RETURN(auto known, Cosigners());
  for (const auto& k : known)
    if (k.Encode() == cosigner.Encode()) return Status::Ok();
  std::string all;
  for (const auto& k : known) all += k.Encode() + "\n";
  all += cosigner.Encode() + "\n";
  return WriteFileDurably(log_.dir() / kCosignersFile, all);
}

Result<std::vector<ledger::NoteVerifier>> VaultLog::Cosigners() const {
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
