// Passphrase key slots. Each user's passphrase, stretched with Argon2id,
// unwraps the vault's master key and, when granted, the witness key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"
#include "vault/secret_key.h"

namespace izde::vault {

// Argon2id cost. Moderate (0.9 s, 256 MiB on a 2-core laptop) is what
// `izde init` uses; kTestOnlyMinimum exists so that test suites that create
// hundreds of vaults stay fast, and is refused unless explicitly asked for.
enum class KdfCost { kInteractive, kModerate, kSensitive, kTestOnlyMinimum };

std::optional<KdfCost> ParseKdfCost(std::string_view name);

struct UnlockedKeys {
  SecretKey master;
  std::optional<SecretKey> witness;
};

store::KeySlot MakeKeySlot(const std::string& user, std::string_view passphrase,
                           const UnlockedKeys& keys, KdfCost cost, int64_t now);

// kPermissionDenied "wrong passphrase for user 'x'" when the passphrase does
// not open the slot.
Result<UnlockedKeys> OpenKeySlot(const store::KeySlot& slot, std::string_view passphrase);

}  // namespace izde::vault
