// The vault's transparency log: VAULT/log/ in the C2SP tlog-tiles layout
// (docs/formats/ledger.md §4) plus every checkpoint the vault ever signed, kept so that
// `izde verify --vault` can check the log against all of them. Holds only leaf entries
// (ids, types, version numbers, salted commitments, evidence hashes), hashes and signed
// checkpoints: nothing that names a person (docs/formats/vault.md "The ledger").
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"
#include "ledger/evidence_leaf.h"
#include "ledger/log.h"
#include "ledger/record_leaf.h"
#include "ledger/record_proof.h"
#include "ledger/timestamp_authority.h"
#include "store/store.h"

namespace izde::vault {

inline constexpr const char* kLogDir = "log";
inline constexpr const char* kCheckpointHistoryDir = "checkpoints";
inline constexpr const char* kCosignersFile = "cosigners";
// RFC 3161 (docs/formats/ledger.md §5): the authority's URL and certificates, and one
// DER token per timestamped checkpoint, named like the checkpoint history.
inline constexpr const char* kTimestampDir = "timestamps";
inline constexpr const char* kTsaUrlFile = "timestamp-authority";
inline constexpr const char* kTsaCertFile = "timestamp-authority.pem";

// The size the log must reach once the store's last committed batch is logged (the
// setting "log.size"; 0 when absent).
Result<uint64_t> ReadExpectedLogSize(store::Store& store);

class VaultLog {
 public:
  // The latest logged leaf of one record (or evidence file).
  struct Tip {
    uint64_t version = 0;  // record leaves only
    ledger::Hash leaf{};
    uint64_t index = 0;
  };
  struct StoredCheckpoint {
    std::string path;  // for messages
    std::string note;
  };

  // Opens VAULT/log (creating it when absent and `create` is set). The signer is the
  // vault's log key; null opens the log for reading only (no checkpoints can be made).
  // With lazy_tips, the latest leaf of each record is found only when first needed
  // (EnsureTips): a backup, which needs none, does not parse every entry.
  static Result<std::unique_ptr<VaultLog>> Open(const std::filesystem::path& dir,
                                                std::unique_ptr<ledger::NoteSigner> signer,
                                                ledger::Log::Mode mode, bool create,
                                                bool lazy_tips = false);
  // Loads the tips unless loaded; the accessors below load them too, but only this
  // reports a malformed entry. Reads every entry of the log.
  Status EnsureTips() const;

  // The latest leaf of a record whose latest version in the store is `stored_version`
  // (0: the store has none), for a save, without reading the whole log: from the tips
  // cache (VAULT/log/tips.cache, written by SaveTipsCache) and the entries logged since it
  // was written. A tip taken from the cache is checked against the log entry it names
  // (that record, that version, that hash). Whenever the cache and the store disagree (a
  // version the cache does not know, a record the store lacks), or there is no usable
  // cache, every entry is read (EnsureTips) and the answer is the log's.
  Result<const Tip*> RecordTipOf(const std::string& id, uint64_t stored_version) const;
  // The same for the last evidence leaf of an evidence record (`stored`: the store has a
  // version of it, which then has a leaf).
  Result<const Tip*> EvidenceTipOf(const std::string& id, bool stored) const;
  // Writes the tips cache when there is none usable and the tips are loaded, or when
  // more than kTipsCacheSlack entries were logged since it was written. Only a cache:
  // it holds what log/ holds in plain form already (ids, versions, indexes, leaf hashes),
  // bound to the log's root at its size, and a cache that does not match is ignored.
  Status SaveTipsCache() const;
  static constexpr uint64_t kTipsCacheSlack = 8192;
  // Whether every entry was read for the tips (for tests and benchmarks).
  bool tips_loaded() const { return tips_loaded_; }

  const ledger::Log& log() const { return log_; }
  uint64_t Size() const { return log_.Size(); }
  const std::string& origin() const { return origin_; }
  const ledger::NoteVerifier& verifier() const { return verifier_; }
  void set_verifier(const ledger::NoteVerifier& v) { verifier_ = v, origin_ = v.name; }

  const Tip* LatestRecord(const std::string& id) const;
  const Tip* LatestEvidence(const std::string& id) const;
  const std::unordered_map<std::string, Tip>& record_tips() const {
    EnsureTips();
    return records_;
  }
  const std::unordered_map<std::string, Tip>& evidence_tips() const {
    EnsureTips();
    return evidence_;
  }

  // Buffered until Commit. An evidence leaf is appended only when it differs from the
  // last one logged for that id (a metadata edit does not re-log the file).
  Result<uint64_t> AppendRecord(const ledger::RecordLeaf& leaf);
  Result<std::optional<uint64_t>> AppendEvidence(const ledger::EvidenceLeaf& leaf);

  // Makes the appended leaves durable, then signs a checkpoint of the new size and
  // stores it (history first, then `checkpoint`; on a shared store, in the database
  // too). Returns the signed note.
  Result<std::string> CommitAndCheckpoint();

  // A vault on PostgreSQL (store::SharedFiles): the database holds the one log every
  // server appends to, in the order it decides; this directory's log is a copy of it.
  void set_shared(store::SharedFiles* shared) { shared_ = shared; }
  store::SharedFiles* shared() const { return shared_; }
  // Appends, and makes durable here, the entries the database holds beyond this copy,
  // after checking that the copy's last entry is the database's (else this copy forked).
  // With `checkpoints`, also copies the checkpoints other servers signed into the history.
  Status SyncFromShared(bool checkpoints);
  // The entries appended since the last commit, encoded: what a write adds to the
  // database's log before it commits.
  const std::vector<std::vector<uint8_t>>& pending() const { return pending_; }
  // A vault on PostgreSQL keeps its RFC 3161 tokens, timestamp authority, cosigners and
  // cosignatures in the database too, so that every server reads the same (vault.md, "A
  // vault on PostgreSQL"); this directory holds a copy, brought up to date by
  // SyncFromShared(true). The files this directory holds from before (or from a vault
  // being moved onto the database) are given to the database when it holds none of these
  // yet, or always with `always`. Tokens and cosigners the database has are kept.
  Status ShareLocalFiles(bool always);
  // Drops appended, uncommitted entries (the database refused the write that made them).
  Status DiscardPending();
  Result<std::string> LatestCheckpoint() const { return log_.ReadCheckpoint(); }

  // A tlog-proof for leaf `index` against the latest checkpoint.
  Result<ledger::RecordProof> Prove(uint64_t index) const;

  // Every checkpoint kept in the history, oldest first, plus the latest one.
  Result<std::vector<StoredCheckpoint>> Checkpoints() const;

  // Merges the cosignature lines of `cosigned_note` (a checkpoint this log signed,
  // cosigned by `cosigner`) into the stored copies of that checkpoint, and remembers
  // the cosigner's public key.
  Status AddCosignature(std::string_view cosigned_note, const ledger::NoteVerifier& cosigner);
  Result<std::vector<ledger::NoteVerifier>> Cosigners() const;

  // Trusted time. With an authority configured, every checkpoint is timestamped right
  // after it is signed. An unreachable authority does not fail the write that made the
  // checkpoint (a laptop is often offline): the checkpoint stays unstamped,
  // timestamp_problem() says why, and the next checkpoint (`izde log checkpoint`) tries
  // again. An empty url switches timestamping off.
  Status SetTimestampAuthority(const std::string& url, const std::string& trusted_pem);
  Result<std::optional<ledger::TimestampAuthority>> TimestampAuthority() const;
  // Stamps the latest checkpoint unless it already has a token.
  Status TimestampLatest();
  // The stored token of the checkpoint of `size`; empty when there is none.
  Result<std::vector<uint8_t>> TimestampToken(uint64_t size) const;
  // Every stored token: (path for messages, size, token).
  struct StoredTimestamp {
    std::string path;
    uint64_t size = 0;
    std::vector<uint8_t> token;
  };
  Result<std::vector<StoredTimestamp>> Timestamps() const;
  const std::string& timestamp_problem() const { return timestamp_problem_; }

 private:
  explicit VaultLog(ledger::Log log) : log_(std::move(log)) {}
  Status LoadTips() const;
  // Reads the tips cache and the entries logged since; false when there is no usable one.
  Result<bool> LoadTipsCache() const;
  // A tip from the cache, checked against its log entry; null when the cache lacks the id
  // or its entry does not match.
  Result<const Tip*> CachedTip(bool record, const std::string& id, uint64_t stored_version) const;
  Status WriteStoredNote(const std::filesystem::path& path, const std::string& note);
  // The log's other files (timestamps/N, cosigners, the timestamp authority), by their name
  // under VAULT/log: from the database on a shared store, else from this directory.
  Result<std::optional<std::string>> ReadLogFile(const std::string& name) const;
  // Writes one into the database (on a shared store; with replace false an existing one is
  // kept there) and into this directory.
  Status WriteLogFile(const std::string& name, const std::string& content, bool replace);
  // Copies the database's checkpoints, tokens, cosigners and authority into this directory.
  Status PullSharedFiles();
  // The cosigners this directory knows (VAULT/log/cosigners).
  Result<std::vector<ledger::NoteVerifier>> LocalCosigners() const;

  Status AppendEntry(std::vector<uint8_t> entry);

  ledger::Log log_;
  store::SharedFiles* shared_ = nullptr;
  std::vector<std::vector<uint8_t>> pending_;
  std::unique_ptr<ledger::NoteSigner> signer_;
  ledger::NoteVerifier verifier_;
  std::string origin_;
  // Every tip once loaded (tips_loaded_); before that, the tips logged since the cache
  // was written and those taken from it.
  mutable std::unordered_map<std::string, Tip> records_, evidence_;
  mutable bool tips_loaded_ = false;
  mutable Status tips_status_;
  // The tips cache as read: its bytes, the log size it covers, and per kind the tips by
  // id, sorted (ids point into cache_bytes_).
  struct CachedTipEntry {
    std::string_view id;
    Tip tip;
  };
  mutable bool cache_tried_ = false, cache_usable_ = false;
  mutable std::string cache_bytes_;
  mutable uint64_t cache_size_ = 0;
  mutable std::vector<CachedTipEntry> cached_records_, cached_evidence_;
  std::string timestamp_problem_;
};

}  // namespace izde::vault
