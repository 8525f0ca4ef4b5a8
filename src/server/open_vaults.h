// The vault as the server holds it: one unlocked Vault (opened by an admin's
// vault passphrase; its keys live only in this process's memory) and the
// RecordLinks built from it. Lock() wipes both at once. Calls are
// serialised: Vault and its in-memory index are single-threaded.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "server/record_links.h"
#include "vault/vault.h"

namespace izde::server {

class OpenVaults {
 public:
  OpenVaults(std::string dir, vault::VaultOptions options)
      : dir_(std::move(dir)), options_(std::move(options)) {}
  ~OpenVaults() { LockAll(); }

  // Checks the passphrase of vault user `user` (Argon2id, then the index is
  // built) and keeps the unlocked vault. AlreadyExists if it is open.
  Status Unlock(const std::string& user, std::string_view passphrase);
  void LockAll();
  bool AnyOpen();

  using Work = std::function<Status(vault::Vault&, RecordLinks&)>;
  // Runs `work` on the vault; Locked if it is locked.
  Status With(const Work& work);

 private:
  const std::string dir_;
  const vault::VaultOptions options_;
  std::mutex mu_;
  std::unique_ptr<vault::Vault> vault_;
  std::unique_ptr<RecordLinks> links_;
};

}  // namespace izde::server
