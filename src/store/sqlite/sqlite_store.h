// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a
// committed transaction survives a crash or power loss. Schema in
// docs/formats/vault.md; migrations in sqlite_schema.cc never drop data.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/store.h"

namespace izde::store {

class SqliteStore : public Store {
 public:
  // Opens (creating if asked) the database file and brings its schema up to date.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, bool create);
  ~SqliteStore() override;

  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  Status AppendVersion(const StoredVersion& v) override;
  Result<std::optional<StoredVersion>> Latest(const std::string& record_id) override;
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
  // Every setting, for copying a store (store_copy.h) and for backups.
  Result<std::map<std::string, Bytes>> ListSettings() override;
  Status CheckIntegrity() override;

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  Status Error(const char* what);
  sqlite3* db_;
  std::string path_;  // for messages
  sqlite3_stmt* append_ = nullptr;
  sqlite3_stmt* latest_ = nullptr;
};

// Applies every migration newer than the database's user_version.
Status MigrateSchema(sqlite3* db);

}  // namespace izde::store
