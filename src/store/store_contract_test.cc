// The store contract: every case runs against every engine (SQLite in a temp
// file, PostgreSQL in a throwaway cluster started by the test process), so the
// engines cannot drift apart. Engine-only behaviour (file damage, SQLite's
// schema history, PostgreSQL's connections) is tested beside each engine.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "store/postgresql/postgres_store.h"
#include "store/postgresql/test_cluster.h"
#include "store/sqlite/sqlite_store.h"

namespace izde::store {
namespace {

namespace fs = std::filesystem;

// One engine: where a fresh store lives, and how to open it (again).
class Engine {
 public:
  virtual ~Engine() = default;
  virtual Result<std::unique_ptr<Store>> Open(bool create) = 0;
};

class SqliteEngine : public Engine {
 public:
  SqliteEngine() {
    dir_ = fs::temp_directory_path() /
           ("izde-contract-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~SqliteEngine() override { fs::remove_all(dir_); }
  Result<std::unique_ptr<Store>> Open(bool create) override {
    IZDE_ASSIGN_OR_RETURN(auto s, SqliteStore::Open((dir_ / "vault.db").string(), create));
    return std::unique_ptr<Store>(std::move(s));
  }

 private:
  fs::path dir_;
};

class PostgresEngine : public Engine {
 public:
  Result<std::unique_ptr<Store>> Open(bool create) override {
    if (uri_.empty()) {
      IZDE_ASSIGN_OR_RETURN(TestCluster * cluster, TestCluster::Shared());
      IZDE_ASSIGN_OR_RETURN(uri_, cluster->CreateDatabase());
    }
    IZDE_ASSIGN_OR_RETURN(auto s, PostgresStore::Open(uri_, create));
    return std::unique_ptr<Store>(std::move(s));
  }

 private:
  std::string uri_;
};

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite")
      engine_ = std::make_unique<SqliteEngine>();
    else
      engine_ = std::make_unique<PostgresEngine>();
    auto s = engine_->Open(true);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  void TearDown() override { store_.reset(); }
  std::unique_ptr<Store> Reopen() {
    store_.reset();
    auto s = engine_->Open(false);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  static StoredVersion V(const std::string& id, int64_t version,
                         const std::string& type = "person") {
    return {id,
            type,
            version,
            1700000000 + version,
            "record",
            Bytes(72, 1),
            Bytes{'I', 'Z', 'F', '1', static_cast<uint8_t>(version)}};
  }
  static std::function<Status(const StoredVersion&)> Collect(std::vector<std::string>& out) {
    return [&out](const StoredVersion& v) {
      out.push_back(v.record_id + "@" + std::to_string(v.version));
      return Status::Ok();
    };
  }
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, AppendsAndReadsVersions) {
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
  EXPECT_EQ((*latest)->created_at, 1700000002);
  EXPECT_EQ((*latest)->type, "person");
  EXPECT_EQ((*latest)->tier, "record");
  EXPECT_EQ((*latest)->wrapped_key, Bytes(72, 1));
  auto hist = store_->History("P-1");
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_EQ((*hist)[0].version, 1);
  std::vector<std::string> seen;
  ASSERT_TRUE(store_->ScanLatest(Collect(seen)).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"P-1@2", "P-2@1"}));
  auto counts = store_->CountRecords();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)["person"], 2);
  EXPECT_FALSE(store_->Latest("nobody")->has_value());
  EXPECT_TRUE(store_->History("nobody")->empty());
}

// Ciphertext is bytes, not text: every byte value, NUL included, comes back.
TEST_P(StoreContract, KeepsEveryByteOfCiphertext) {
  StoredVersion v = V("P-1", 1);
  v.sealed.clear();
  for (int i = 0; i < 4096; ++i) v.sealed.push_back(static_cast<uint8_t>(i * 7 + i / 256));
  v.wrapped_key = Bytes{0, 0, 0, 255, 0, '\\', '\'', 'x'};
  ASSERT_TRUE(store_->AppendVersion(v).ok());
  auto got = store_->Latest("P-1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->sealed, v.sealed);
  EXPECT_EQ((*got)->wrapped_key, v.wrapped_key);
}

// Record ids sort bytewise in every engine ("B" < "_" < "a"), whatever the locale.
TEST_P(StoreContract, ScansInBytewiseIdOrderAndFiltersTypes) {
  for (std::string id : {"a-1", "_x", "B.2", "A-10", "A-9"})
    ASSERT_TRUE(store_->AppendVersion(V(id, 1, id[0] == '_' ? "source" : "person")).ok());
  ASSERT_TRUE(store_->AppendVersion(V("A-9", 2)).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store_->ScanLatest(Collect(seen)).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"A-10@1", "A-9@2", "B.2@1", "_x@1", "a-1@1"}));
  seen.clear();
  ASSERT_TRUE(store_->ScanLatestOfTypes({"source"}, Collect(seen)).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"_x@1"}));
  seen.clear();
  ASSERT_TRUE(store_->ScanLatestOfTypes({"facility"}, Collect(seen)).ok());
  EXPECT_TRUE(seen.empty());
  auto counts = store_->CountRecords();
  EXPECT_EQ((*counts)["person"], 4);
  EXPECT_EQ((*counts)["source"], 1);
}

// More records than one page of a scan: none lost or repeated at page edges,
// and the caller may use the store while a scan calls it.
TEST_P(StoreContract, LongScansSeeEveryRecordOnce) {
  constexpr int kRecords = 4500;
  ASSERT_TRUE(store_->Begin().ok());
  for (int i = 0; i < kRecords; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "P-%05d", i);
    ASSERT_TRUE(store_->AppendVersion(V(id, 1)).ok());
    if (i % 3 == 0) {
      ASSERT_TRUE(store_->AppendVersion(V(id, 2)).ok());
    }
  }
  ASSERT_TRUE(store_->Commit().ok());
  int n = 0;
  std::string last;
  ASSERT_TRUE(store_
                  ->ScanLatest([&](const StoredVersion& v) {
                    EXPECT_LT(last, v.record_id);
                    last = v.record_id;
                    EXPECT_EQ(v.version, n % 3 == 0 ? 2 : 1) << v.record_id;
                    ++n;
                    auto again = store_->Latest(v.record_id);  // nested use of the store
                    return again.ok() ? Status::Ok() : again.status();
                  })
                  .ok());
  EXPECT_EQ(n, kRecords);
  int64_t expected = 0, count = 0;
  ASSERT_TRUE(store_
                  ->ChangesSince(0,
                                 [&](const std::string&, int64_t) {
                                   ++count;
                                   return Status::Ok();
                                 })
                  .ok());
  expected = kRecords + (kRecords + 2) / 3;
  EXPECT_EQ(count, expected);
  EXPECT_EQ(*store_->LastChange(), expected);
}

TEST_P(StoreContract, ChangesAreNumberedInWriteOrder) {
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
  // A rolled-back version leaves no change behind, and no gap.
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-3", 1)).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(*store_->LastChange(), 3);
  ASSERT_TRUE(store_->AppendVersion(V("P-3", 1)).ok());
  EXPECT_EQ(*store_->LastChange(), 4);
}

// The batched forms (a few round trips per thousand records on PostgreSQL) behave as the
// one-at-a-time ones: order of change numbers, every byte, ids with quotes and commas, and
// a taken version refused with nothing of the batch left after the rollback.
TEST_P(StoreContract, BatchedReadsAndAppendsMatchSingleOnes) {
  std::vector<StoredVersion> batch;
  for (int i = 0; i < 2500; ++i) batch.push_back(V("P-" + std::to_string(i), 1));
  batch.push_back(V("P-7", 2));
  batch.push_back(V("odd \"id\", {with} \\ marks", 1));
  batch.back().sealed.assign({0, '"', '\\', ',', '{', 255, 0});
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersions(batch).ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(*store_->LastChange(), 2502);
  std::vector<std::string> order;
  ASSERT_TRUE(store_
                  ->ChangesSince(2498,
                                 [&](const std::string& id, int64_t v) {
                                   order.push_back(id + "@" + std::to_string(v));
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(order, (std::vector<std::string>{"P-2498@1", "P-2499@1", "P-7@2",
                                             "odd \"id\", {with} \\ marks@1"}));
  std::vector<std::string> ids{"P-7", "nobody", "odd \"id\", {with} \\ marks", "P-0", "P-7"};
  for (int i = 100; i < 2400; ++i) ids.push_back("P-" + std::to_string(i));
  auto latest = store_->LatestOf(ids);
  ASSERT_TRUE(latest.ok()) << latest.status().message();
  EXPECT_EQ(latest->size(), 2u + 1u + 2300u);
  EXPECT_FALSE(latest->count("nobody"));
  EXPECT_EQ(latest->at("P-7").version, 2);
  EXPECT_EQ(latest->at("P-7").sealed, V("P-7", 2).sealed);
  EXPECT_EQ(latest->at("odd \"id\", {with} \\ marks").sealed,
            (Bytes{0, '"', '\\', ',', '{', 255, 0}));
  EXPECT_EQ(latest->at("P-2399").created_at, 1700000001);
  EXPECT_TRUE(store_->LatestOf({})->empty());

  ASSERT_TRUE(store_->Begin().ok());
  Status taken = store_->AppendVersions({V("Q-1", 1), V("P-3", 1)});
  EXPECT_EQ(taken.code(), Status::Code::kAlreadyExists) << taken.message();
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_FALSE(store_->Latest("Q-1")->has_value());
  EXPECT_EQ(*store_->LastChange(), 2502);
}

TEST_P(StoreContract, RefusesToOverwriteAVersion) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  Status s = store_->AppendVersion(V("P-1", 1));
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists);
  EXPECT_NE(s.message().find("P-1"), std::string::npos) << s.message();
  EXPECT_EQ(*store_->LastChange(), 1);
  EXPECT_EQ(store_->History("P-1")->size(), 1u);
}

// A failed append inside a transaction: the caller rolls back, nothing of the
// transaction remains, and the store works on.
TEST_P(StoreContract, AFailedTransactionRollsBackWhole) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-2", 1)).ok());
  EXPECT_EQ(store_->AppendVersion(V("P-1", 1)).code(), Status::Code::kAlreadyExists);
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_FALSE(store_->Latest("P-2")->has_value());
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 2)).ok());
  EXPECT_EQ(*store_->LastChange(), 2);
}

TEST_P(StoreContract, RollbackLeavesNothing) {
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendVersion(V("P-9", 1)).ok());
  ASSERT_TRUE(store_->SetSetting("log.size", {'9'}).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_FALSE(store_->Latest("P-9")->has_value());
  EXPECT_FALSE(store_->GetSetting("log.size")->has_value());
  EXPECT_TRUE(store_->Rollback().ok()) << "a rollback outside a transaction is harmless";
}

TEST_P(StoreContract, KeySlotsAndSettings) {
  KeySlot k{"admin", Bytes(16, 7), 3, 1 << 20, Bytes(72, 2), Bytes(), 5};
  ASSERT_TRUE(store_->PutKeySlot(k).ok());
  auto got = store_->GetKeySlot("admin");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->salt, k.salt);
  EXPECT_EQ((*got)->opslimit, 3u);
  EXPECT_EQ((*got)->memlimit, 1u << 20);
  EXPECT_EQ((*got)->created_at, 5);
  EXPECT_TRUE((*got)->wrapped_witness.empty());
  // Put replaces: a changed passphrase rewrites the slot.
  k.wrapped_witness = Bytes(72, 3);
  k.salt = Bytes(16, 8);
  ASSERT_TRUE(store_->PutKeySlot(k).ok());
  ASSERT_TRUE(store_->PutKeySlot({"zhanar", Bytes(16, 1), 2, 1 << 16, Bytes(72, 4), {}, 6}).ok());
  auto slots = store_->ListKeySlots();
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 2u);
  EXPECT_EQ((*slots)[0].user, "admin");
  EXPECT_EQ((*slots)[0].salt, Bytes(16, 8));
  EXPECT_EQ((*slots)[0].wrapped_witness, Bytes(72, 3));
  EXPECT_EQ((*slots)[1].user, "zhanar");
  ASSERT_TRUE(store_->DeleteKeySlot("admin").ok());
  EXPECT_FALSE(store_->GetKeySlot("admin")->has_value());
  EXPECT_FALSE(store_->GetSetting("format")->has_value());
  ASSERT_TRUE(store_->SetSetting("format", {'1'}).ok());
  EXPECT_EQ(**store_->GetSetting("format"), Bytes{'1'});
  ASSERT_TRUE(store_->SetSetting("format", {'2', 0, '3'}).ok());
  EXPECT_EQ(**store_->GetSetting("format"), (Bytes{'2', 0, '3'}));
  // A large value (read another way on SQLite) comes back whole, and replaced.
  Bytes big(3 << 20);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 131 + (i >> 16));
  ASSERT_TRUE(store_->SetSetting("sealed.link-state", big).ok());
  EXPECT_TRUE(**store_->GetSetting("sealed.link-state") == big);
  big.resize((1 << 20) + 5);
  big[7] ^= 1;
  ASSERT_TRUE(store_->SetSetting("sealed.link-state", big).ok());
  EXPECT_TRUE(**store_->GetSetting("sealed.link-state") == big);
  EXPECT_EQ(**store_->GetSetting("format"), (Bytes{'2', 0, '3'}));
}

TEST_P(StoreContract, ReopenKeepsDataAndSchema) {
  ASSERT_TRUE(store_->AppendVersion(V("P-1", 1)).ok());
  ASSERT_TRUE(store_->SetSetting("vault_id", {'4', '2'}).ok());
  auto s = Reopen();
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->Latest("P-1")->has_value());
  EXPECT_EQ(**s->GetSetting("vault_id"), (Bytes{'4', '2'}));
  ASSERT_TRUE(s->AppendVersion(V("P-1", 2)).ok());
  EXPECT_EQ(*s->LastChange(), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace izde::store
