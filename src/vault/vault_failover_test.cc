// THREATS.md P6 and P9 on PostgreSQL: a primary with a synchronous streaming
// replica (docs/deploy.md), the primary killed while a server saves records,
// the replica promoted. Every save izde acknowledged must be on the replica,
// and the vault must verify against its log there.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "store/postgresql/test_cluster.h"
#include "vault/test_vault_dir.h"
#include "vault/vault.h"

namespace izde::vault {
namespace {

constexpr const char* kPass = "correct horse battery staple";
constexpr const char* kReplicaName = "izde_replica";

VaultOptions Options(const std::string& store) {
  VaultOptions o;
  o.kdf = KdfCost::kTestOnlyMinimum;
  o.store = store;
  o.catch_up_ms = 0;
  return o;
}

model::Record Person(int i) {
  return {"P-" + std::to_string(i % 40),
          model::RecordType::kPerson,
          {{"names", {{{"text", "Person " + std::to_string(i % 40)}}}},
           {"notes", "save " + std::to_string(i)}}};
}

TEST(PostgresFailover, PromotedReplicaHasEveryAcknowledgedSave) {
  using store::TestCluster;
  store::ClusterOptions primary_options;
  // A commit returns only once the replica has the WAL (synchronous_commit = on).
  primary_options.settings = {std::string("synchronous_standby_names = '") + kReplicaName + "'"};
  auto primary = TestCluster::Start(primary_options);
  ASSERT_TRUE(primary.ok()) << primary.status().message();
  auto replica = TestCluster::StartReplica(**primary, kReplicaName);
  ASSERT_TRUE(replica.ok()) << replica.status().message();
  std::string state;
  for (int i = 0; i < 600 && state != "sync"; ++i) {
    auto r = (*primary)->Psql(std::string("SELECT sync_state FROM pg_stat_replication WHERE "
                                          "application_name = '") +
                              kReplicaName + "'");
    state = r.ok() ? *r : "";
    if (state != "sync") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(state, "sync") << "the replica never became a synchronous standby";
  auto uri = (*primary)->CreateDatabase("vault");
  ASSERT_TRUE(uri.ok()) << uri.status().message();
  const std::string db = uri->substr(14, uri->find('?') - 14);

  TestDir dir;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, Options(*uri)).ok());
  std::mutex mu;
  std::vector<std::pair<std::string, int64_t>> acked;  // (id, version) izde reported saved
  std::vector<int> acked_save;
  std::atomic<bool> stopped{false};
  std::string last_error;
  {
    auto v = Vault::Unlock(dir / "v", "admin", kPass, Options(""));
    ASSERT_TRUE(v.ok()) << v.status().message();
    std::thread writer([&] {
      for (int i = 0; !stopped; ++i) {
        auto saved = (*v)->Save(Person(i));
        if (!saved.ok()) {
          last_error = saved.status().message();
          break;
        }
        std::lock_guard<std::mutex> lock(mu);
        acked.emplace_back("P-" + std::to_string(i % 40), *saved);
        acked_save.push_back(i);
      }
      stopped = true;
    });
    for (int i = 0; i < 3000; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (acked.size() >= 150 || stopped) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE((*primary)->Kill().ok());  // mid-write: the writer is still saving
    writer.join();
    EXPECT_NE(last_error.find("PostgreSQL"), std::string::npos) << last_error;
  }
  ASSERT_GE(acked.size(), 150u) << last_error;

  ASSERT_TRUE((*replica)->Promote().ok());
  // Failover: the vault directory now names the promoted replica (docs/deploy.md).
  auto v = Vault::Unlock(dir / "v", "admin", kPass, Options((*replica)->Uri(db)));
  ASSERT_TRUE(v.ok()) << v.status().message();
  for (size_t k = 0; k < acked.size(); ++k) {
    const auto& [id, version] = acked[k];
    auto hist = (*v)->History(id);
    ASSERT_TRUE(hist.ok()) << hist.status().message();
    ASSERT_GE(hist->size(), static_cast<size_t>(version)) << id << " lost version " << version;
    EXPECT_EQ((*hist)[version - 1].record.doc["notes"], "save " + std::to_string(acked_save[k]));
  }
  auto check = (*v)->CheckEverything();
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
  // The promoted replica takes writes.
  auto next = (*v)->Save(Person(1000001));
  EXPECT_TRUE(next.ok()) << next.status().message();
}

}  // namespace
}  // namespace izde::vault
