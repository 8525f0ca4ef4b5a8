#include <string>

#include "store/sqlite/sqlite_store.h"

namespace izde::store {
namespace {

// Each entry moves the schema one version up. Append new entries; never edit
// or remove an old one, and never drop a table that holds records unless the same
// transaction has copied every row into its successor (3).
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
    // 3: versions becomes an ordinary (rowid) table keyed by a (record_id, version) index.
    // In a WITHOUT ROWID table the sealed document is part of the b-tree key, and SQLite
    // reads a key's whole overflow chain to compare it: every insert or lookup beside a
    // large version (the review queue, ~100 MB in a 1M-record vault) read all of it, so
    // importing 1,000 people took minutes. The rows are copied, in this transaction,
    // before the old table goes; the append-only triggers come back on the new one.
    R"sql(
    CREATE TABLE versions_v3 (
      record_id   TEXT    NOT NULL,
      version     INTEGER NOT NULL CHECK (version >= 1),
      type        TEXT    NOT NULL,
      created_at  INTEGER NOT NULL,
      tier        TEXT    NOT NULL,
      wrapped_key BLOB    NOT NULL,
      sealed      BLOB    NOT NULL,
      PRIMARY KEY (record_id, version)
    );
    INSERT INTO versions_v3 (record_id, version, type, created_at, tier, wrapped_key, sealed)
      SELECT record_id, version, type, created_at, tier, wrapped_key, sealed FROM versions
      ORDER BY record_id, version;
    DROP TABLE versions;
    ALTER TABLE versions_v3 RENAME TO versions;
    CREATE INDEX versions_by_type ON versions(type);
    CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
      BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
    CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
      BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
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
