// The store contract. Written against the Store interface and instantiated
// per engine, so the PostgreSQL engine runs the same cases.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

namespace izde::store {
namespace {

namespace fs = std::filesystem;

class StoreContract : public ::testing::Test {
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

TEST_F(StoreContract, AppendsAndReadsVersions) {
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 2)).ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-2", 1)).ok());
  ASSERT_TRUE(store_->Commit().ok());
  auto latest = store_->Latest("P-1");
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->version, 2);
  EXPECT_EQ((*latest)->sealed.back(), 2);
  auto hist = store_->History("P-1");
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_EQ((*hist)[0].version, 1);
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ScanLatest([&](const StoredVersion& v) {
                    seen.push_back(v.record_id + "@" + std::to_string(v.version));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"P-1@2", "P-2@1"}));
  auto counts = store_->CountRecords();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)["person"], 2);
  EXPECT_FALSE(store_->Latest("nobody")->has_value());
}

TEST_F(StoreContract, ChangesAreNumberedInWriteOrder) {
  EXPECT_EQ(*store_->LastChange(), 0);
  ASSERT_TRUE(store_->AppendVersion(V("P-2", 1)).ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-2", 2)).ok());
  EXPECT_EQ(*store_->LastChange(), 3);
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ChangesSince(1,
                                 [&](const std::string& id, int64_t v) {
                                   seen.push_back(id + "@" + std::to_string(v));
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"P-1@1", "P-2@2"}));
  // A rolled-back version leaves no change behind.
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-3", 1)).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(*store_->LastChange(), 3);
}

// A vault written before the change log existed (schema 1) gains one, filled
// from its versions, and loses nothing.
TEST_F(StoreContract, MigratesASchemaOneVault) {
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

TEST_F(StoreContract, RefusesToOverwriteAVersion) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  Status s = store_->AppendVersion(V("P-1", 1));
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists);
}

TEST_F(StoreContract, RollbackLeavesNothing) {
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-9", 1)).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_FALSE(store_->Latest("P-9")->has_value());
}

TEST_F(StoreContract, KeySlotsAndSettings) {
  KeySlot k{"admin", Bytes(16, 7), 3, 1 << 20, Bytes(72, 2), Bytes(), 5};
  ASSERT_TRUE(store_->PutKeySlot(k).ok());
  auto got = store_->GetKeySlot("admin");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->salt, k.salt);
  EXPECT_TRUE((*got)->wrapped_witness.empty());
  ASSERT_TRUE(store_->DeleteKeySlot("admin").ok());
  EXPECT_FALSE(store_->GetKeySlot("admin")->has_value());
  ASSERT_TRUE(store_->SetSetting("format", {'1'}).ok());
  EXPECT_EQ(**store_->GetSetting("format"), Bytes{'1'});
}

// History is append-only even for someone with SQL access to the file.
TEST_F(StoreContract, SqliteTriggersForbidUpdatesAndDeletes) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "vault.db").string().c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE versions SET version = 5", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM versions", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(StoreContract, ReopenKeepsDataAndSchema) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  store_.reset();
  auto s = SqliteStore::Open((dir_ / "vault.db").string(), false);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE((*s)->Latest("P-1")->has_value());
}

// A vault written by a newer izde is refused, untouched, with a message to upgrade.
TEST_F(StoreContract, NewerSchemaIsRefusedNotDowngraded) {
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

TEST_F(StoreContract, DamagedFileIsReportedNotUsed) {
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

}  // namespace
}  // namespace izde::store
