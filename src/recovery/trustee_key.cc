#include "recovery/trustee_key.h"

#include <sodium.h>

#include <sstream>
#include <vector>

#include "ledger/base64.h"
#include "model/record.h"
#include "vault/field_cipher.h"

namespace izde::recovery {
namespace {

constexpr std::string_view kPublicHeader = "izde-trustee-public 1";
constexpr std::string_view kSecretHeader = "izde-trustee-secret 1";

std::string B64(const uint8_t* p, size_t n) {
  return ledger::Base64Encode(std::span<const uint8_t>(p, n));
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

// The value of "<field> <value>" at `line`, or nullopt.
std::optional<std::string> Field(const std::vector<std::string>& lines, size_t i,
                                 std::string_view field) {
  if (i >= lines.size()) return std::nullopt;
  const auto& l = lines[i];
  if (l.size() <= field.size() + 1 || l.compare(0, field.size(), field) != 0 ||
      l[field.size()] != ' ')
    return std::nullopt;
  return l.substr(field.size() + 1);
}

std::string Binding(const std::string& name, const PublicKey& pk) {
  return std::string("izde/trustee/v1") + '\0' + name + '\0' +
         std::string(reinterpret_cast<const char*>(pk.data()), pk.size());
}

}  // namespace

Status CheckTrusteeName(const std::string& name) {
  return model::ValidateRecordId(name).Within("trustee name");
}

std::string TrusteePublic::Encode() const {
  return std::string(kPublicHeader) + "\nname " + name + "\nkey " + B64(key.data(), key.size()) +
         "\n";
}

Result<TrusteePublic> TrusteePublic::Parse(std::string_view text, const std::string& what) {
  auto lines = Lines(text);
  auto name = Field(lines, 1, "name");
  auto key = Field(lines, 2, "key");
  if (lines.empty() || lines[0] != kPublicHeader || !name || !key)
    return Status::InvalidInput(what +
                                " is not a trustee's public key file (izde keys "
                                "trustee-keygen makes them)");
  auto bytes = ledger::Base64Decode(*key);
  if (!bytes || bytes->size() != crypto_box_PUBLICKEYBYTES)
    return Status::Corrupt(what + ": the key line is damaged");
  TrusteePublic p;
  p.name = *name;
  IZDE_RETURN_IF_ERROR(CheckTrusteeName(p.name).Within(what));
  std::copy(bytes->begin(), bytes->end(), p.key.begin());
  return p;
}

Result<TrusteeFiles> GenerateTrustee(const std::string& name, std::string_view passphrase,
                                     vault::KdfCost cost) {
  IZDE_RETURN_IF_ERROR(CheckTrusteeName(name));
  if (passphrase.size() < 8)
    return Status::InvalidInput("the trustee passphrase is too short: use at least 8 characters");
  TrusteePublic pub;
  pub.name = name;
  vault::SecretKey secret;
  crypto_box_keypair(pub.key.data(), secret.data());
  // MakeKeySlot does the Argon2id part: the trustee's secret key is wrapped like a master
  // key, with the trustee's name and public key as the binding.
  vault::UnlockedKeys wrap;
  wrap.master = secret;
  store::KeySlot slot = vault::MakeKeySlot(Binding(name, pub.key), passphrase, wrap, cost, 0);
  TrusteeFiles f;
  f.public_text = pub.Encode();
  f.secret_text = std::string(kSecretHeader) + "\nname " + name + "\nkey " +
                  B64(pub.key.data(), pub.key.size()) + "\nkdf " + std::to_string(slot.opslimit) +
                  " " + std::to_string(slot.memlimit) + " " +
                  B64(slot.salt.data(), slot.salt.size()) + "\nsealed " +
                  B64(slot.wrapped_master.data(), slot.wrapped_master.size()) + "\n";
  return f;
}

Result<TrusteeSecret> OpenTrusteeSecret(std::string_view text, std::string_view passphrase,
                                        const std::string& what) {
  auto lines = Lines(text);
  auto name = Field(lines, 1, "name");
  auto key = Field(lines, 2, "key");
  auto kdf = Field(lines, 3, "kdf");
  auto sealed = Field(lines, 4, "sealed");
  if (lines.empty() || lines[0] != kSecretHeader || !name || !key || !kdf || !sealed)
    return Status::InvalidInput(what + " is not a trustee's secret key file");
  std::istringstream k(*kdf);
  store::KeySlot slot;
  std::string salt;
  if (!(k >> slot.opslimit >> slot.memlimit >> salt))
    return Status::Corrupt(what + ": the kdf line is damaged");
  auto salt_bytes = ledger::Base64Decode(salt);
  auto pk = ledger::Base64Decode(*key);
  auto box = ledger::Base64Decode(*sealed);
  if (!salt_bytes || !pk || pk->size() != crypto_box_PUBLICKEYBYTES || !box)
    return Status::Corrupt(what + " is damaged");
  TrusteeSecret s;
  s.pub.name = *name;
  std::copy(pk->begin(), pk->end(), s.pub.key.begin());
  slot.user = Binding(s.pub.name, s.pub.key);
  slot.salt.assign(salt_bytes->begin(), salt_bytes->end());
  slot.wrapped_master.assign(box->begin(), box->end());
  auto keys = vault::OpenKeySlot(slot, passphrase);
  if (!keys.ok()) {
    if (keys.status().code() == Status::Code::kPermissionDenied)
      return Status::PermissionDenied("wrong passphrase for the trustee key '" + s.pub.name +
                                      "' (" + what + ")");
    return Status::Corrupt(what + " is damaged");
  }
  s.secret = keys->master;
  // The secret key must belong to the public key the file names.
  PublicKey derived{};
  crypto_scalarmult_base(derived.data(), s.secret.data());
  if (sodium_memcmp(derived.data(), s.pub.key.data(), derived.size()) != 0)
    return Status::Corrupt(what + ": its secret and public keys do not match");
  return s;
}

}  // namespace izde::recovery
