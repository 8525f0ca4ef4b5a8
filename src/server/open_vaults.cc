#include "server/open_vaults.h"

namespace izde::server {

Status OpenVaults::Unlock(const std::string& user, std::string_view passphrase) {
  // Unlocking takes a second or more (Argon2id, index): not under the lock,
  // so that other users keep working meanwhile.
  IZDE_ASSIGN_OR_RETURN(auto v, vault::Vault::Unlock(dir_, user, passphrase, options_));
  IZDE_ASSIGN_OR_RETURN(auto links, RecordLinks::Build(*v));
  std::lock_guard lock(mu_);
  auto& slot = open_[user];
  if (slot.vault) slot.vault->Lock();
  slot.vault = std::move(v);
  slot.links = std::move(links);
  return Status::Ok();
}

void OpenVaults::LockAll() {
  std::lock_guard lock(mu_);
  for (auto& [user, o] : open_)
    if (o.vault) o.vault->Lock();
  open_.clear();
}

bool OpenVaults::IsOpen(const std::string& user) {
  std::lock_guard lock(mu_);
  return open_.count(user) > 0;
}

bool OpenVaults::AnyOpen() {
  std::lock_guard lock(mu_);
  return !open_.empty();
}

Status OpenVaults::With(const std::string& user, const Work& work) {
  std::lock_guard lock(mu_);
  auto it = open_.find(user);
  if (it == open_.end()) return Status::Locked("the vault is locked");
  return work(*it->second.vault, it->second.links);
}

}  // namespace izde::server
