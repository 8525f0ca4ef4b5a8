#include "server/open_vaults.h"

namespace izde::server {

OpenVaults::~OpenVaults() {
  StopFollowing();
  LockAll();
}

void OpenVaults::StopFollowing() {
  {
    std::lock_guard lock(follow_mu_);
    follow_stop_ = true;
  }
  follow_cv_.notify_all();
  if (follow_thread_.joinable()) follow_thread_.join();
}

void OpenVaults::Enter() {
  std::unique_lock lock(gate_mu_);
  gate_cv_.wait(lock, [&] { return !closing_; });
  ++inside_;
}

void OpenVaults::Leave() {
  {
    std::lock_guard lock(gate_mu_);
    --inside_;
  }
  gate_cv_.notify_all();
}

void OpenVaults::BeginClose() {
  std::unique_lock lock(gate_mu_);
  gate_cv_.wait(lock, [&] { return !closing_; });
  closing_ = true;  // from now on no call enters
  gate_cv_.wait(lock, [&] { return inside_ == 0; });
}

void OpenVaults::EndClose() {
  {
    std::lock_guard lock(gate_mu_);
    closing_ = false;
  }
  gate_cv_.notify_all();
}

Status OpenVaults::Unlock(const std::string& user, std::string_view passphrase) {
  if (AnyOpen()) return Status::AlreadyExists("the vault is already unlocked");
  // Unlocking takes a second or more (Argon2id, index): not under the lock.
  IZDE_ASSIGN_OR_RETURN(auto v, vault::Vault::Unlock(dir_, user, passphrase, options_));
  IZDE_ASSIGN_OR_RETURN(auto links, RecordLinks::Build(*v));
  BeginClose();
  Status s = Status::Ok();
  if (vault_) {
    v->Lock();
    s = Status::AlreadyExists("the vault is already unlocked");
  } else {
    vault_ = std::move(v);
    links_ = std::make_unique<RecordLinks>(std::move(links));
    ++opened_;
  }
  EndClose();
  return s;
}

void OpenVaults::LockAll() {
  BeginClose();
  if (vault_) vault_->Lock();
  vault_.reset();
  links_.reset();
  EndClose();
}

bool OpenVaults::AnyOpen() {
  Enter();
  bool open = vault_ != nullptr;
  Leave();
  return open;
}

Status OpenVaults::With(const Work& work) {
  Enter();
  Status s = Status::Locked("the vault is locked");
  if (vault_) {
    std::lock_guard lock(mu_);
    s = work(*vault_, *links_);
  }
  Leave();
  return s;
}

Result<std::vector<index::Hit>> OpenVaults::Search(std::string_view query, size_t limit) {
  Enter();
  Result<std::vector<index::Hit>> hits = Status::Locked("the vault is locked");
  if (vault_) hits = vault_->SearchNow(query, limit);
  Leave();
  return hits;
}

void OpenVaults::FollowOthers(std::chrono::milliseconds poll, std::function<void()> changed) {
  std::lock_guard lock(follow_mu_);
  if (follow_thread_.joinable() || follow_stop_) return;
  follow_poll_ = poll;
  follow_changed_ = std::move(changed);
  follow_thread_ = std::thread([this] { FollowLoop(); });
}

void OpenVaults::FollowLoop() {
  // PostgreSQL announces other servers' commits; they are looked for this often (a
  // cheap read of the connection's notices, under the vault's lock, never a wait there).
  // Without a notice, and on SQLite, the store's last change number is read every poll.
  const auto notice_check = std::min(follow_poll_, std::chrono::milliseconds(200));
  auto last_poll = std::chrono::steady_clock::now();
  std::unique_lock lock(follow_mu_);
  while (!follow_cv_.wait_for(lock, notice_check, [&] { return follow_stop_; })) {
    lock.unlock();
    const bool poll = std::chrono::steady_clock::now() - last_poll >= follow_poll_;
    if (poll) last_poll = std::chrono::steady_clock::now();
    bool found = false;
    Status s = With([&](vault::Vault& v, RecordLinks& links) {
      IZDE_ASSIGN_OR_RETURN(bool told, v.WaitForChanges(0));  // catches up when told
      if (!told && !poll) return Status::Ok();
      if (!told) IZDE_RETURN_IF_ERROR(v.CatchUp());
      // Person pages list the events, relations and testimonies others saved too.
      IZDE_RETURN_IF_ERROR(links.FollowChanges(v));
      IZDE_ASSIGN_OR_RETURN(int64_t last, v.store()->LastChange());
      found = last != follow_seen_;
      follow_seen_ = last;
      return Status::Ok();
    });
    (void)s;  // locked, or a store error: the next round tries again
    if (found && follow_changed_) follow_changed_();
    lock.lock();
  }
}

}  // namespace izde::server
