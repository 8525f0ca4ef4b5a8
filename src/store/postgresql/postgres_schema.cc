// The PostgreSQL schema, in numbered migrations that only ever add.
//
// Change numbers. SQLite serialises writers, so its `changes` rows are
// numbered in commit order. PostgreSQL runs writers from several servers at
// once, and a plain sequence would hand out numbers in the order transactions
// *start* writing: a reader could see change 11 (committed) before change 10
// (committed later), move its mark to 11 and never see 10. So every writer
// first locks the single row of izde_change_counter (PostgresStore::Begin, and
// the numbering trigger for a lone insert) and holds the lock to COMMIT; the
// trigger numbers each version one more than the highest so far. Numbers are
// thus given out in commit order, without gaps (a rollback takes its numbers
// back), and every snapshot sees a prefix of them. The price: writes are serialised across
// servers, as SQLite serialises them across processes. A batch (AppendVersions) is numbered
// by its own statement, inside a transaction that holds the lock already: one more than
// the highest so far, in the batch's order.
#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "store/postgresql/postgres_store.h"

namespace izde::store {
namespace {

const char* const kMigrations[] = {
    // 1: record versions (append-only, numbered in commit order), key slots, settings.
    R"sql(
    CREATE TABLE izde_change_counter (
      one boolean PRIMARY KEY DEFAULT true CHECK (one),
      seq bigint  NOT NULL
    );
    INSERT INTO izde_change_counter VALUES (true, 0);
    CREATE TABLE versions (
      record_id   text COLLATE "C" NOT NULL,
      version     bigint NOT NULL CHECK (version >= 1),
      type        text   NOT NULL,
      created_at  bigint NOT NULL,
      tier        text   NOT NULL,
      wrapped_key bytea  NOT NULL,
      sealed      bytea  NOT NULL,
      seq         bigint NOT NULL UNIQUE,
      PRIMARY KEY (record_id, version)
    );
    CREATE INDEX versions_by_type ON versions (type);
    CREATE FUNCTION izde_number_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE izde_change_counter SET seq = seq + 1 RETURNING seq INTO NEW.seq;
      RETURN NEW;
    END $$;
    CREATE TRIGGER versions_number_change BEFORE INSERT ON versions
      FOR EACH ROW EXECUTE FUNCTION izde_number_change();
    CREATE FUNCTION izde_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'record versions are append-only';
    END $$;
    CREATE TRIGGER versions_no_update BEFORE UPDATE OR DELETE ON versions
      FOR EACH ROW EXECUTE FUNCTION izde_append_only();
    CREATE TRIGGER versions_no_truncate BEFORE TRUNCATE ON versions
      FOR EACH STATEMENT EXECUTE FUNCTION izde_append_only();
    CREATE TABLE key_slots (
      "user"          text COLLATE "C" PRIMARY KEY,
      salt            bytea  NOT NULL,
      opslimit        bigint NOT NULL,
      memlimit        bigint NOT NULL,
      wrapped_master  bytea  NOT NULL,
      wrapped_witness bytea,
      created_at      bigint NOT NULL
    );
    CREATE TABLE settings (key text COLLATE "C" PRIMARY KEY, value bytea NOT NULL);
    )sql",
    // 2: the counter row is only a lock; a version's number is one more than the
    // highest so far. Updating the row once per version left, in a large import,
    // a chain of row versions that every later update walked (quadratic time).
    R"sql(
    CREATE OR REPLACE FUNCTION izde_number_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM izde_change_counter FOR UPDATE;
      SELECT coalesce(max(seq), 0) + 1 INTO NEW.seq FROM versions;
      RETURN NEW;
    END $$;
    )sql",
    // 3: what servers sharing the database share besides the records: the sealed
    // evidence files, in pieces, and the vault's log, in the order the database gives it
    // (entries are numbered under the change counter's lock, so one order for all).
    R"sql(
    CREATE TABLE blob_chunks (
      blob text    COLLATE "C" NOT NULL,
      n    integer NOT NULL CHECK (n >= 0),
      data bytea   NOT NULL,
      PRIMARY KEY (blob, n)
    );
    -- Ciphertext does not compress: store it as it is.
    ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
    CREATE TABLE log_entries (
      idx   bigint PRIMARY KEY CHECK (idx >= 0),
      entry bytea  NOT NULL
    );
    CREATE FUNCTION izde_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the log is append-only';
    END $$;
    CREATE TRIGGER log_entries_no_update BEFORE UPDATE OR DELETE ON log_entries
      FOR EACH ROW EXECUTE FUNCTION izde_log_append_only();
    CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
      FOR EACH STATEMENT EXECUTE FUNCTION izde_log_append_only();
    CREATE TABLE log_checkpoints (
      size bigint PRIMARY KEY CHECK (size >= 0),
      note text   NOT NULL
    );
    )sql",
    // 4: the log's other files, once for every server instead of one copy per server
    // directory: RFC 3161 tokens ("timestamps/<size>"), the timestamp authority's URL and
    // certificates, and the cosigners' public keys ("cosigners/<key>", a row each so that
    // two servers adding cosigners at once lose neither). Cosignatures themselves are
    // merged into log_checkpoints.note.
    R"sql(
    CREATE TABLE log_files (
      name    text  COLLATE "C" PRIMARY KEY,
      content bytea NOT NULL
    );
    )sql",
    // 5: a batch of versions (PostgresStore::AppendVersions) is numbered by its INSERT,
    // base + position, the base read under the counter's lock; the trigger numbers only
    // rows that come without a number (one plpgsql call per row was most of an import's
    // time in the database).
    R"sql(
    DROP TRIGGER versions_number_change ON versions;
    CREATE TRIGGER versions_number_change BEFORE INSERT ON versions
      FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION izde_number_change();
    )sql",
};

// Any fixed number: migrations from two servers starting at once take turns.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7306916352430133505)";

std::string ErrorOf(PGconn* conn) {
  std::string msg = PQerrorMessage(conn);
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  return msg;
}

}  // namespace

Status MigratePostgresSchema(PGconn* conn, bool create, const std::string& where) {
  auto exec = [&](const std::string& sql) -> Result<int> {
    PGresult* r = PQexec(conn, sql.c_str());
    ExecStatusType st = PQresultStatus(r);
    int value = -1;
    if (st == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
        PQgetlength(r, 0, 0) > 0)
      value = static_cast<int>(std::strtol(PQgetvalue(r, 0, 0), nullptr, 10));
    PQclear(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Status::Io(ErrorOf(conn));
    return value;
  };
  auto fail = [&](const Status& s) {
    PQclear(PQexec(conn, "ROLLBACK"));
    return s;
  };
  auto begun = exec(std::string("BEGIN; ") + kMigrationLock);
  if (!begun.ok()) return begun.status().Within("preparing the PostgreSQL store (" + where + ")");
  auto exists = exec("SELECT CASE WHEN to_regclass('izde_schema') IS NULL THEN 0 ELSE 1 END");
  if (!exists.ok())
    return fail(exists.status().Within("reading the schema version (" + where + ")"));
  int current = 0;
  if (*exists == 1) {
    auto found = exec("SELECT version FROM izde_schema");
    if (!found.ok())
      return fail(found.status().Within("reading the schema version (" + where + ")"));
    current = std::max(0, *found);
  } else {
    if (!create)
      return fail(Status::NotFound("the PostgreSQL database (" + where +
                                   ") holds no izde vault; create one with `izde init --store …`"));
    auto made = exec(
        "CREATE TABLE izde_schema (version integer NOT NULL); "
        "INSERT INTO izde_schema VALUES (0)");
    if (!made.ok()) return fail(made.status().Within("creating the izde schema (" + where + ")"));
  }
  const int target = static_cast<int>(std::size(kMigrations));
  if (current > target)
    return fail(Status::Corrupt("the PostgreSQL store (" + where +
                                ") was written by a newer izde (schema " + std::to_string(current) +
                                ", this izde knows " + std::to_string(target) + "); upgrade izde"));
  for (int v = current; v < target; ++v) {
    auto done = exec(std::string(kMigrations[v]) +
                     "; UPDATE izde_schema SET version = " + std::to_string(v + 1));
    if (!done.ok())
      return fail(done.status().Within("schema migration to version " + std::to_string(v + 1) +
                                       " failed (" + where + ")"));
  }
  auto committed = exec("COMMIT");
  if (!committed.ok()) return committed.status().Within("saving the schema (" + where + ")");
  return Status::Ok();
}

}  // namespace izde::store
