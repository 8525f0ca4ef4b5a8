// The shared store: a PostgreSQL 15 database that several izde servers use at
// once, and that PostgreSQL's own streaming replication mirrors. It holds the
// same ciphertext and plain metadata as the SQLite store (docs/formats/vault.md),
// never plaintext. Schema and the ordering of changes: docs/deploy.md and
// postgres_schema.cc.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

typedef struct pg_conn PGconn;

namespace izde::store {

// True when `location` names a PostgreSQL database (postgresql://… or postgres://…).
bool IsPostgresLocation(const std::string& location);

// The connection string with any password removed, for messages and logs.
std::string RedactConninfo(const std::string& conninfo);
// True when the connection string carries a password.
bool ConninfoHasPassword(const std::string& conninfo);

class PostgresStore : public Store, public SharedFiles {
 public:
  // Connects (libpq connection URI or key=value string) and brings the schema up
  // to date. With create=false, a database without an izde schema is refused.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& conninfo, bool create);
  ~PostgresStore() override;

  // Begin takes the change counter's row lock: write transactions from every
  // server are serialised, so change numbers are handed out in commit order.
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  Status AppendVersion(const StoredVersion& v) override;
  Result<std::optional<StoredVersion>> Latest(const std::string& record_id) override;
  Result<std::map<std::string, StoredVersion>> LatestOf(
      const std::vector<std::string>& ids) override;
  Status AppendVersions(const std::vector<StoredVersion>& versions) override;
  Result<std::vector<StoredVersion>> History(const std::string& record_id) override;
  Status ScanLatest(const std::function<Status(const StoredVersion&)>& fn) override;
  Status ScanLatestOfTypes(const std::vector<std::string>& types,
                           const std::function<Status(const StoredVersion&)>& fn) override;
  Result<int64_t> LastChange() override;
  Status ChangesSince(int64_t seq,
                      const std::function<Status(const std::string&, int64_t)>& fn) override;
  Result<std::map<std::string, int64_t>> CountRecords() override;
  Status PutKeySlot(const KeySlot& slot) override;
  Result<std::optional<KeySlot>> GetKeySlot(const std::string& user) override;
  Result<std::vector<KeySlot>> ListKeySlots() override;
  Status DeleteKeySlot(const std::string& user) override;
  Status SetSetting(const std::string& key, const Bytes& value) override;
  Result<std::optional<Bytes>> GetSetting(const std::string& key) override;
  // Every setting, for copying a store (store_copy.h).
  Result<std::map<std::string, Bytes>> ListSettings() override;

  // Evidence files and the log, shared by every server of the database (store.h).
  SharedFiles* shared() override { return this; }
  Status PutBlob(const std::string& name, const std::string& sealed_path) override;
  Status ReadBlob(const std::string& name, const std::function<Status(const Bytes&)>& fn) override;
  Status DeleteBlob(const std::string& name) override;
  Result<std::vector<std::pair<std::string, uint64_t>>> ListBlobs() override;
  Result<uint64_t> LogSize() override;
  Status AppendLogEntries(uint64_t first, const std::vector<Bytes>& entries) override;
  Status LogEntries(uint64_t from,
                    const std::function<Status(uint64_t, const Bytes&)>& fn) override;
  Status PutCheckpoint(uint64_t size, const std::string& note) override;
  Result<std::vector<std::pair<uint64_t, std::string>>> Checkpoints() override;
  Status UpdateCheckpoint(
      uint64_t size, const std::function<Result<std::string>(const std::string&)>& fn) override;
  Status PutLogFile(const std::string& name, const Bytes& content, bool replace) override;
  Status DeleteLogFile(const std::string& name) override;
  Result<std::map<std::string, Bytes>> LogFiles(const std::string& prefix) override;

  // LISTEN/NOTIFY: a commit that wrote versions notifies channel izde_changes; every
  // store listens on it (docs/deploy.md).
  Result<bool> ChangedElsewhere() override;
  Result<bool> WaitForChange(int timeout_ms) override;

  // Where this store is, without the password.
  const std::string& where() const { return where_; }

 private:
  PostgresStore(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  Status Exec(const char* sql, const char* what);
  Status ScanVersions(const std::string& sql, const std::vector<std::string>& params,
                      const std::function<Status(const StoredVersion&)>& fn, const char* what);
  PGconn* conn_;
  std::string where_;
  bool in_transaction_ = false;
  bool wrote_versions_ = false;  // in this transaction: notify at commit
};

// Applies every migration newer than the database's schema version (postgres_schema.cc).
Status MigratePostgresSchema(PGconn* conn, bool create, const std::string& where);

}  // namespace izde::store
