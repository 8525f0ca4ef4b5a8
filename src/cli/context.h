// What every izde command shares: the vault location, who is unlocking it,
// how the passphrase arrives, and whether output is JSON.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "vault/vault.h"

namespace izde::cli {

struct Context {
  std::string vault_dir;
  // Where the records are, when not the vault's own: a PostgreSQL URI (--store).
  std::string store;
  std::string user;
  std::string passphrase_file;
  bool json = false;
  bool quiet = false;

  // Asks for the passphrase and unlocks, with a progress bar while the index
  // is built. Commands that search nothing pass search_index = false: no record is
  // decrypted (VaultOptions::search_index).
  Result<std::unique_ptr<vault::Vault>> Unlock(bool search_index = true) const;
  vault::VaultOptions Options() const;
};

// Prints a JSON value or text to stdout.
void PrintJson(const nlohmann::json& j);

}  // namespace izde::cli
