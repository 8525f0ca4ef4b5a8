#include "cli/context.h"

#include <sodium.h>

#include <iostream>

#include "cli/search_keys.h"
#include "cli/terminal.h"
#include "names/token_key.h"

namespace izde::cli {

vault::VaultOptions Context::Options() const {
  vault::VaultOptions o;
  o.name_keys = NameSearchKeys();
  o.store = store;
  // The name-key cache holds plaintext name parts: drop it with the keys.
  o.on_lock = [] { names::SharedTokenCache().Clear(); };
  return o;
}

Result<std::unique_ptr<vault::Vault>> Context::Unlock(bool search_index) const {
  IZDE_ASSIGN_OR_RETURN(
      std::string pass,
      ReadPassphrase(passphrase_file, "Passphrase for " + user + " at " + vault_dir, false));
  ProgressBar bar("Unlocking");
  vault::VaultOptions o = Options();
  o.search_index = search_index;
  auto v = vault::Vault::Unlock(vault_dir, user, pass, o,
                                [&](size_t done, size_t total) { bar.Update(done, total); });
  sodium_memzero(pass.data(), pass.size());
  return v;
}

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

}  // namespace izde::cli
