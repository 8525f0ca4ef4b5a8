// Which records a public bundle carries and which of their fields it reveals: the
// consent a witness gave in a testimony decides (docs/formats/bundle.md, "What is
// published"). Everything else appears only as an anonymous salted commitment.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/bundle.h"
#include "vault/vault.h"

namespace izde::vault {

// Builds the bundle of every record version whose publication is consented, proved
// against the vault's latest checkpoint.
Result<ledger::Bundle> BuildPublicBundle(Vault& vault);

}  // namespace izde::vault
