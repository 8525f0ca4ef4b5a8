// A vault: the directory that holds one group's records, sealed. Opening it
// with a passphrase ("unlocking") yields the keys, in locked memory, and the
// in-memory search index; Lock() wipes both. Layout in docs/formats/vault.md.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "index/search_index.h"
#include "model/record.h"
#include "store/store.h"
#include "vault/blob_seal.h"
#include "vault/field_cipher.h"
#include "vault/key_slot.h"
#include "vault/sealed_document.h"
#include "vault/vault_log.h"

namespace izde::vault {

struct VaultOptions {
  KdfCost kdf = KdfCost::kModerate;
  // The cipher for record fields. Null means XChaCha20-Poly1305; only the
  // import benchmark passes another, to measure what sealing costs.
  const FieldCipher* cipher = nullptr;
  // Extra search keys for names (src/names); optional.
  index::NameKeys name_keys = nullptr;
  // Called by Lock(), to drop plaintext held outside the vault (name caches).
  std::function<void()> on_lock = nullptr;
  // Decrypt with this many threads when building the index at unlock (0 = all cores).
  unsigned unlock_threads = 0;
  // For `izde verify --vault`: open the log read-only, exactly as found on disk, and do
  // not complete a write interrupted by a crash (verification reports it instead).
  bool inspect_only = false;
  // Where the records are: empty for the vault's own (VAULT/vault.db, or the database
  // VAULT/store names), or a PostgreSQL URI (postgresql://…). Create records a URI in
  // VAULT/store; Unlock with a URI and a directory that is not yet a vault makes it
  // this server's directory for that database (vault_store.h).
  std::string store;
  // Search() first indexes what other servers or processes saved, at most this often.
  int catch_up_ms = 1000;
  // False for commands that search nothing (`izde backup`): Unlock then neither reads
  // the sealed index cache nor decrypts any record. Search() fails, saves are not
  // indexed (the next unlock with an index catches up from the store), Summary()
  // reports 0 indexed.
  bool search_index = true;
};

// Called with (done, total) during long work, for progress bars.
using Progress = std::function<void(size_t done, size_t total)>;

// What `izde verify --vault` found. Every problem names the record version, blob, tile
// or checkpoint at fault.
struct VaultCheck {
  uint64_t versions = 0, blobs = 0, log_entries = 0, checkpoints = 0;
  uint64_t timestamps = 0;       // RFC 3161 tokens checked
  uint64_t skipped_witness = 0;  // versions the user may not open (no witness key)
  std::vector<std::string> problems;
};

struct VaultSummary {
  std::map<std::string, int64_t> records_by_type;
  int64_t indexed = 0;
  std::vector<std::string> users;
  bool witness_key = false;
};

class Vault {
 public:
  static Status Create(const std::string& dir, const std::string& user, std::string_view passphrase,
                       const VaultOptions& options = {});
  static Result<std::unique_ptr<Vault>> Unlock(const std::string& dir, const std::string& user,
                                               std::string_view passphrase,
                                               const VaultOptions& options = {},
                                               const Progress& progress = nullptr);
  ~Vault();

  const std::string& dir() const { return dir_; }
  const std::string& user() const { return user_; }
  bool has_witness_key() const { return keys_.witness.has_value(); }

  // Validates and saves a new version of the record (version 1 if new).
  // Returns the version number written. Names are normalised (NFC) and their
  // script filled in.
  // `author` names who wrote it (sealed with the version); empty means this vault user.
  // A server that holds the vault for many accounts passes an account id.
  Result<int64_t> Save(model::Record record, const std::string& author = {});
  // Saves all records in one transaction: either all are saved or none.
  // Records whose document equals their latest version are left alone.
  // Returns how many versions were written.
  Result<size_t> SaveAll(std::vector<model::Record> records, const Progress& progress = nullptr,
                         const std::string& author = {});

  Result<OpenedVersion> Get(const std::string& id);
  Result<std::vector<OpenedVersion>> History(const std::string& id);
  bool Exists(const std::string& id);
  // Calls fn with the latest version of every record the user may read.
  Status ForEach(const std::function<Status(const OpenedVersion&)>& fn);
  // The same, handing each version over to keep (no copy of its document).
  Status ForEachOwned(const std::function<Status(OpenedVersion&&)>& fn);
  Result<std::vector<index::Hit>> Search(std::string_view query, size_t limit = 20);
  // The same, on the index as it is (what other servers saved is indexed by CatchUp, or
  // by Search every catch_up_ms). Unlike every other call, safe from several threads at
  // once and while one other thread uses the vault; never while Lock() runs.
  Result<std::vector<index::Hit>> SearchNow(std::string_view query, size_t limit = 20);
  Result<VaultSummary> Summary();

  // Evidence: seals the file into the blob store and saves an evidence record
  // with its hash, size, media type and (sealed) original name.
  Result<model::Record> AddEvidence(const std::string& path, nlohmann::json fields,
                                    const std::string& id = "");
  // The same for a file received in memory (a web upload): its bytes reach no
  // file but the sealed blob. `author` as for Save.
  Result<model::Record> AddEvidenceBytes(std::string_view bytes, nlohmann::json fields,
                                         const std::string& id = "",
                                         const std::string& author = {});
  // The same for a file that arrives in pieces (a web upload, streamed): BeginEvidence
  // opens a sealed blob under a fresh key; the caller Append()s to it without holding
  // anything else of the vault (no lock is needed); FinishEvidence seals the last chunk
  // and saves the evidence record. Pending evidence dropped before FinishEvidence
  // succeeds removes its blob: nothing is left in the blob store.
  class PendingEvidence {
   public:
    Status Append(std::string_view bytes) { return writer_->Append(bytes); }
    uint64_t size() const { return writer_->size(); }

   private:
    friend class Vault;
    std::unique_ptr<BlobWriter> writer_;
    std::string blob, target;  // target: where the sealed file is written (NewBlobTarget)
    SecretKey key;
    std::shared_ptr<void> mark;  // VAULT/blobs/pending/<blob> (MarkPendingBlob)
  };
  Result<std::unique_ptr<PendingEvidence>> BeginEvidence();
  Result<model::Record> FinishEvidence(std::unique_ptr<PendingEvidence> pending,
                                       nlohmann::json fields, const std::string& id = "",
                                       const std::string& author = {});
  // Writes the original bytes of an evidence record to `out_path`, checking
  // them against the recorded SHA-256.
  Status ExtractEvidence(const std::string& id, const std::string& out_path);

  // Sealed settings: small values that are not records (the web server's accounts and
  // audit trail), sealed under a key derived from the master key, bound to their name.
  // On disk only the name is readable ("sealed.<name>").
  Status PutSealedSetting(const std::string& name, std::string_view value);
  Result<std::optional<std::string>> GetSealedSetting(const std::string& name);

  // Key slots.
  Status AddUser(const std::string& user, std::string_view passphrase, bool grant_witness,
                 KdfCost cost = KdfCost::kModerate);
  Status RemoveUser(const std::string& user);
  Status ChangePassphrase(std::string_view new_passphrase, KdfCost cost = KdfCost::kModerate);

  // The transparency log (VAULT/log). Null only while locked.
  VaultLog* log() { return log_.get(); }
  // The field openings (name, canonical value, derived salt) of a version the user can
  // read: what a bundle reveals for published fields.
  Result<std::vector<ledger::FieldOpening>> Openings(const OpenedVersion& v) const;
  // Signs and stores a checkpoint of the log as it is now.
  Result<std::string> Checkpoint();
  // Re-checks everything: every version against its log entry, every blob against its
  // hash, the tiles, and every checkpoint ever signed (vault_verify.cc).
  Result<VaultCheck> CheckEverything(const Progress& progress = nullptr);

  // Indexes the records other servers or processes saved since this one last looked.
  Status CatchUp();
  // On PostgreSQL: waits up to timeout_ms for another server's commit (LISTEN/NOTIFY),
  // then catches up. False on timeout, and at once on SQLite (no notifications: poll).
  Result<bool> WaitForChanges(int timeout_ms);

  // For backups (src/backup): the store, which holds only ciphertext and plain metadata,
  // and a signature by the vault's log key on `text` (a note text ending in a newline),
  // returned as the signed note.
  store::Store* store() { return locked_ ? nullptr : store_.get(); }
  Result<std::string> SignNote(std::string_view text);

  // For recovery shares (src/recovery): the unlocked keys, to split among trustees.
  const UnlockedKeys* KeysForRecovery() const { return locked_ ? nullptr : &keys_; }
  // Gives `user` a passphrase slot for keys recovered from trustees' shares, without any
  // existing passphrase. The master key is checked first: it must open the vault's log
  // key (else kPermissionDenied, and nothing is written).
  static Status AddRecoveredUser(const std::string& dir, const UnlockedKeys& keys,
                                 const std::string& user, std::string_view passphrase,
                                 KdfCost cost = KdfCost::kModerate);

  // Wipes the keys and drops the search index; every later call fails.
  void Lock();

 private:
  Vault() = default;
  Status CheckUnlocked() const;
  const SecretKey* TierKey(const std::string& tier) const;
  Status Normalize(model::Record& r) const;
  // The search index: from the sealed cache plus the changes since, or rebuilt.
  Status LoadIndex(const Progress& progress);
  Status BuildIndex(const Progress& progress);
  Status CatchUpIndex();
  Status NoteIndexed(size_t appended);
  void SaveIndexCacheIfStale();
  Status OpenLog();
  Status CatchUpLog();
  Status SeedSharedLog();
  // Evidence files: in VAULT/blobs, or in the database when the store is shared.
  std::filesystem::path NewBlobTarget(const std::string& blob) const;
  Status KeepBlob(const std::string& blob, const std::filesystem::path& sealed);
  void DropBlob(const std::string& blob, const std::filesystem::path& sealed);
  // An evidence file is kept before the record that names it is saved: a crash between
  // the two would leave ciphertext nobody refers to. So each upload first leaves a mark,
  // VAULT/blobs/pending/<blob>, locked (flock) while the upload runs and removed once its
  // record is saved or its blob dropped; the mark's holder removes it when dropped.
  Result<std::shared_ptr<void>> MarkPendingBlob(const std::string& blob);
  // At unlock: every mark no running upload holds belongs to an upload that died; its
  // blob is removed unless a saved evidence record names it. Returns how many were removed.
  Result<size_t> SweepPendingBlobs();
  // What every way of adding evidence shares: a fresh evidence record with a checked,
  // unused id; then, once the sealed blob is kept, its record saved (the blob dropped
  // again if the save fails).
  Result<model::Record> NewEvidenceRecord(const nlohmann::json& fields, const std::string& id);
  Result<model::Record> SaveEvidence(model::Record r, nlohmann::json fields,
                                     const std::string& sha256_hex, uint64_t size,
                                     const std::string& blob, const SecretKey& key,
                                     const std::filesystem::path& sealed,
                                     const std::string& author);
  // Streams the opened bytes of a blob; `where` names it for messages.
  Status OpenBlob(const std::string& blob, const SecretKey& key,
                  const std::function<Status(std::string_view)>& sink, std::string* where);
  // Appends the leaves of the versions of one record that the log lacks.
  Status CatchUpLogOf(const std::string& id, const std::string& tier);
  const SecretKey* SaltKey(const std::string& tier) const;
  Status CheckBlob(const OpenedVersion& ev, VaultCheck& check);
  std::string dir_, user_;
  VaultOptions options_;
  const FieldCipher* cipher_ = nullptr;
  std::unique_ptr<store::Store> store_;
  UnlockedKeys keys_;
  SecretKey record_key_, witness_key_;
  SecretKey record_salt_, witness_salt_;
  SecretKey index_key_;
  SecretKey setting_key_;
  int64_t indexed_change_ = 0;    // the store's change number the index includes
  int64_t cached_change_ = -1;    // ... and the sealed cache on disk (-1: none usable)
  int64_t last_catch_up_ms_ = 0;  // steady clock, when Search last caught up
  std::unique_ptr<VaultLog> log_;
  // Set when a log write failed after its records were saved: the next unlock completes
  // the log, and until then this session writes nothing more.
  std::string log_failure_;
  std::unique_ptr<index::SearchIndex> index_;
  bool locked_ = false;
};

// The file names inside a vault directory.
inline constexpr const char* kDatabaseFile = "vault.db";
inline constexpr const char* kBlobDir = "blobs";
inline constexpr const char* kMarkerFile = "IZDE-VAULT";
// Settings (plain) that the log needs: the vault's random id (the log's origin is
// "izde.vault/<id>"), the log's public key, its sealed signing key, and the size the
// log must reach once the last committed batch is logged.
inline constexpr const char* kVaultIdSetting = "vault_id";
inline constexpr const char* kLogKeySetting = "log.signing_key";
inline constexpr const char* kLogVerifierSetting = "log.verifier";
inline constexpr const char* kLogSizeSetting = "log.size";

}  // namespace izde::vault
