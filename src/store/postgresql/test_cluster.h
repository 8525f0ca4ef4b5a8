// A throwaway PostgreSQL 15 cluster for tests and benchmarks: a copy of an
// initdb template in a fresh directory under /dev/shm (or /tmp with fsync on), a server that
// listens only on a unix socket in that directory (so clusters of parallel test processes never
// collide on a port), and removal of it all when the object dies — or, should the process crash,
// when a small watcher process sees it gone. As root, the server runs as the `postgres` user
// (PostgreSQL refuses to run as root).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace izde::store {

struct ClusterOptions {
  // Off for the unit tests' speed (a process crash loses nothing with fsync off,
  // only a power cut would); on for benchmarks and durability tests.
  bool fsync = false;
  // Extra postgresql.conf lines.
  std::vector<std::string> settings;
};

class TestCluster {
 public:
  // A new cluster, started.
  static Result<std::unique_ptr<TestCluster>> Start(const ClusterOptions& options = {});
  // A streaming replica of `primary` (pg_basebackup -R), started as a standby
  // under the application name `name`.
  static Result<std::unique_ptr<TestCluster>> StartReplica(const TestCluster& primary,
                                                           const std::string& name,
                                                           const ClusterOptions& options = {});
  // One cluster per test process, started on first use.
  static Result<TestCluster*> Shared();
  ~TestCluster();

  // A connection URI for a database of this cluster.
  std::string Uri(const std::string& database = "postgres") const;
  // Creates a fresh database and returns its URI.
  Result<std::string> CreateDatabase(const std::string& prefix = "izde");
  // Runs SQL through psql as the superuser; returns its output (unaligned, tuples only).
  Result<std::string> Psql(const std::string& sql, const std::string& database = "postgres") const;

  // Simulates a crash: SIGKILL to the server and every process it started.
  Status Kill();
  // Promotes a standby to primary and waits until it accepts writes.
  Status Promote();

  const std::string& dir() const { return dir_; }
  std::string data_dir() const { return dir_ + "/data"; }

 private:
  TestCluster() = default;
  Status Init(bool initdb, bool on_disk);
  Status CopyTemplate();
  Status StartServer();
  Status Run(const std::vector<std::string>& argv, std::string* output = nullptr) const;
  void StartWatcher();
  std::string dir_;
  int next_database_ = 0;
  int watcher_pipe_ = -1;
  pid_t watcher_ = -1;
};

}  // namespace izde::store
