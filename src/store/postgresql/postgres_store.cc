#include "store/postgresql/postgres_store.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cstring>
#include <fstream>

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

// A one-dimensional array in PostgreSQL's binary format, sent as a binary parameter:
// nothing to escape or parse, ciphertext travels as it is.
class BinaryArray {
 public:
  // Element types: the built-in type oids.
  static constexpr uint32_t kBytea = 17, kInt8 = 20, kText = 25;
  explicit BinaryArray(uint32_t element_oid) : oid_(element_oid) {}
  void Add(const void* data, size_t size) {
    Put32(static_cast<uint32_t>(size));
    const auto* p = static_cast<const uint8_t*>(data);
    body_.insert(body_.end(), p, p + size);
    ++count_;
  }
  void Add(const std::string& s) { Add(s.data(), s.size()); }
  void Add(const Bytes& b) { Add(b.data(), b.size()); }
  void Add(int64_t v) {
    uint8_t be[8];
    for (int i = 0; i < 8; ++i)
      be[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (56 - 8 * i));
    Add(be, 8);
  }
  // ndim, has-nulls, element type, then the one dimension: length and lower bound 1.
  Bytes Finish() const {
    Bytes out;
    out.reserve(body_.size() + 20);
    auto put = [&](uint32_t v) {
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (24 - 8 * i)));
    };
    put(1), put(0), put(oid_), put(count_), put(1);
    out.insert(out.end(), body_.begin(), body_.end());
    return out;
  }

 private:
  void Put32(uint32_t v) {
    for (int i = 0; i < 4; ++i) body_.push_back(static_cast<uint8_t>(v >> (24 - 8 * i)));
  }
  uint32_t oid_;
  uint32_t count_ = 0;
  Bytes body_;
};

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
  IZDE_RETURN_IF_ERROR(s->Exec("LISTEN izde_changes", "listening for other servers' changes"));
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
  if (s.ok()) in_transaction_ = true, wrote_versions_ = false;
  return s;
}

Status PostgresStore::Commit() {
  // The notification is sent only if the transaction commits.
  PgResult r(PQexec(conn_, wrote_versions_ ? "NOTIFY izde_changes; COMMIT" : "COMMIT"));
  in_transaction_ = false;
  wrote_versions_ = false;
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
  if (r.status() == PGRES_COMMAND_OK) {
    wrote_versions_ = true;
    return Status::Ok();
  }
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

Result<std::map<std::string, StoredVersion>> PostgresStore::LatestOf(
    const std::vector<std::string>& ids) {
  std::map<std::string, StoredVersion> out;
  const std::string sql = std::string("SELECT DISTINCT ON (record_id) ") + kVersionColumns +
                          " FROM versions WHERE record_id = ANY($1::text[]) ORDER BY record_id, "
                          "version DESC";
  for (size_t start = 0; start < ids.size(); start += kScanPage) {
    const size_t end = std::min(ids.size(), start + static_cast<size_t>(kScanPage));
    Params p;
    p.Text(ArrayLiteral(std::vector<std::string>(ids.begin() + static_cast<std::ptrdiff_t>(start),
                                                 ids.begin() + static_cast<std::ptrdiff_t>(end))));
    PgResult r(p.Exec(conn_, sql.c_str()));
    if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading records");
    for (int i = 0; i < r.rows(); ++i) {
      StoredVersion v = ReadVersion(r.get(), i);
      std::string id = v.record_id;
      out.insert_or_assign(std::move(id), std::move(v));
    }
  }
  return out;
}

Status PostgresStore::AppendVersions(const std::vector<StoredVersion>& versions) {
  if (versions.empty()) return Status::Ok();
  // The numbers below are read under the change counter's lock, which Begin takes.
  if (!in_transaction_) {
    IZDE_RETURN_IF_ERROR(Begin());
    Status s = AppendVersions(versions);
    if (!s.ok()) {
      Rollback();
      return s;
    }
    return Commit();
  }
  // Up to this many versions per statement: one round trip instead of one per version.
  // Each row is numbered one more than the highest so far, in the order given (the
  // subquery is evaluated once, and sees every commit before the lock was taken).
  constexpr size_t kPerStatement = 1000;
  for (size_t start = 0; start < versions.size(); start += kPerStatement) {
    const size_t end = std::min(versions.size(), start + kPerStatement);
    BinaryArray ids(BinaryArray::kText), numbers(BinaryArray::kInt8), types(BinaryArray::kText),
        times(BinaryArray::kInt8), tiers(BinaryArray::kText), keys(BinaryArray::kBytea),
        sealed(BinaryArray::kBytea);
    for (size_t i = start; i < end; ++i) {
      const StoredVersion& v = versions[i];
      ids.Add(v.record_id);
      numbers.Add(v.version);
      types.Add(v.type);
      times.Add(v.created_at);
      tiers.Add(v.tier);
      keys.Add(v.wrapped_key);
      sealed.Add(v.sealed);
    }
    Params p;
    for (const BinaryArray* a : {&ids, &numbers, &types, &times, &tiers, &keys, &sealed})
      p.Binary(a->Finish());
    PgResult r(p.Exec(conn_,
                      "INSERT INTO versions (record_id, version, type, created_at, tier, "
                      "wrapped_key, sealed, seq) SELECT i, v, t, c, k, w, s, o + (SELECT "
                      "coalesce(max(seq), 0) FROM versions) FROM unnest($1::text[], "
                      "$2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bytea[], "
                      "$7::bytea[]) WITH ORDINALITY AS u(i, v, t, c, k, w, s, o) ORDER BY o"));
    if (r.status() == PGRES_COMMAND_OK) {
      wrote_versions_ = true;
      continue;
    }
    if (r.state() == "23505") {
      // The detail names the key, "(record_id, version)=(…, 3)": ids and numbers only.
      const char* detail = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_DETAIL);
      return Status::AlreadyExists("a record version in this batch is taken already" +
                                   std::string(detail ? std::string(": ") + detail : ""));
    }
    return Failed(conn_, where_, "writing record versions");
  }
  return Status::Ok();
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

// Evidence files: pieces of at most this many bytes of the sealed file, one row each.
constexpr size_t kBlobPiece = 1 << 20;

Status PostgresStore::PutBlob(const std::string& name, const std::string& sealed_path) {
  std::ifstream in(sealed_path, std::ios::binary);
  if (!in) return Status::Io("cannot read the sealed evidence file " + sealed_path);
  // Not Begin(): a large video must not hold the change counter's lock.
  IZDE_RETURN_IF_ERROR(Exec("BEGIN", "storing an evidence file"));
  auto fail = [&](Status s) {
    PQclear(PQexec(conn_, "ROLLBACK"));
    return s;
  };
  Bytes piece(kBlobPiece);
  for (int n = 0;; ++n) {
    in.read(reinterpret_cast<char*>(piece.data()), static_cast<std::streamsize>(piece.size()));
    const size_t got = static_cast<size_t>(in.gcount());
    if (got == 0 && n > 0) break;
    Params p;
    p.Text(name);
    p.Int(n);
    p.Binary(Bytes(piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(got)));
    PgResult r(p.Exec(conn_, "INSERT INTO blob_chunks (blob, n, data) VALUES ($1, $2, $3)"));
    if (r.status() != PGRES_COMMAND_OK) {
      if (r.state() == "23505")
        return fail(Status::AlreadyExists("an evidence file named " + name + " exists already"));
      return fail(Failed(conn_, where_, "storing an evidence file"));
    }
    if (got < piece.size()) break;
  }
  if (in.bad()) return fail(Status::Io("cannot read the sealed evidence file " + sealed_path));
  PgResult r(PQexec(conn_, "COMMIT"));
  if (r.status() != PGRES_COMMAND_OK || std::strcmp(PQcmdStatus(r.get()), "ROLLBACK") == 0)
    return Failed(conn_, where_, "storing an evidence file");
  return Status::Ok();
}

Status PostgresStore::ReadBlob(const std::string& name,
                               const std::function<Status(const Bytes&)>& fn) {
  // One piece per round trip: a video larger than memory is read piece by piece.
  for (int n = 0;; ++n) {
    Params p;
    p.Text(name);
    p.Int(n);
    PgResult r(p.Exec(conn_, "SELECT data FROM blob_chunks WHERE blob = $1 AND n = $2"));
    if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading an evidence file");
    if (r.rows() == 0) {
      if (n == 0) return Status::NotFound("the database holds no evidence file named " + name);
      return Status::Ok();
    }
    IZDE_RETURN_IF_ERROR(fn(GetBytes(r.get(), 0, 0)));
  }
}

Status PostgresStore::DeleteBlob(const std::string& name) {
  Params p;
  p.Text(name);
  PgResult r(p.Exec(conn_, "DELETE FROM blob_chunks WHERE blob = $1"));
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "removing an evidence file");
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, uint64_t>>> PostgresStore::ListBlobs() {
  PgResult r(PQexecParams(conn_,
                          "SELECT blob, sum(length(data))::bigint FROM blob_chunks GROUP BY blob "
                          "ORDER BY blob",
                          0, nullptr, nullptr, nullptr, nullptr, 1));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "listing evidence files");
  std::vector<std::pair<std::string, uint64_t>> out;
  for (int i = 0; i < r.rows(); ++i)
    out.emplace_back(GetText(r.get(), i, 0), static_cast<uint64_t>(GetInt(r.get(), i, 1)));
  return out;
}

Result<uint64_t> PostgresStore::LogSize() {
  PgResult r(PQexecParams(conn_, "SELECT coalesce(max(idx) + 1, 0)::bigint FROM log_entries", 0,
                          nullptr, nullptr, nullptr, nullptr, 1));
  if (r.status() != PGRES_TUPLES_OK || r.rows() != 1)
    return Failed(conn_, where_, "reading the log's size");
  return static_cast<uint64_t>(GetInt(r.get(), 0, 0));
}

Status PostgresStore::AppendLogEntries(uint64_t first, const std::vector<Bytes>& entries) {
  if (!in_transaction_)
    return Status::InvalidInput("log entries are appended only inside a write transaction");
  IZDE_ASSIGN_OR_RETURN(uint64_t size, LogSize());
  if (size != first)
    return Status::Corrupt("the shared log holds " + std::to_string(size) +
                           " entries, but this server would append at " + std::to_string(first) +
                           ": it is out of step with the database");
  // Many entries per statement (a bytea[] in binary): an import of 100,000 records
  // makes a few hundred round trips, not 100,000.
  constexpr size_t kPerStatement = 2000;
  for (size_t start = 0; start < entries.size(); start += kPerStatement) {
    const size_t end = std::min(entries.size(), start + kPerStatement);
    BinaryArray array(BinaryArray::kBytea);
    for (size_t i = start; i < end; ++i) array.Add(entries[i]);
    Params p;
    p.Int(static_cast<int64_t>(first + start));
    p.Binary(array.Finish());
    PgResult r(p.Exec(conn_,
                      "INSERT INTO log_entries (idx, entry) SELECT $1::bigint + o - 1, e "
                      "FROM unnest($2::bytea[]) WITH ORDINALITY AS t(e, o)"));
    if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "appending to the log");
  }
  return Status::Ok();
}

Status PostgresStore::LogEntries(uint64_t from,
                                 const std::function<Status(uint64_t, const Bytes&)>& fn) {
  constexpr int kPage = 10000;
  for (;;) {
    Params p;
    p.Int(static_cast<int64_t>(from));
    PgResult r(p.Exec(conn_, ("SELECT idx, entry FROM log_entries WHERE idx >= $1 ORDER BY idx "
                              "LIMIT " +
                              std::to_string(kPage))
                                 .c_str()));
    if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading the log");
    for (int i = 0; i < r.rows(); ++i) {
      const uint64_t idx = static_cast<uint64_t>(GetInt(r.get(), i, 0));
      if (idx != from)
        return Status::Corrupt("the shared log lacks entry " + std::to_string(from) +
                               " (the next is " + std::to_string(idx) + ")");
      IZDE_RETURN_IF_ERROR(fn(idx, GetBytes(r.get(), i, 1)));
      ++from;
    }
    if (r.rows() < kPage) return Status::Ok();
  }
}

Status PostgresStore::PutCheckpoint(uint64_t size, const std::string& note) {
  Params p;
  p.Int(static_cast<int64_t>(size));
  p.Text(note);
  PgResult r(p.Exec(conn_,
                    "INSERT INTO log_checkpoints (size, note) VALUES ($1, $2) "
                    "ON CONFLICT (size) DO NOTHING"));
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "keeping a checkpoint");
  return Status::Ok();
}

Result<std::vector<std::pair<uint64_t, std::string>>> PostgresStore::Checkpoints() {
  PgResult r(PQexecParams(conn_, "SELECT size, note FROM log_checkpoints ORDER BY size", 0, nullptr,
                          nullptr, nullptr, nullptr, 1));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading the checkpoints");
  std::vector<std::pair<uint64_t, std::string>> out;
  for (int i = 0; i < r.rows(); ++i)
    out.emplace_back(static_cast<uint64_t>(GetInt(r.get(), i, 0)), GetText(r.get(), i, 1));
  return out;
}

Status PostgresStore::UpdateCheckpoint(
    uint64_t size, const std::function<Result<std::string>(const std::string&)>& fn) {
  // Not Begin(): the change counter's lock is for writes of records.
  IZDE_RETURN_IF_ERROR(Exec("BEGIN", "updating a checkpoint"));
  auto fail = [&](Status s) {
    PQclear(PQexec(conn_, "ROLLBACK"));
    return s;
  };
  Params p;
  p.Int(static_cast<int64_t>(size));
  PgResult r(p.Exec(conn_, "SELECT note FROM log_checkpoints WHERE size = $1 FOR UPDATE"));
  if (r.status() != PGRES_TUPLES_OK) return fail(Failed(conn_, where_, "reading a checkpoint"));
  if (r.rows() == 0)
    return fail(
        Status::NotFound("the database keeps no checkpoint of size " + std::to_string(size)));
  auto note = fn(GetText(r.get(), 0, 0));
  if (!note.ok()) return fail(note.status());
  Params u;
  u.Int(static_cast<int64_t>(size));
  u.Text(*note);
  PgResult w(u.Exec(conn_, "UPDATE log_checkpoints SET note = $2 WHERE size = $1"));
  if (w.status() != PGRES_COMMAND_OK) return fail(Failed(conn_, where_, "updating a checkpoint"));
  PgResult c(PQexec(conn_, "COMMIT"));
  if (c.status() != PGRES_COMMAND_OK || std::strcmp(PQcmdStatus(c.get()), "ROLLBACK") == 0)
    return Failed(conn_, where_, "updating a checkpoint");
  return Status::Ok();
}

Status PostgresStore::PutLogFile(const std::string& name, const Bytes& content, bool replace) {
  Params p;
  p.Text(name);
  p.Binary(content);
  PgResult r(p.Exec(conn_, replace ? "INSERT INTO log_files (name, content) VALUES ($1, $2) ON "
                                     "CONFLICT (name) DO UPDATE SET content = EXCLUDED.content"
                                   : "INSERT INTO log_files (name, content) VALUES ($1, $2) ON "
                                     "CONFLICT (name) DO NOTHING"));
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "keeping a log file");
  return Status::Ok();
}

Status PostgresStore::DeleteLogFile(const std::string& name) {
  Params p;
  p.Text(name);
  PgResult r(p.Exec(conn_, "DELETE FROM log_files WHERE name = $1"));
  if (r.status() != PGRES_COMMAND_OK) return Failed(conn_, where_, "removing a log file");
  return Status::Ok();
}

Result<std::map<std::string, Bytes>> PostgresStore::LogFiles(const std::string& prefix) {
  Params p;
  p.Text(prefix);
  PgResult r(p.Exec(conn_,
                    "SELECT name, content FROM log_files WHERE left(name, length($1)) = $1 "
                    "ORDER BY name"));
  if (r.status() != PGRES_TUPLES_OK) return Failed(conn_, where_, "reading the log's files");
  std::map<std::string, Bytes> out;
  for (int i = 0; i < r.rows(); ++i) out[GetText(r.get(), i, 0)] = GetBytes(r.get(), i, 1);
  return out;
}

Result<bool> PostgresStore::ChangedElsewhere() {
  if (!PQconsumeInput(conn_)) return Failed(conn_, where_, "reading notifications");
  bool changed = false;
  const int self = PQbackendPID(conn_);
  while (PGnotify* n = PQnotifies(conn_)) {
    changed = changed || n->be_pid != self;
    PQfreemem(n);
  }
  return changed;
}

Result<bool> PostgresStore::WaitForChange(int timeout_ms) {
  IZDE_ASSIGN_OR_RETURN(bool changed, ChangedElsewhere());
  if (changed) return true;
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (fd.fd < 0) return Failed(conn_, where_, "waiting for notifications");
  if (::poll(&fd, 1, timeout_ms) <= 0) return false;
  return ChangedElsewhere();
}

}  // namespace izde::store
