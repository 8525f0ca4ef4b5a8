#include "server/open_vaults.h"

namespace izde::server {

Status OpenVaults::Unlock(const std::string& user, std::string_view passphrase) {
  if (AnyOpen()) return Status::AlreadyExists("the vault is already unlocked");
  // Unlocking takes a second or more (Argon2id, index): not under the lock.
  IZDE_ASSIGN_OR_RETURN(auto v, vault::Vault::Unlock(dir_, user, passphrase, options_));
  IZDE_ASSIGN_OR_RETURN(auto links, RecordLinks::Build(*v));
  std::lock_guard lock(mu_);
  if (vault_) {
    v->Lock();
    return Status::AlreadyExists("the vault is already unlocked");
  }
  vault_ = std::move(v);
  links_ = std::make_unique<RecordLinks>(std::move(links));
  return Status::Ok();
}

void OpenVaults::LockAll() {
  std::lock_guard lock(mu_);
  if (vault_) vault_->Lock();
  vault_.reset();
  links_.reset();
}

bool OpenVaults::AnyOpen() {
  std::lock_guard lock(mu_);
  return vault_ != nullptr;
}

Status OpenVaults::With(const Work& work) {
  std::lock_guard lock(mu_);
  if (!vault_) return Status::Locked("the vault is locked");
  return work(*vault_, *links_);
}

}  // namespace izde::server
