// What only the PostgreSQL engine does: connections and their errors, rules
// enforced inside the database, and several servers writing at once. The
// contract both engines keep is in store/store_contract_test.cc.
#include "store/postgresql/postgres_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store/postgresql/test_cluster.h"

namespace izde::store {
namespace {

// The database name of a test cluster's URI (postgresql:///NAME?host=…).
std::string DbName(const std::string& uri) { return uri.substr(14, uri.find('?') - 14); }

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = TestCluster::Shared();
    ASSERT_TRUE(c.ok()) << c.status().message();
    cluster_ = *c;
    auto uri = cluster_->CreateDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().message();
    uri_ = *uri;
  }
  std::unique_ptr<PostgresStore> Open() {
    auto s = PostgresStore::Open(uri_, true);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  static StoredVersion V(const std::string& id, int64_t version, uint8_t mark = 0) {
    return {id, "person", version, 1700000000, "record", Bytes(72, 1), Bytes{'I', 'Z', 'F', mark}};
  }
  TestCluster* cluster_ = nullptr;
  std::string uri_;
};

TEST_F(PostgresStoreTest, WrongDatabaseIsNamedAndThePasswordIsNot) {
  std::string uri =
      "postgresql://postgres:Sup3r-Secret-Pw@/no_such_db?host=" + cluster_->dir() + "&port=5432";
  auto s = PostgresStore::Open(uri, false);
  ASSERT_FALSE(s.ok());
  const std::string& m = s.status().message();
  EXPECT_NE(m.find("cannot connect to the PostgreSQL store"), std::string::npos) << m;
  EXPECT_NE(m.find("no_such_db"), std::string::npos) << m;
  EXPECT_NE(m.find("does not exist"), std::string::npos) << m;
  EXPECT_EQ(m.find("Sup3r-Secret-Pw"), std::string::npos) << m;
}

TEST_F(PostgresStoreTest, UnreachableServerIsNamedAndThePasswordIsNot) {
  auto s = PostgresStore::Open(
      "postgresql://izde:An0ther-Secret@/izde?host=/nonexistent-izde-dir&port=5999", false);
  ASSERT_FALSE(s.ok());
  const std::string& m = s.status().message();
  EXPECT_NE(m.find("/nonexistent-izde-dir"), std::string::npos) << m;
  EXPECT_NE(m.find("5999"), std::string::npos) << m;
  EXPECT_EQ(m.find("An0ther-Secret"), std::string::npos) << m;
  EXPECT_EQ(RedactConninfo("host=db.example password=xyz user=u dbname=d"),
            "user=u dbname=d host=db.example");
}

TEST_F(PostgresStoreTest, MalformedLocationIsRejectedClearly) {
  auto s = PostgresStore::Open("postgresql://[broken", false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.status().message().find("postgresql://USER@HOST"), std::string::npos)
      << s.status().message();
}

TEST_F(PostgresStoreTest, ADatabaseWithoutAVaultIsNotCreatedUnasked) {
  auto s = PostgresStore::Open(uri_, false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
  EXPECT_NE(s.status().message().find("holds no izde vault"), std::string::npos);
  EXPECT_EQ(
      *cluster_->Psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", DbName(uri_)),
      "0");
}

// History is append-only even for someone with SQL access to the database.
TEST_F(PostgresStoreTest, TheDatabaseForbidsUpdatesAndDeletes) {
  auto s = Open();
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->AppendVersion(V("P-1", 1)).ok());
  for (const char* sql :
       {"UPDATE versions SET version = 5", "DELETE FROM versions", "TRUNCATE versions"}) {
    auto r = cluster_->Psql(sql, DbName(uri_));
    EXPECT_FALSE(r.ok()) << sql;
    EXPECT_NE(r.status().message().find("append-only"), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(*cluster_->Psql("SELECT count(*) FROM versions", DbName(uri_)), "1");
}

TEST_F(PostgresStoreTest, NewerSchemaIsRefusedNotDowngraded) {
  ASSERT_TRUE(Open());
  ASSERT_TRUE(cluster_->Psql("UPDATE izde_schema SET version = 99", DbName(uri_)).ok());
  auto s = PostgresStore::Open(uri_, false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("upgrade izde"), std::string::npos) << s.status().message();
  EXPECT_EQ(*cluster_->Psql("SELECT version FROM izde_schema", DbName(uri_)), "99");
}

// Two servers append the next version of the same records at once, each in
// transactions: every acknowledged version is there once, versions of a record
// are 1..n without holes, and a reader following ChangesSince while they write
// misses none of them.
TEST_F(PostgresStoreTest, TwoServersWritingAtOnceLoseAndInterleaveNothing) {
  auto a = Open(), b = Open(), reader = Open();
  ASSERT_TRUE(a && b && reader);
  constexpr int kRounds = 150;
  const std::vector<std::string> ids = {"P-1", "P-2", "P-3"};
  std::atomic<int> done{0};
  std::vector<std::set<std::string>> acked(2);
  auto writer = [&](PostgresStore* s, uint8_t who) {
    for (int i = 0; i < kRounds; ++i) {
      const std::string& id = ids[i % ids.size()];
      // Each round: a transaction writing two records, as a batch import would.
      Status st = s->Begin();
      std::vector<std::string> mine;
      for (int k = 0; k < 2 && st.ok(); ++k) {
        const std::string& rid = ids[(i + k) % ids.size()];
        auto latest = s->Latest(rid);
        if (!latest.ok()) {
          st = latest.status();
          break;
        }
        int64_t next = *latest ? (*latest)->version + 1 : 1;
        st = s->AppendVersion(V(rid, next, who));
        mine.push_back(rid + "@" + std::to_string(next));
      }
      if (st.ok()) st = s->Commit();
      if (st.ok())
        acked[who].insert(mine.begin(), mine.end());
      else
        s->Rollback();
      EXPECT_TRUE(st.ok()) << st.message() << " at " << id;
    }
    done.fetch_add(1);
  };
  std::set<std::string> followed;
  int64_t mark = 0;
  auto follow = [&] {
    return reader->ChangesSince(mark, [&](const std::string& id, int64_t v) {
      EXPECT_TRUE(followed.insert(id + "@" + std::to_string(v)).second) << "seen twice";
      ++mark;
      return Status::Ok();
    });
  };
  std::thread ta(writer, a.get(), 0), tb(writer, b.get(), 1);
  while (done.load() < 2) ASSERT_TRUE(follow().ok());
  ta.join();
  tb.join();
  ASSERT_TRUE(follow().ok());

  std::set<std::string> all;
  for (const auto& s : acked) all.insert(s.begin(), s.end());
  EXPECT_EQ(all.size(), acked[0].size() + acked[1].size()) << "a version acknowledged twice";
  EXPECT_EQ(all.size(), 2u * kRounds * 2);
  EXPECT_EQ(followed, all);
  EXPECT_EQ(*reader->LastChange(), static_cast<int64_t>(all.size()));
  for (const auto& id : ids) {
    auto hist = reader->History(id);
    ASSERT_TRUE(hist.ok());
    for (size_t i = 0; i < hist->size(); ++i) EXPECT_EQ((*hist)[i].version, int64_t(i + 1));
  }
}

// A change numbered first but committed last must not be skipped by a reader:
// a second writer waits for the first to commit before it gets a number.
TEST_F(PostgresStoreTest, ChangeNumbersFollowCommitOrder) {
  auto a = Open(), b = Open(), reader = Open();
  ASSERT_TRUE(a && b && reader);
  ASSERT_TRUE(a->Begin().ok());
  ASSERT_TRUE(a->AppendVersion(V("P-A", 1)).ok());
  std::atomic<bool> b_done{false};
  std::thread tb([&] {
    EXPECT_TRUE(b->AppendVersion(V("P-B", 1)).ok());
    b_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(b_done.load()) << "the second writer got a change number before the first committed";
  EXPECT_EQ(*reader->LastChange(), 0);
  ASSERT_TRUE(a->Commit().ok());
  tb.join();
  std::vector<std::string> seen;
  ASSERT_TRUE(reader
                  ->ChangesSince(0,
                                 [&](const std::string& id, int64_t) {
                                   seen.push_back(id);
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"P-A", "P-B"}));
}

// A connection that dies under a store reports it, naming the server.
TEST_F(PostgresStoreTest, ALostConnectionIsReported) {
  auto s = Open();
  ASSERT_TRUE(s);
  ASSERT_TRUE(
      cluster_
          ->Psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                 DbName(uri_) + "' AND pid <> pg_backend_pid()")
          .ok());
  auto r = s->Latest("P-1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("PostgreSQL"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace izde::store
