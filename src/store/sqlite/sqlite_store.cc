#include "store/sqlite/sqlite_store.h"

namespace izde::store {
namespace {

// Finalizes a prepared statement when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); }
  ~Statement() { sqlite3_finalize(st_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return st_; }
  void Text(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Blob(int i, const Bytes& b) {
    sqlite3_bind_blob(st_, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  }

 private:
  sqlite3_stmt* st_ = nullptr;
  int rc_;
};

std::string ColText(sqlite3_stmt* st, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  return p ? std::string(p, sqlite3_column_bytes(st, i)) : std::string();
}

Bytes ColBlob(sqlite3_stmt* st, int i) {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st, i));
  return p ? Bytes(p, p + sqlite3_column_bytes(st, i)) : Bytes();
}

StoredVersion ReadVersion(sqlite3_stmt* st) {
  StoredVersion v;
  v.record_id = ColText(st, 0);
  v.version = sqlite3_column_int64(st, 1);
  v.type = ColText(st, 2);
  v.created_at = sqlite3_column_int64(st, 3);
  v.tier = ColText(st, 4);
  v.wrapped_key = ColBlob(st, 5);
  v.sealed = ColBlob(st, 6);
  return v;
}

KeySlot ReadSlot(sqlite3_stmt* st) {
  KeySlot k;
  k.user = ColText(st, 0);
  k.salt = ColBlob(st, 1);
  k.opslimit = static_cast<uint64_t>(sqlite3_column_int64(st, 2));
  k.memlimit = static_cast<uint64_t>(sqlite3_column_int64(st, 3));
  k.wrapped_master = ColBlob(st, 4);
  k.wrapped_witness = ColBlob(st, 5);
  k.created_at = sqlite3_column_int64(st, 6);
  return k;
}

constexpr const char* kVersionColumns =
    "record_id, version, type, created_at, tier, wrapped_key, sealed";

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Io("cannot open the vault database " + path + ": " + msg);
  }
  std::unique_ptr<SqliteStore> s(new SqliteStore(db));
  sqlite3_busy_timeout(db, 10000);
  // WAL + FULL: a commit is on disk (WAL fsynced) before we report it saved.
  // temp_store=MEMORY: sorts and temp indexes never spill to a temp file.
  IZDE_RETURN_IF_ERROR(
      s->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
              "PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON;"));
  // The header and schema are read here (a file that is not a database fails now); the
  // pages of a large vault are checked by CheckIntegrity, when verifying or backing up.
  // Any damaged page read later fails its query (SQLITE_CORRUPT), never silently.
  s->path_ = path;
  IZDE_RETURN_IF_ERROR(MigrateSchema(db));
  return s;
}

Status SqliteStore::CheckIntegrity() {
  Statement check(db_, "PRAGMA quick_check");
  if (!check.ok() || sqlite3_step(check.get()) != SQLITE_ROW || ColText(check.get(), 0) != "ok")
    return Status::Corrupt("the vault database " + path_ + " is damaged (" +
                           (check.ok() ? ColText(check.get(), 0) : sqlite3_errmsg(db_)) +
                           "); restore it from a backup");
  return Status::Ok();
}

SqliteStore::~SqliteStore() {
  sqlite3_finalize(append_);
  sqlite3_finalize(latest_);
  sqlite3_close(db_);
}

Status SqliteStore::Error(const char* what) {
  return Status::Io(std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status SqliteStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::Io(msg);
  }
  return Status::Ok();
}

Status SqliteStore::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status SqliteStore::Commit() { return Exec("COMMIT"); }
Status SqliteStore::Rollback() {
  if (sqlite3_get_autocommit(db_)) return Status::Ok();
  return Exec("ROLLBACK");
}

Status SqliteStore::AppendVersion(const StoredVersion& v) {
  if (!append_ &&
      sqlite3_prepare_v3(db_,
                         "INSERT INTO versions (record_id, version, type, created_at, tier, "
                         "wrapped_key, sealed) VALUES (?,?,?,?,?,?,?)",
                         -1, SQLITE_PREPARE_PERSISTENT, &append_, nullptr) != SQLITE_OK)
    return Error("preparing an insert");
  sqlite3_reset(append_);
  sqlite3_bind_text(append_, 1, v.record_id.data(), static_cast<int>(v.record_id.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(append_, 2, v.version);
  sqlite3_bind_text(append_, 3, v.type.data(), static_cast<int>(v.type.size()), SQLITE_STATIC);
  sqlite3_bind_int64(append_, 4, v.created_at);
  sqlite3_bind_text(append_, 5, v.tier.data(), static_cast<int>(v.tier.size()), SQLITE_STATIC);
  sqlite3_bind_blob(append_, 6, v.wrapped_key.data(), static_cast<int>(v.wrapped_key.size()),
                    SQLITE_STATIC);
  sqlite3_bind_blob(append_, 7, v.sealed.data(), static_cast<int>(v.sealed.size()), SQLITE_STATIC);
  int rc = sqlite3_step(append_);
  sqlite3_reset(append_);
  sqlite3_clear_bindings(append_);
  if (rc == SQLITE_CONSTRAINT)
    return Status::AlreadyExists("record " + v.record_id + " already has a version " +
                                 std::to_string(v.version));
  if (rc != SQLITE_DONE) return Error("writing a record version");
  return Status::Ok();
}

Result<std::optional<StoredVersion>> SqliteStore::Latest(const std::string& record_id) {
  // Called once per record on every save: keep the statement prepared.
  if (!latest_) {
    std::string sql = std::string("SELECT ") + kVersionColumns +
                      " FROM versions WHERE record_id = ? ORDER BY version DESC LIMIT 1";
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &latest_, nullptr) !=
        SQLITE_OK)
      return Error("reading a record");
  }
  sqlite3_bind_text(latest_, 1, record_id.data(), static_cast<int>(record_id.size()),
                    SQLITE_STATIC);
  int rc = sqlite3_step(latest_);
  std::optional<StoredVersion> out;
  if (rc == SQLITE_ROW) out = ReadVersion(latest_);
  sqlite3_reset(latest_);
  sqlite3_clear_bindings(latest_);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("reading a record");
  return out;
}

Result<std::vector<StoredVersion>> SqliteStore::History(const std::string& record_id) {
  std::string sql = std::string("SELECT ") + kVersionColumns +
                    " FROM versions WHERE record_id = ? ORDER BY version";
  Statement st(db_, sql.c_str());
  if (!st.ok()) return Error("reading a record's history");
  st.Text(1, record_id);
  std::vector<StoredVersion> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) out.push_back(ReadVersion(st.get()));
  if (rc != SQLITE_DONE) return Error("reading a record's history");
  return out;
}

Status SqliteStore::ScanLatest(const std::function<Status(const StoredVersion&)>& fn) {
  return ScanLatestOfTypes({}, fn);
}

Status SqliteStore::ScanLatestOfTypes(const std::vector<std::string>& types,
                                      const std::function<Status(const StoredVersion&)>& fn) {
  std::string filter;
  for (size_t i = 0; i < types.size(); ++i) filter += (i ? ",?" : "?");
  std::string sql = std::string("SELECT ") + kVersionColumns +
                    " FROM versions v WHERE version = (SELECT max(version) FROM versions "
                    "WHERE record_id = v.record_id)" +
                    (types.empty() ? "" : " AND type IN (" + filter + ")") + " ORDER BY record_id";
  Statement st(db_, sql.c_str());
  if (!st.ok()) return Error("scanning records");
  for (size_t i = 0; i < types.size(); ++i) st.Text(static_cast<int>(i + 1), types[i]);
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
    IZDE_RETURN_IF_ERROR(fn(ReadVersion(st.get())));
  if (rc != SQLITE_DONE) return Error("scanning records");
  return Status::Ok();
}

Result<int64_t> SqliteStore::LastChange() {
  Statement st(db_, "SELECT coalesce(max(seq), 0) FROM changes");
  if (!st.ok() || sqlite3_step(st.get()) != SQLITE_ROW) return Error("reading the change log");
  return static_cast<int64_t>(sqlite3_column_int64(st.get(), 0));
}

Status SqliteStore::ChangesSince(int64_t seq,
                                 const std::function<Status(const std::string&, int64_t)>& fn) {
  Statement st(db_, "SELECT record_id, version FROM changes WHERE seq > ? ORDER BY seq");
  if (!st.ok()) return Error("reading the change log");
  sqlite3_bind_int64(st.get(), 1, seq);
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
    IZDE_RETURN_IF_ERROR(fn(ColText(st.get(), 0), sqlite3_column_int64(st.get(), 1)));
  if (rc != SQLITE_DONE) return Error("reading the change log");
  return Status::Ok();
}

Result<std::map<std::string, int64_t>> SqliteStore::CountRecords() {
  Statement st(db_, "SELECT type, count(DISTINCT record_id) FROM versions GROUP BY type");
  if (!st.ok()) return Error("counting records");
  std::map<std::string, int64_t> out;
  while (sqlite3_step(st.get()) == SQLITE_ROW)
    out[ColText(st.get(), 0)] = sqlite3_column_int64(st.get(), 1);
  return out;
}

Status SqliteStore::PutKeySlot(const KeySlot& k) {
  Statement st(db_,
               "INSERT OR REPLACE INTO key_slots (user, salt, opslimit, memlimit, "
               "wrapped_master, wrapped_witness, created_at) VALUES (?,?,?,?,?,?,?)");
  if (!st.ok()) return Error("saving a key slot");
  st.Text(1, k.user);
  st.Blob(2, k.salt);
  sqlite3_bind_int64(st.get(), 3, static_cast<int64_t>(k.opslimit));
  sqlite3_bind_int64(st.get(), 4, static_cast<int64_t>(k.memlimit));
  st.Blob(5, k.wrapped_master);
  if (k.wrapped_witness.empty())
    sqlite3_bind_null(st.get(), 6);
  else
    st.Blob(6, k.wrapped_witness);
  sqlite3_bind_int64(st.get(), 7, k.created_at);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return Error("saving a key slot");
  return Status::Ok();
}

Result<std::optional<KeySlot>> SqliteStore::GetKeySlot(const std::string& user) {
  Statement st(db_,
               "SELECT user, salt, opslimit, memlimit, wrapped_master, wrapped_witness, "
               "created_at FROM key_slots WHERE user = ?");
  if (!st.ok()) return Error("reading a key slot");
  st.Text(1, user);
  if (sqlite3_step(st.get()) == SQLITE_ROW) return std::optional<KeySlot>(ReadSlot(st.get()));
  return std::optional<KeySlot>();
}

Result<std::vector<KeySlot>> SqliteStore::ListKeySlots() {
  Statement st(db_,
               "SELECT user, salt, opslimit, memlimit, wrapped_master, wrapped_witness, "
               "created_at FROM key_slots ORDER BY user");
  if (!st.ok()) return Error("listing key slots");
  std::vector<KeySlot> out;
  while (sqlite3_step(st.get()) == SQLITE_ROW) out.push_back(ReadSlot(st.get()));
  return out;
}

Status SqliteStore::DeleteKeySlot(const std::string& user) {
  Statement st(db_, "DELETE FROM key_slots WHERE user = ?");
  if (!st.ok()) return Error("removing a key slot");
  st.Text(1, user);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return Error("removing a key slot");
  return Status::Ok();
}

Status SqliteStore::SetSetting(const std::string& key, const Bytes& value) {
  Statement st(db_, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
  if (!st.ok()) return Error("saving a setting");
  st.Text(1, key);
  st.Blob(2, value);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return Error("saving a setting");
  return Status::Ok();
}

Result<std::optional<Bytes>> SqliteStore::GetSetting(const std::string& key) {
  // A large value (the 450 MB link state of a million people) is read with the blob
  // API straight into the returned buffer, without SQLite's own copy of it first. The
  // statement stays open meanwhile, so the read sees the same row.
  Statement st(db_, "SELECT rowid, length(value) FROM settings WHERE key = ?");
  if (!st.ok()) return Error("reading a setting");
  st.Text(1, key);
  if (sqlite3_step(st.get()) != SQLITE_ROW) return std::optional<Bytes>();
  const sqlite3_int64 rowid = sqlite3_column_int64(st.get(), 0);
  const int size = sqlite3_column_int(st.get(), 1);
  if (size < (1 << 20)) {
    Statement small(db_, "SELECT value FROM settings WHERE rowid = ?");
    if (!small.ok()) return Error("reading a setting");
    sqlite3_bind_int64(small.get(), 1, rowid);
    if (sqlite3_step(small.get()) != SQLITE_ROW) return Error("reading a setting");
    return std::optional<Bytes>(ColBlob(small.get(), 0));
  }
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db_, "main", "settings", "value", rowid, 0, &blob) != SQLITE_OK) {
    sqlite3_blob_close(blob);
    return Error("opening a setting");
  }
  Bytes out(static_cast<size_t>(size));
  const int rc = sqlite3_blob_bytes(blob) == size ? sqlite3_blob_read(blob, out.data(), size, 0)
                                                  : SQLITE_CORRUPT;
  sqlite3_blob_close(blob);
  if (rc != SQLITE_OK) return Error("reading a setting");
  return std::optional<Bytes>(std::move(out));
}

Result<std::map<std::string, Bytes>> SqliteStore::ListSettings() {
  Statement st(db_, "SELECT key, value FROM settings ORDER BY key");
  if (!st.ok()) return Error("listing settings");
  std::map<std::string, Bytes> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
    out[ColText(st.get(), 0)] = ColBlob(st.get(), 1);
  if (rc != SQLITE_DONE) return Error("listing settings");
  return out;
}

}  // namespace izde::store
