#include <string>

#include "store/sqlite/sqlite_store.h"

namespace izde::store {
namespace {

// Each entry moves the schema one version up. Append new entries; never edit
// or remove an old one, and never drop a table that holds records.
const char* const kMigrations[] = {
    // 1: record versions (append-only, enforced by triggers), key slots, settings.
    R"sql(
    CREATE TABLE versions (
      record_id   TEXT    NOT NULL,
      version     INTEGER NOT NULL CHECK (version >= 1),
      type        TEXT    NOT NULL,
      created_at  INTEGER NOT NULL,
      tier        TEXT    NOT NULL,
      wrapped_key BLOB    NOT NULL,
      sealed      BLOB    NOT NULL,
      PRIMARY KEY (record_id, version)
    ) WITHOUT ROWID;
    CREATE INDEX versions_by_type ON versions(type);
    CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
      BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
    CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
      BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
    CREATE TABLE key_slots (
      user            TEXT PRIMARY KEY,
      salt            BLOB NOT NULL,
      opslimit        INTEGER NOT NULL,
      memlimit        INTEGER NOT NULL,
      wrapped_master  BLOB NOT NULL,
      wrapped_witness BLOB,
      created_at      INTEGER NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);
    )sql",
    // 2: a sequence of changes, so that a reader can catch up with what was
    // written since it last looked (the sealed index cache). Filled for the
    // versions that exist, then by a trigger on every new version.
    R"sql(
    CREATE TABLE changes (
      seq       INTEGER PRIMARY KEY,
      record_id TEXT    NOT NULL,
      version   INTEGER NOT NULL
    );
    INSERT INTO changes (record_id, version)
      SELECT record_id, version FROM versions ORDER BY created_at, record_id, version;
    CREATE TRIGGER versions_log_change AFTER INSERT ON versions
      BEGIN INSERT INTO changes (record_id, version) VALUES (NEW.record_id, NEW.version); END;
    )sql",
};

}  // namespace

Status MigrateSchema(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  int current = 0;
  if (sqlite3_step(st) == SQLITE_ROW) current = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  const int target = static_cast<int>(std::size(kMigrations));
  if (current > target)
    return Status::Corrupt("the vault was written by a newer izde (schema " +
                           std::to_string(current) + ", this izde knows " + std::to_string(target) +
                           "); upgrade izde");
  for (int v = current; v < target; ++v) {
    std::string sql = "BEGIN IMMEDIATE;";
    sql += kMigrations[v];
    sql += "PRAGMA user_version = " + std::to_string(v + 1) + "; COMMIT;";
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return Status::Io("schema migration to version " + std::to_string(v + 1) + " failed: " + msg);
    }
  }
  return Status::Ok();
}

}  // namespace izde::store
