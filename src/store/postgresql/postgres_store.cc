#include "store/postgresql/postgres_store.h"

#include <libpq-fe.h>

#include <cstring>

namespace izde::store {
namespace {

// Frees a libpq result when it goes out of scope.
class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PGresult* get() const { return r_; }
  ExecStatusType status() const { return PQresultStatus(r_); }
  int rows() const { return PQntuples(r_); }
  // SQLSTATE of a failed statement ("23505" = unique violation).
  std::string state() const {
    const char* s = PQresultErrorField(r_, PG_DIAG_SQLSTATE);
    return s ? s : "";
  }

 private:
  PGresult* r_;
};

// Parameters of one statement: text values are sent as text, byte strings in
// binary (bytea), so ciphertext is never escaped or copied into SQL.
class Params {
 public:
  void Text(std::string s) {
    owned_.push_back(std::move(s));
    kinds_.push_back(0);
  }
  void Int(int64_t v) { Text(std::to_string(v)); }
  void Binary(const Bytes& b) {
    owned_.emplace_back(reinterpret_cast<const char*>(b.data()), b.size());
    kinds_.push_back(1);
  }
  void Null() {
    owned_.emplace_back();
    kinds_.push_back(2);
  }
  PGresult* Exec(PGconn* conn, const char* sql) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (size_t i = 0; i < owned_.size(); ++i) {
      values.push_back(kinds_[i] == 2 ? nullptr : owned_[i].data());
      lengths.push_back(static_cast<int>(owned_[i].size()));
      formats.push_back(kinds_[i] == 1 ? 1 : 0);
    }
    // Results in binary: bytea arrives as raw bytes, bigint as 8 bytes big-endian.
    return PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(),
                        lengths.data(), formats.data(), 1);
  }

 private:
  std::vector<std::string> owned_;
  std::vector<int> kinds_;
};

std::string GetText(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

Bytes GetBytes(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return {};
  const auto* p = reinterpret_cast<const uint8_t*>(PQgetvalue(r, row, col));
  return Bytes(p, p + PQgetlength(r, row, col));
}

int64_t GetInt(const PGresult* r, int row, int col) {
  const auto* p = reinterpret_cast<const uint8_t*>(PQgetvalue(r, row, col));
  if (PQgetlength(r, row, col) != 8) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return static_cast<int64_t>(v);
}

constexpr const char* kVersionColumns =
    "record_id, version, type, created_at, tier, wrapped_key, sealed";
constexpr const char* kSlotColumns =
    "\"user\", salt, opslimit, memlimit, wrapped_master, wrapped_witness, created_at";

StoredVersion ReadVersion(const PGresult* r, int row) {
  StoredVersion v;
  v.record_id = GetText(r, row, 0);
  v.version = GetInt(r, row, 1);
  v.type = GetText(r, row, 2);
  v.created_at = GetInt(r, row, 3);
  v.tier = GetText(r, row, 4);
  v.wrapped_key = GetBytes(r, row, 5);
  v.sealed = GetBytes(r, row, 6);
  return v;
}

KeySlot ReadSlot(const PGresult* r, int row) {
  KeySlot k;
  k.user = GetText(r, row, 0);
  k.salt = GetBytes(r, row, 1);
  k.opslimit = static_cast<uint64_t>(GetInt(r, row, 2));
  k.memlimit = static_cast<uint64_t>(GetInt(r, row, 3));
  k.wrapped_master = GetBytes(r, row, 4);
  k.wrapped_witness = GetBytes(r, row, 5);
  k.created_at = GetInt(r, row, 6);
  return k;
}

// A text[] literal for `= ANY($n)`.
std::string ArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

// Rows fetched per round trip by scans: a page is held in memory while the
// caller's function runs, so the caller may use the store meanwhile.
constexpr int kScanPage = 2000;

}  // namespace

bool IsPostgresLocation(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string RedactConninfo(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    if (err) PQfreemem(err);
    return "an unreadable connection string";
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string key = o->keyword;
    if (key == "password" || key == "sslpassword") continue;
    if (key != "host" && key != "hostaddr" && key != "port" && key != "dbname" && key != "user")
      continue;
    out += (out.empty() ? "" : " ") + key + "=" + o->val;
  }
  PQconninfoFree(opts);
  return out.empty() ? "the default PostgreSQL server" : out;
}

bool ConninfoHasPassword(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    if (err) PQfreemem(err);
    return false;
  }
  bool found = false;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (std::strcmp(o->keyword, "password") == 0 && o->val && *o->val) found = true;
  PQconninfoFree(opts);
  return found;
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& conninfo,
                                                           bool create) {
  std::string where = RedactConninfo(conninfo);
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &err);
  if (!parsed) {
    std::string msg = err ? err : "not a connection string";
    if (err) PQfreemem(err);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::InvalidInput("the PostgreSQL store location is not a valid connection string (" +
                                msg + "); write it as postgresql://USER@HOST:PORT/DATABASE");
  }
  PQconninfoFree(parsed);
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) return Status::Io("cannot connect to the PostgreSQL store: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::Io("cannot connect to the PostgreSQL store (" + where + "): " + msg);
  }
  std::unique_ptr<PostgresStore> s(new PostgresStore(conn, where));
  // Quiet NOTICEs; plain identifiers only; every commit waits for its WAL flush
  // (and, when the server names synchronous standbys, for them too).
  IZDE_RETURN_IF_ERROR(
      s->Exec("SET client_min_messages = warning; SET synchronous_commit = on", "configuring"));
  IZDE_RETURN_IF_ERROR(MigratePostgresSchema(conn, create, where));
  return s;
}

PostgresStore::~PostgresStore() { PQfinish(conn_); }

Status PostgresStore::Exec(const char* sql, const char* what) {
  PgResult r(PQexec(conn_, sql));
  if (r.status() != PGRES_COMMAND_OK && r.status() != PGRES_TUPLES_OK) {
    std::string msg = PQerrorMessage(conn_);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return Status::Io(std::string(what) + " (PostgreSQL " + where_ + "): " + msg);
  }
  return Status::Ok();
}

namespace {
Status Failed(PGconn* conn, const std::string& where, const char* what) {
  std::string msg = PQerrorMessage(conn);
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  if (PQstatus(conn) != CONNECTION_OK)
    return Status::Io(std::string(what) + ": the connection to PostgreSQL (" + where +
                      ") was lost: " + msg);
  return Status::Io(std::string(what) + " (PostgreSQL " + where + "): " + msg);
}
}  // namespace

Status PostgresStore::Begin() {
  // The counter's row lock, held to COMMIT, is what orders changes (see schema).
  Status s =
      Exec("BEGIN; SELECT seq FROM izde_change_counter FOR UPDATE", "starting a transaction");
  if (s.ok()) in_transaction_ = true;
  return s;
}

Status PostgresStore::Commit() {
  PgResult r(PQexec(conn_, "COMMIT"));
  in_transaction_ = false;
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "committing");
  // COMMIT of a transaction that failed earlier reports ROLLBACK: nothing was saved.
  if (std::strcmp(PQcmdStatus(r.get()), "ROLLBACK") == 0)
    return Status::Io("committing (PostgreSQL " + where_ +
                      "): the transaction had failed and was rolled back");
  return Status::Ok();
}

Status PostgresStore::Rollback() {
  if (!in_transaction_) return Status::Ok();
  in_transaction_ = false;
  return Exec("ROLLBACK", "rolling back");
}

Status PostgresStore::AppendVersion(const StoredVersion& v) {
  Params p;
  p.Text(v.record_id);
  p.Int(v.version);
  p.Text(v.type);
  p.Int(v.created_at);
  p.Text(v.tier);
  p.Binary(v.wrapped_key);
  p.Binary(v.sealed);
  PgResult r(p.Exec(conn_,
                    "INSERT INTO versions (record_id, version, type, created_at, tier, "
                    "wrapped_key, sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)"));
  if (r.status() == PGRES_COMMAND_OK) return Status::Ok();
  if (r.state() == "23505")
    return Status::AlreadyExists("record " + v.record_id + " already has a version " +
                                 std::to_string(v.version));
  return Failed(conn_, where_, "writing a record version");
}

Result<std::optional<StoredVersion>> PostgresStore::Latest(const std::string& record_id) {
  Params p;
  p.Text(record_id);
  std::string sql = std::string("SELECT ") + kVersionColumns +
                    " FROM versions WHERE record_id = $1 ORDER BY version DESC LIMIT 1";
  PgResult r(p.Exec(conn_, sql.c_str()));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading a record");
  if (r.rows() == 0) return std::optional<StoredVersion>();
  return std::optional<StoredVersion>(ReadVersion(r.get(), 0));
}

Result<std::vector<StoredVersion>> PostgresStore::History(const std::string& record_id) {
  Params p;
  p.Text(record_id);
  std::string sql = std::string("SELECT ") + kVersionColumns +
                    " FROM versions WHERE record_id = $1 ORDER BY version";
  PgResult r(p.Exec(conn_, sql.c_str()));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading a record's history");
  std::vector<StoredVersion> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadVersion(r.get(), i));
  return out;
}

Status PostgresStore::ScanLatest(const std::function<Status(const StoredVersion&)>& fn) {
  return ScanLatestOfTypes({}, fn);
}

Status PostgresStore::ScanLatestOfTypes(const std::vector<std::string>& types,
                                        const std::function<Status(const StoredVersion&)>& fn) {
  // Keyset pages in record id order (bytewise: the column is COLLATE "C", as in SQLite).
  std::string sql = std::string("SELECT DISTINCT ON (record_id) ") + kVersionColumns +
                    " FROM versions WHERE record_id > $1" +
                    (types.empty() ? "" : " AND type = ANY($2::text[])") +
                    " ORDER BY record_id, version DESC LIMIT " + std::to_string(kScanPage);
  std::vector<std::string> params{""};
  if (!types.empty()) params.push_back(ArrayLiteral(types));
  return ScanVersions(sql, params, fn, "scanning records");
}

Status PostgresStore::ScanVersions(const std::string& sql, const std::vector<std::string>& params,
                                   const std::function<Status(const StoredVersion&)>& fn,
                                   const char* what) {
  std::string after = params[0];
  for (;;) {
    Params p;
    p.Text(after);
    for (size_t i = 1; i < params.size(); ++i) p.Text(params[i]);
    PgResult r(p.Exec(conn_, sql.c_str()));
    if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, what);
    for (int i = 0; i < r.rows(); ++i) IZDE_RETURN_IF_ERROR(fn(ReadVersion(r.get(), i)));
    if (r.rows() < kScanPage) return Status::Ok();
    after = GetText(r.get(), r.rows() - 1, 0);
  }
}

Result<int64_t> PostgresStore::LastChange() {
  PgResult r(PQexecParams(conn_, "SELECT coalesce(max(seq), 0)::bigint FROM versions", 0, nullptr,
                          nullptr, nullptr, nullptr, 1));
  if (r.status() != PGRES_TUPLES_OK || r.rows() != 1)
    return Failed(conn_, where_, "reading the change log");
  return GetInt(r.get(), 0, 0);
}

Status PostgresStore::ChangesSince(int64_t seq,
                                   const std::function<Status(const std::string&, int64_t)>& fn) {
  for (;;) {
    Params p;
    p.Int(seq);
    PgResult r(
        p.Exec(conn_, ("SELECT record_id, version, seq FROM versions WHERE seq > $1 ORDER BY seq "
                       "LIMIT " +
                       std::to_string(kScanPage))
                          .c_str()));
    if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading the change log");
    for (int i = 0; i < r.rows(); ++i)
      IZDE_RETURN_IF_ERROR(fn(GetText(r.get(), i, 0), GetInt(r.get(), i, 1)));
    if (r.rows() < kScanPage) return Status::Ok();
    seq = GetInt(r.get(), r.rows() - 1, 2);
  }
}

Result<std::map<std::string, int64_t>> PostgresStore::CountRecords() {
  PgResult r(PQexecParams(conn_,
                          "SELECT type, count(DISTINCT record_id)::bigint FROM versions "
                          "GROUP BY type",
                          0, nullptr, nullptr, nullptr, nullptr, 1));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "counting records");
  std::map<std::string, int64_t> out;
  for (int i = 0; i < r.rows(); ++i) out[GetText(r.get(), i, 0)] = GetInt(r.get(), i, 1);
  return out;
}

Status PostgresStore::PutKeySlot(const KeySlot& k) {
  Params p;
  p.Text(k.user);
  p.Binary(k.salt);
  p.Int(static_cast<int64_t>(k.opslimit));
  p.Int(static_cast<int64_t>(k.memlimit));
  p.Binary(k.wrapped_master);
  if (k.wrapped_witness.empty())
    p.Null();
  else
    p.Binary(k.wrapped_witness);
  p.Int(k.created_at);
  std::string sql = std::string("INSERT INTO key_slots (") + kSlotColumns +
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (\"user\") DO UPDATE SET "
                    "salt = EXCLUDED.salt, opslimit = EXCLUDED.opslimit, memlimit = "
                    "EXCLUDED.memlimit, wrapped_master = EXCLUDED.wrapped_master, "
                    "wrapped_witness = EXCLUDED.wrapped_witness, created_at = EXCLUDED.created_at";
  PgResult r(p.Exec(conn_, sql.c_str()));
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "saving a key slot");
  return Status::Ok();
}

Result<std::optional<KeySlot>> PostgresStore::GetKeySlot(const std::string& user) {
  Params p;
  p.Text(user);
  std::string sql = std::string("SELECT ") + kSlotColumns + " FROM key_slots WHERE \"user\" = $1";
  PgResult r(p.Exec(conn_, sql.c_str()));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading a key slot");
  if (r.rows() == 0) return std::optional<KeySlot>();
  return std::optional<KeySlot>(ReadSlot(r.get(), 0));
}

Result<std::vector<KeySlot>> PostgresStore::ListKeySlots() {
  std::string sql = std::string("SELECT ") + kSlotColumns + " FROM key_slots ORDER BY \"user\"";
  PgResult r(PQexecParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "listing key slots");
  std::vector<KeySlot> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadSlot(r.get(), i));
  return out;
}

Status PostgresStore::DeleteKeySlot(const std::string& user) {
  Params p;
  p.Text(user);
  PgResult r(p.Exec(conn_, "DELETE FROM key_slots WHERE \"user\" = $1"));
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "removing a key slot");
  return Status::Ok();
}

Status PostgresStore::SetSetting(const std::string& key, const Bytes& value) {
  Params p;
  p.Text(key);
  p.Binary(value);
  PgResult r(p.Exec(conn_,
                    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO "
                    "UPDATE SET value = EXCLUDED.value"));
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "saving a setting");
  return Status::Ok();
}

Result<std::optional<Bytes>> PostgresStore::GetSetting(const std::string& key) {
  Params p;
  p.Text(key);
  PgResult r(p.Exec(conn_, "SELECT value FROM settings WHERE key = $1"));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading a setting");
  if (r.rows() == 0) return std::optional<Bytes>();
  return std::optional<Bytes>(GetBytes(r.get(), 0, 0));
}

Result<std::map<std::string, Bytes>> PostgresStore::ListSettings() {
  PgResult r(PQexecParams(conn_, "SELECT key, value FROM settings ORDER BY key", 0, nullptr,
                          nullptr, nullptr, nullptr, 1));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "listing settings");
  std::map<std::string, Bytes> out;
  for (int i = 0; i < r.rows(); ++i) out[GetText(r.get(), i, 0)] = GetBytes(r.get(), i, 1);
  return out;
}

}  // namespace izde::store
