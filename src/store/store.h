// The store: where sealed record versions, key slots and vault settings rest.
// It sees only ciphertext and non-identifying metadata (record id, type,
// version number, time). Two engines implement it: SQLite (store/sqlite, the
// embedded default) and PostgreSQL (a later issue). Keep SQL out of here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace izde::store {

using Bytes = std::vector<uint8_t>;

// One version of one record, as it rests on disk.
struct StoredVersion {
  std::string record_id;
  std::string type;        // "person", "witness", ...
  int64_t version = 0;     // 1, 2, 3 ... per record
  int64_t created_at = 0;  // unix seconds
  std::string tier;        // which key seals it: "record" or "witness"
  Bytes wrapped_key;       // the version's data key, sealed by the tier's key
  Bytes sealed;            // the sealed document (docs/formats/vault.md)
};

// A user's passphrase slot: the master key (and, if granted, the witness
// key) wrapped by a key derived from that user's passphrase.
struct KeySlot {
  std::string user;
  Bytes salt;
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
  Bytes wrapped_master;
  Bytes wrapped_witness;  // empty when the user is not granted the witness tier
  int64_t created_at = 0;
};

// What servers sharing one database share besides the records (PostgreSQL only): the
// sealed evidence files, in chunks, and the vault's transparency log, whose order the
// database decides (docs/formats/vault.md, "A vault on PostgreSQL"). Only ciphertext,
// log entries (no names) and signed checkpoints.
class SharedFiles {
 public:
  virtual ~SharedFiles() = default;

  // Stores the sealed blob file at `sealed_path` under `name`, piece by piece, in a
  // transaction of its own: call it outside Begin/Commit. A blob of that name must
  // not exist.
  virtual Status PutBlob(const std::string& name, const std::string& sealed_path) = 0;
  // Calls fn with the blob's pieces in order; kNotFound when there is no such blob.
  virtual Status ReadBlob(const std::string& name,
                          const std::function<Status(const Bytes&)>& fn) = 0;
  virtual Status DeleteBlob(const std::string& name) = 0;
  // Every blob: name and size in bytes, by name.
  virtual Result<std::vector<std::pair<std::string, uint64_t>>> ListBlobs() = 0;

  // The number of log entries.
  virtual Result<uint64_t> LogSize() = 0;
  // Adds entries `first`, `first`+1, ... inside the current write transaction; fails
  // unless `first` is the log's size (the transaction's lock makes it so).
  virtual Status AppendLogEntries(uint64_t first, const std::vector<Bytes>& entries) = 0;
  // Calls fn(index, entry) for entries from `from` on, in order.
  virtual Status LogEntries(uint64_t from,
                            const std::function<Status(uint64_t, const Bytes&)>& fn) = 0;
  // Keeps a signed checkpoint of the log at `size`, unless one is kept already (the same
  // key signs the same size to the same note).
  virtual Status PutCheckpoint(uint64_t size, const std::string& note) = 0;
  // Every kept checkpoint, by size.
  virtual Result<std::vector<std::pair<uint64_t, std::string>>> Checkpoints() = 0;
  // Rewrites the kept checkpoint of `size` (to merge cosignatures into it) under a row lock,
  // so that two servers adding cosignatures at once lose neither: fn gets the kept note
  // and returns the new one. kNotFound when no checkpoint of that size is kept.
  virtual Status UpdateCheckpoint(
      uint64_t size, const std::function<Result<std::string>(const std::string&)>& fn) = 0;

  // The log's other files, kept once for every server: RFC 3161 tokens, the timestamp
  // authority, cosigners (docs/formats/vault.md, "A vault on PostgreSQL"). Names as in
  // VAULT/log ("timestamps/00000000000000000012"). With replace false an existing file is
  // kept as it is.
  virtual Status PutLogFile(const std::string& name, const Bytes& content, bool replace) = 0;
  virtual Status DeleteLogFile(const std::string& name) = 0;
  // Every log file whose name starts with `prefix`, by name.
  virtual Result<std::map<std::string, Bytes>> LogFiles(const std::string& prefix) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // A write transaction: everything between Begin and Commit lands together
  // or not at all. Commit returns only when the data is durable.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // Appends a version; fails with kAlreadyExists if (record_id, version) is taken.
  virtual Status AppendVersion(const StoredVersion& v) = 0;
  virtual Result<std::optional<StoredVersion>> Latest(const std::string& record_id) = 0;
  // The latest version of each of `ids` that has one (the others are absent), at once: an
  // engine across a network answers in a few round trips, not one per record.
  virtual Result<std::map<std::string, StoredVersion>> LatestOf(
      const std::vector<std::string>& ids) {
    std::map<std::string, StoredVersion> out;
    for (const auto& id : ids) {
      auto v = Latest(id);
      if (!v.ok()) return v.status();
      if (*v) out.emplace(id, std::move(**v));
    }
    return out;
  }
  // Appends versions in order, as AppendVersion does one by one (several per round trip
  // on an engine across a network).
  virtual Status AppendVersions(const std::vector<StoredVersion>& versions) {
    for (const auto& v : versions)
      if (Status s = AppendVersion(v); !s.ok()) return s;
    return Status::Ok();
  }
  virtual Result<std::vector<StoredVersion>> History(const std::string& record_id) = 0;
  // Calls `fn` with the latest version of every record, in record id order.
  virtual Status ScanLatest(const std::function<Status(const StoredVersion&)>& fn) = 0;
  // The same, for records of the given types only.
  virtual Status ScanLatestOfTypes(const std::vector<std::string>& types,
                                   const std::function<Status(const StoredVersion&)>& fn) = 0;
  // The sequence number of the last version written (0 for an empty store):
  // every appended version gets the next number.
  virtual Result<int64_t> LastChange() = 0;
  // Calls fn(record_id, version) for every version written after `seq`, in order.
  virtual Status ChangesSince(int64_t seq,
                              const std::function<Status(const std::string&, int64_t)>& fn) = 0;
  // Number of records (not versions) per type.
  virtual Result<std::map<std::string, int64_t>> CountRecords() = 0;

  virtual Status PutKeySlot(const KeySlot& slot) = 0;  // insert or replace
  virtual Result<std::optional<KeySlot>> GetKeySlot(const std::string& user) = 0;
  virtual Result<std::vector<KeySlot>> ListKeySlots() = 0;
  virtual Status DeleteKeySlot(const std::string& user) = 0;

  virtual Status SetSetting(const std::string& key, const Bytes& value) = 0;
  virtual Result<std::optional<Bytes>> GetSetting(const std::string& key) = 0;
  // Every setting, by key (backups copy them all). Not pure, so that an engine without
  // it still builds; such an engine cannot be backed up.
  virtual Result<std::map<std::string, Bytes>> ListSettings() {
    return Status::NotFound(
        "this store engine cannot list its settings, so it cannot be backed up");
  }

  // Checks the engine's own structure, page by page (SQLite: PRAGMA quick_check, which
  // reads the whole file): kCorrupt naming the damage. Run by `izde verify --vault` and
  // before a backup, not at every open, whose cost would grow with the vault.
  virtual Status CheckIntegrity() { return Status::Ok(); }

  // Null unless the engine holds the evidence files and the log itself, for several
  // servers (PostgreSQL); then the vault keeps them there instead of in its directory.
  virtual SharedFiles* shared() { return nullptr; }
  // True when another server (process, connection) committed changes since the last
  // call: it tells the engine's notifications (PostgreSQL LISTEN/NOTIFY) apart from
  // polling. False when the engine has none; callers poll LastChange() as well.
  virtual Result<bool> ChangedElsewhere() { return false; }
  // Waits up to `timeout_ms` for such a notification; false on timeout or without them.
  virtual Result<bool> WaitForChange(int timeout_ms) {
    (void)timeout_ms;
    return false;
  }
};

}  // namespace izde::store
