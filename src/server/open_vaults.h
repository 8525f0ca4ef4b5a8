// The vault as the server holds it: one unlocked Vault (opened by an admin's
// vault passphrase; its keys live only in this process's memory) and the
// RecordLinks built from it. Lock() wipes both at once. Calls through With() are
// serialised (Vault and RecordLinks are single-threaded); searches of the index
// (Search) run beside them and beside each other.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "server/record_links.h"
#include "vault/vault.h"

namespace izde::server {

class OpenVaults {
 public:
  OpenVaults(std::string dir, vault::VaultOptions options)
      : dir_(std::move(dir)), options_(std::move(options)) {}
  ~OpenVaults();

  // Checks the passphrase of vault user `user` (Argon2id, then the index is
  // built) and keeps the unlocked vault. AlreadyExists if it is open.
  Status Unlock(const std::string& user, std::string_view passphrase);
  // Waits for the calls under way (and lets no new one start), then wipes.
  void LockAll();
  bool AnyOpen();

  // Grows with every unlock: what was derived from an earlier unlocked vault is told
  // apart by it (read it inside With's work).
  uint64_t opened() const { return opened_; }

  using Work = std::function<Status(vault::Vault&, RecordLinks&)>;
  // Runs `work` on the vault; Locked if it is locked.
  Status With(const Work& work);
  // Vault::SearchNow, without waiting for With's work. Callers filter the hits by
  // what the reader may see (With, when that needs the links).
  Result<std::vector<index::Hit>> Search(std::string_view query, size_t limit);

  // While the vault is open, what other servers or processes save is indexed (and
  // taken into the RecordLinks the person pages read) within
  // this long: on PostgreSQL within 200 ms (LISTEN/NOTIFY), with polling every `poll` in
  // case a notice is lost (and on SQLite, which has no notices). `changed` runs, outside
  // the vault's lock, whenever the vault changed since the last look (this server's own
  // saves included).
  void FollowOthers(std::chrono::milliseconds poll, std::function<void()> changed);
  // Ends FollowOthers' thread (before what `changed` touches goes).
  void StopFollowing();

 private:
  // Entering: any number of calls at once; closing (Unlock installs, LockAll wipes):
  // alone, after the calls inside are done, and no call enters while one waits to close,
  // so a stream of requests never holds off "Lock now".
  void Enter();
  void Leave();
  void BeginClose();
  void EndClose();
  void FollowLoop();

  const std::string dir_;
  const vault::VaultOptions options_;
  std::mutex gate_mu_;
  std::condition_variable gate_cv_;
  int inside_ = 0;
  bool closing_ = false;
  std::mutex mu_;  // With's work, one at a time
  std::unique_ptr<vault::Vault> vault_;
  std::unique_ptr<RecordLinks> links_;
  uint64_t opened_ = 0;
  // FollowOthers.
  std::mutex follow_mu_;
  std::condition_variable follow_cv_;
  bool follow_stop_ = false;
  std::chrono::milliseconds follow_poll_{1000};
  std::function<void()> follow_changed_;
  int64_t follow_seen_ = -1;  // the store's last change number when last looked
  std::thread follow_thread_;
};

}  // namespace izde::server
