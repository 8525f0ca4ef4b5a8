// What only the SQLite engine does: its schema history, its triggers inside the
// file, and damage to the file. The contract both engines keep is in
// store/store_contract_test.cc.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

namespace izde::store {
namespace {

namespace fs = std::filesystem;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("izde-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = SqliteStore::Open((dir_ / "vault.db").string(), true);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  static StoredVersion V(const std::string& id, int64_t version) {
    return {id,
            "person",
            version,
            1700000000 + version,
            "record",
            Bytes(72, 1),
            Bytes{'I', 'Z', 'F', '1', static_cast<uint8_t>(version)}};
  }
  fs::path dir_;
  std::unique_ptr<Store> store_;
};

// A vault written before the change log existed (schema 1) gains one, filled
// from its versions, and loses nothing.
TEST_F(SqliteStoreTest, MigratesASchemaOneVault) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 2)).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "vault.db").string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER versions_log_change; DROP TABLE changes; "
                         "PRAGMA user_version = 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = SqliteStore::Open((dir_ / "vault.db").string(), false);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*(*s)->LastChange(), 2);
  EXPECT_EQ((*(*s)->Latest("P-1"))->version, 2);
  ASSERT_TRUE((*s)->AppendVersion(V("P-1", 3)).ok());
  EXPECT_EQ(*(*s)->LastChange(), 3);
}

// A schema-2 vault (versions WITHOUT ROWID) keeps every version, its change sequence and
// its append-only triggers when versions becomes a rowid table (schema 3).
TEST_F(SqliteStoreTest, MigratesASchemaTwoVault) {
  store_.reset();
  fs::remove(dir_ / "vault.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "vault.db").string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE versions (record_id TEXT NOT NULL, version INTEGER NOT "
                         "NULL, type TEXT NOT NULL, created_at INTEGER NOT NULL, tier TEXT NOT "
                         "NULL, wrapped_key BLOB NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY "
                         "(record_id, version)) WITHOUT ROWID;"
                         "CREATE TABLE key_slots (user TEXT PRIMARY KEY, salt BLOB NOT NULL, "
                         "opslimit INTEGER NOT NULL, memlimit INTEGER NOT NULL, wrapped_master "
                         "BLOB NOT NULL, wrapped_witness BLOB, created_at INTEGER NOT NULL);"
                         "CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
                         "CREATE TABLE changes (seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL, "
                         "version INTEGER NOT NULL);"
                         "INSERT INTO versions VALUES ('P-1', 1, 'person', 1, 'record', x'01', "
                         "x'49'), ('P-1', 2, 'person', 2, 'record', x'01', x'4A'), ('S-1', 1, "
                         "'source', 3, 'record', x'01', x'4B');"
                         "INSERT INTO changes (record_id, version) VALUES ('P-1', 1), ('P-1', 2), "
                         "('S-1', 1);"
                         "PRAGMA user_version = 2;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = SqliteStore::Open((dir_ / "vault.db").string(), false);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*(*s)->LastChange(), 3);
  auto latest = (*s)->Latest("P-1");
  ASSERT_TRUE(latest.ok() && *latest);
  EXPECT_EQ((*latest)->version, 2);
  EXPECT_EQ((*latest)->sealed, Bytes{0x4A});
  EXPECT_EQ((*(*s)->History("P-1")).size(), 2u);
  EXPECT_EQ((*(*s)->Latest("S-1"))->type, "source");
  ASSERT_TRUE((*s)->AppendVersion(V("P-1", 3)).ok());
  EXPECT_EQ(*(*s)->LastChange(), 4);
  EXPECT_EQ((*s)->AppendVersion(V("P-1", 3)).code(), Status::Code::kAlreadyExists);
  s->reset();
  ASSERT_EQ(sqlite3_open((dir_ / "vault.db").string().c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE versions SET version = 5", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM versions", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 3);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// Saving beside a large version (the review queue is ~100 MB in a 1M-record vault) does
// not read that version: with the sealed document in the b-tree key (WITHOUT ROWID), each
// insert next to it loaded its whole overflow chain into memory to compare keys.
TEST_F(SqliteStoreTest, SavingBesideALargeVersionDoesNotReadIt) {
  StoredVersion big = V("link-queue", 1);
  big.sealed.assign(32u << 20, 7);
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersion(big).ok());
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(store_->AppendVersion(V("R" + std::to_string(1000 + i), 1)).ok());
  ASSERT_TRUE(store_->Commit().ok());
  big.sealed.clear();
  sqlite3_int64 used = 0, peak = 0;
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &peak, 1);  // resets the peak
  ASSERT_TRUE(store_->Begin().ok());
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(store_->AppendVersion(V("R" + std::to_string(2000 + i), 1)).ok());
  ASSERT_TRUE(store_->Commit().ok());
  auto latest = store_->Latest("R2100");
  ASSERT_TRUE(latest.ok() && *latest);
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &peak, 0);
  // The page cache grows by at most ~2 MB; one read of the large version is 32 MB.
  EXPECT_LT(peak, used + (8 << 20)) << "peak " << peak << " bytes, in use " << used;
}

// History is append-only even for someone with SQL access to the file.
TEST_F(SqliteStoreTest, TriggersForbidUpdatesAndDeletes) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "vault.db").string().c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE versions SET version = 5", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM versions", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// A vault written by a newer izde is refused, untouched, with a message to upgrade.
TEST_F(SqliteStoreTest, NewerSchemaIsRefusedNotDowngraded) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "vault.db").string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = SqliteStore::Open((dir_ / "vault.db").string(), false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("upgrade izde"), std::string::npos) << s.status().message();
  ASSERT_EQ(sqlite3_open((dir_ / "vault.db").string().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM versions", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, DamagedFileIsReportedNotUsed) {
  store_.reset();
  fs::remove(dir_ / "vault.db-wal");
  fs::remove(dir_ / "vault.db-shm");
  {
    FILE* f = std::fopen((dir_ / "vault.db").string().c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::fseek(f, 0, SEEK_SET);
    std::fwrite("garbage garbage garbage garbage", 1, 31, f);
    std::fclose(f);
  }
  auto s = SqliteStore::Open((dir_ / "vault.db").string(), false);
  ASSERT_FALSE(s.ok());
}

// Opening reads the header and schema only, so that a large vault opens at once; a page
// damaged further in is found by CheckIntegrity (izde verify --vault, backups), which
// names the file.
TEST_F(SqliteStoreTest, DamagedPageIsFoundByTheIntegrityCheck) {
  for (int i = 1; i <= 300; ++i) {
    StoredVersion v = V("P-" + std::to_string(i), 1);
    v.sealed.assign(2000, static_cast<uint8_t>(i));
    ASSERT_TRUE(store_->AppendVersion(v).ok());
  }
  EXPECT_TRUE(store_->CheckIntegrity().ok());
  store_.reset();
  ASSERT_FALSE(fs::exists(dir_ / "vault.db-wal") && fs::file_size(dir_ / "vault.db-wal") > 0);
  const auto size = fs::file_size(dir_ / "vault.db");
  ASSERT_GT(size, 100u * 4096);
  {
    FILE* f = std::fopen((dir_ / "vault.db").string().c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::fseek(f, static_cast<long>(size - 4096), SEEK_SET);
    std::string junk(4096, '\x55');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  auto s = SqliteStore::Open((dir_ / "vault.db").string(), false);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Status check = (*s)->CheckIntegrity();
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.code(), Status::Code::kCorrupt);
  EXPECT_NE(check.message().find("vault.db is damaged"), std::string::npos) << check.message();
}

}  // namespace
}  // namespace izde::store
