#include "vault/key_slot.h"

#include "vault/field_cipher.h"

namespace izde::vault {
namespace {

std::string SlotBinding(const std::string& user, const char* what) {
  return std::string("izde/slot/v1") + '\0' + user + '\0' + what;
}

// Derives the user's key-encrypting key; false when libsodium cannot get the
// memory it needs.
bool DeriveUserKey(std::string_view passphrase, const store::Bytes& salt, uint64_t ops,
                   uint64_t mem, SecretKey& out) {
  return crypto_pwhash(out.data(), SecretKey::kSize, passphrase.data(), passphrase.size(),
                       salt.data(), ops, static_cast<size_t>(mem),
                       crypto_pwhash_ALG_ARGON2ID13) == 0;
}

}  // namespace

std::optional<KdfCost> ParseKdfCost(std::string_view name) {
  if (name == "interactive") return KdfCost::kInteractive;
  if (name == "moderate") return KdfCost::kModerate;
  if (name == "sensitive") return KdfCost::kSensitive;
  if (name == "test-only-minimum") return KdfCost::kTestOnlyMinimum;
  return std::nullopt;
}

store::KeySlot MakeKeySlot(const std::string& user, std::string_view passphrase,
                           const UnlockedKeys& keys, KdfCost cost, int64_t now) {
  store::KeySlot slot;
  slot.user = user;
  slot.created_at = now;
  slot.salt.resize(crypto_pwhash_SALTBYTES);
  randombytes_buf(slot.salt.data(), slot.salt.size());
  switch (cost) {
    case KdfCost::kInteractive:
      slot.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      slot.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    case KdfCost::kModerate:
      slot.opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
      slot.memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case KdfCost::kSensitive:
      slot.opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
      slot.memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
      break;
    case KdfCost::kTestOnlyMinimum:
      slot.opslimit = crypto_pwhash_OPSLIMIT_MIN;
      slot.memlimit = crypto_pwhash_MEMLIMIT_MIN;
      break;
  }
  SecretKey user_key;
  if (!DeriveUserKey(passphrase, slot.salt, slot.opslimit, slot.memlimit, user_key))
    throw std::bad_alloc();
  const auto& cipher = DefaultCipher();
  auto view = [](const SecretKey& k) {
    return std::string_view(reinterpret_cast<const char*>(k.data()), SecretKey::kSize);
  };
  cipher.Seal(user_key.data(), view(keys.master), SlotBinding(user, "master"), slot.wrapped_master);
  if (keys.witness)
    cipher.Seal(user_key.data(), view(*keys.witness), SlotBinding(user, "witness"),
                slot.wrapped_witness);
  return slot;
}

Result<UnlockedKeys> OpenKeySlot(const store::KeySlot& slot, std::string_view passphrase) {
  if (slot.salt.size() != crypto_pwhash_SALTBYTES || slot.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      slot.memlimit < crypto_pwhash_MEMLIMIT_MIN || slot.memlimit > (uint64_t{4} << 30))
    return Status::Corrupt("the key slot of user '" + slot.user + "' is damaged");
  SecretKey user_key;
  if (!DeriveUserKey(passphrase, slot.salt, slot.opslimit, slot.memlimit, user_key))
    return Status::Io("not enough memory to check the passphrase (Argon2id needs " +
                      std::to_string(slot.memlimit >> 20) + " MiB)");
  UnlockedKeys keys;
  const auto& cipher = DefaultCipher();
  if (!cipher
           .OpenKey(user_key.data(), slot.wrapped_master.data(), slot.wrapped_master.size(),
                    SlotBinding(slot.user, "master"), keys.master.data())
           .ok())
    return Status::PermissionDenied("wrong passphrase for user '" + slot.user + "'");
  if (!slot.wrapped_witness.empty()) {
    keys.witness.emplace();
    if (!cipher
             .OpenKey(user_key.data(), slot.wrapped_witness.data(), slot.wrapped_witness.size(),
                      SlotBinding(slot.user, "witness"), keys.witness->data())
             .ok())
      return Status::Corrupt("the witness key in the slot of user '" + slot.user + "' is damaged");
  }
  return keys;
}

}  // namespace izde::vault
