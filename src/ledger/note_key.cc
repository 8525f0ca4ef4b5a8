#include "ledger/note_key.h"

#include <sodium.h>

#include <cstring>
#include <vector>

#include "ledger/base64.h"
#include "ledger/utf8.h"

namespace izde::ledger {
namespace {

constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";

std::string Hex8(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) s[i] = kDigits[v & 15];
  return s;
}

std::optional<std::uint32_t> ParseHex8(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    v = (v << 4) | static_cast<std::uint32_t>(d);
  }
  return v;
}

std::optional<KeyType> TypeFromByte(std::uint8_t b) {
  if (b == static_cast<std::uint8_t>(KeyType::kEd25519)) return KeyType::kEd25519;
  if (b == static_cast<std::uint8_t>(KeyType::kCosignatureV1)) return KeyType::kCosignatureV1;
  return std::nullopt;
}

// Splits "name+hash+key" (exactly three parts) into its pieces.
bool SplitKey(std::string_view s, std::string_view parts[3]) {
  for (int i = 0; i < 2; ++i) {
    std::size_t plus = s.find('+');
    if (plus == std::string_view::npos) return false;
    parts[i] = s.substr(0, plus);
    s.remove_prefix(plus + 1);
  }
  parts[2] = s;  // base64 may itself contain '+': the key is all after the second '+'
  return true;
}

}  // namespace

Status CheckKeyName(std::string_view name) {
  if (name.empty()) return Status::InvalidInput("a key name must not be empty");
  if (name.size() > 256) return Status::InvalidInput("a key name must be at most 256 bytes");
  if (!IsValidUtf8(name)) return Status::InvalidInput("a key name must be valid UTF-8");
  if (name.find('+') != std::string_view::npos) {
    return Status::InvalidInput("key name '" + std::string(name) + "' must not contain '+'");
  }
  if (ContainsSpaceOrControl(name)) {
    return Status::InvalidInput("key name '" + std::string(name) +
                                "' must not contain spaces or control characters");
  }
  return Status::Ok();
}

std::uint32_t KeyId(std::string_view name, KeyType type, const Ed25519PublicKey& key) {
  const std::uint8_t head[2] = {'\n', static_cast<std::uint8_t>(type)};
  Hash h = Sha256OfParts({AsBytes(name), Bytes(head, 2), Bytes(key)});
  return (std::uint32_t{h[0]} << 24) | (std::uint32_t{h[1]} << 16) | (std::uint32_t{h[2]} << 8) |
         std::uint32_t{h[3]};
}

Result<NoteVerifier> NoteVerifier::Parse(std::string_view encoded) {
  std::string_view parts[3];
  if (!SplitKey(encoded, parts)) {
    return Status::InvalidInput("a verifier key has the form name+keyid+base64key");
  }
  IZDE_RETURN_IF_ERROR(CheckKeyName(parts[0]).Within("verifier key"));
  auto id = ParseHex8(parts[1]);
  if (!id)
    return Status::InvalidInput("verifier key id '" + std::string(parts[1]) +
                                "' is not 8 lowercase hex digits");
  auto raw = Base64Decode(parts[2]);
  if (!raw || raw->size() != 1 + kEd25519PublicKeySize) {
    return Status::InvalidInput("verifier key for '" + std::string(parts[0]) +
                                "' does not hold a 1-byte type and a 32-byte Ed25519 key");
  }
  auto type = TypeFromByte((*raw)[0]);
  if (!type) {
    return Status::InvalidInput("verifier key for '" + std::string(parts[0]) +
                                "' has unsupported type " + std::to_string((*raw)[0]));
  }
  NoteVerifier v;
  v.name = std::string(parts[0]);
  v.type = *type;
  std::memcpy(v.public_key.data(), raw->data() + 1, kEd25519PublicKeySize);
  v.key_id = KeyId(v.name, v.type, v.public_key);
  if (v.key_id != *id) {
    return Status::InvalidInput("verifier key for '" + v.name + "' says key id " +
                                std::string(parts[1]) + " but the key's id is " + Hex8(v.key_id));
  }
  return v;
}

std::string NoteVerifier::Encode() const {
  std::uint8_t raw[1 + kEd25519PublicKeySize];
  raw[0] = static_cast<std::uint8_t>(type);
  std::memcpy(raw + 1, public_key.data(), kEd25519PublicKeySize);
  return name + "+" + Hex8(key_id) + "+" + Base64Encode(Bytes(raw, sizeof raw));
}

Result<NoteSigner> NoteSigner::FromSeed(std::string_view name, KeyType type,
                                        std::span<const std::uint8_t> seed) {
  IZDE_RETURN_IF_ERROR(CheckKeyName(name));
  if (seed.size() != kEd25519SeedSize) {
    return Status::InvalidInput("an Ed25519 seed is 32 bytes");
  }
  EnsureSodium();
  NoteSigner s;
  s.secret_ = SecretBytes(crypto_sign_SECRETKEYBYTES);
  s.verifier_.name = std::string(name);
  s.verifier_.type = type;
  crypto_sign_seed_keypair(s.verifier_.public_key.data(), s.secret_.data(), seed.data());
  s.verifier_.key_id = KeyId(name, type, s.verifier_.public_key);
  return s;
}

Result<NoteSigner> NoteSigner::Generate(std::string_view name, KeyType type) {
  SecretBytes seed(kEd25519SeedSize);
  randombytes_buf(seed.data(), seed.size());
  return FromSeed(name, type, seed.bytes());
}

Result<NoteSigner> NoteSigner::Parse(std::string_view encoded) {
  if (encoded.substr(0, kPrivatePrefix.size()) != kPrivatePrefix) {
    return Status::InvalidInput("a signer key starts with PRIVATE+KEY+");
  }
  std::string_view parts[3];
  if (!SplitKey(encoded.substr(kPrivatePrefix.size()), parts)) {
    return Status::InvalidInput("a signer key has the form PRIVATE+KEY+name+keyid+base64key");
  }
  IZDE_RETURN_IF_ERROR(CheckKeyName(parts[0]).Within("signer key"));
  auto id = ParseHex8(parts[1]);
  if (!id) return Status::InvalidInput("signer key id is not 8 lowercase hex digits");
  // Decode straight into locked memory: the seed never touches ordinary heap.
  EnsureSodium();
  SecretBytes raw(1 + kEd25519SeedSize + 1);
  std::size_t raw_len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(raw.data(), raw.size(), parts[2].data(), parts[2].size(), nullptr, &raw_len,
                        &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != parts[2].data() + parts[2].size() || raw_len != 1 + kEd25519SeedSize) {
    return Status::InvalidInput("signer key for '" + std::string(parts[0]) +
                                "' does not hold a 1-byte type and a 32-byte seed");
  }
  auto type = TypeFromByte(raw.data()[0]);
  if (!type) return Status::InvalidInput("signer key has an unsupported type");
  IZDE_ASSIGN_OR_RETURN(NoteSigner s,
                        FromSeed(parts[0], *type, {raw.data() + 1, kEd25519SeedSize}));
  if (s.key_id() != *id) {
    return Status::InvalidInput("signer key for '" + s.name() + "' says key id " +
                                std::string(parts[1]) + " but the key's id is " + Hex8(s.key_id()));
  }
  return s;
}

SecretBytes NoteSigner::EncodePrivate() const {
  SecretBytes raw(1 + kEd25519SeedSize);
  raw.data()[0] = static_cast<std::uint8_t>(verifier_.type);
  crypto_sign_ed25519_sk_to_seed(raw.data() + 1, secret_.data());
  const std::string head = std::string(kPrivatePrefix) + name() + "+" + Hex8(key_id()) + "+";
  const std::size_t b64_len =
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL);  // includes NUL
  SecretBytes out(head.size() + b64_len - 1);
  SecretBytes scratch(b64_len);
  sodium_bin2base64(reinterpret_cast<char*>(scratch.data()), b64_len, raw.data(), raw.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  std::memcpy(out.data(), head.data(), head.size());
  std::memcpy(out.data() + head.size(), scratch.data(), b64_len - 1);
  return out;
}

std::array<std::uint8_t, kEd25519SignatureSize> NoteSigner::Sign(Bytes message) const {
  std::array<std::uint8_t, kEd25519SignatureSize> sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

}  // namespace izde::ledger
