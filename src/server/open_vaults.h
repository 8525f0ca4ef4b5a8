// The vault as the server holds it: one unlocked Vault per user who has
// unlocked it in a browser (each with their own keys, so a user without the
// witness key never reads a witness record), and their RecordLinks. LockAll()
// wipes every key at once. Calls are serialised: Vault and its in-memory
// index are single-threaded.
#pragma once

#include <functional>
#include <map>
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

  // Checks the passphrase (Argon2id, then the index is built) and keeps the
  // unlocked vault for `user`.
  Status Unlock(const std::string& user, std::string_view passphrase);
  void LockAll();
  bool IsOpen(const std::string& user);
  bool AnyOpen();

  using Work = std::function<Status(vault::Vault&, RecordLinks&)>;
  // Runs `work` on `user`'s vault; Locked if that user has not unlocked.
  Status With(const std::string& user, const Work& work);

 private:
  struct Open {
    std::unique_ptr<vault::Vault> vault;
    RecordLinks links;
  };
  const std::string dir_;
  const vault::VaultOptions options_;
  std::mutex mu_;
  std::map<std::string, Open> open_;
};

}  // namespace izde::server
