#include "server/account_book.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "server/catalog.h"

namespace izde::server {
namespace {

using json = nlohmann::json;

constexpr size_t kTotpSecretBytes = 20;  // RFC 4226 recommends 160 bits
constexpr unsigned kTotpStepSeconds = 30;
constexpr size_t kMinPassword = 10;

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string Unhex(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0)
    return "";
  out.resize(len);
  return out;
}

std::string TokenHash(std::string_view token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(h, sizeof h);
}

std::string NewAccountId() {
  static const char* kAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789";
  std::string id = "acct-";
  for (int i = 0; i < 10; ++i) id += kAlphabet[randombytes_uniform(32)];
  return id;
}

Status CheckName(const std::string& name) {
  if (name.empty() || name.size() > 32)
    return Status::InvalidInput("an account name has 1 to 32 characters");
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return Status::InvalidInput("an account name uses only a-z, 0-9, '.', '_' and '-'");
  return Status::Ok();
}

Status CheckPassword(std::string_view password) {
  if (password.size() < kMinPassword)
    return Status::InvalidInput("a password has at least " + std::to_string(kMinPassword) +
                                " characters");
  if (password.size() > 1024) return Status::InvalidInput("a password has at most 1024 bytes");
  return Status::Ok();
}

void Limits(vault::KdfCost cost, unsigned long long& ops, size_t& mem) {
  switch (cost) {
    case vault::KdfCost::kTestOnlyMinimum:
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
      return;
    case vault::KdfCost::kSensitive:
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
      return;
    default:
      // A sign-in costs 64 MiB for a third of a second: several volunteers can
      // sign in at once on a small server.
      ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  }
}

void Once() {
  static const bool ok = [] {
    oath_init();
    return true;
  }();
  (void)ok;
}

}  // namespace

std::string HashPassword(std::string_view password, vault::KdfCost cost) {
  unsigned long long ops = 0;
  size_t mem = 0;
  Limits(cost, ops, mem);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), ops, mem) != 0) return "";
  return out;
}

const std::string& DummyPasswordHash() {
  static const std::string hash =
      HashPassword("not the password of anyone", vault::KdfCost::kInteractive);
  return hash;
}

bool PasswordMatches(const std::string& hash, std::string_view password) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string TotpCode(const std::string& secret_hex, int64_t now) {
  Once();
  std::string secret = Unhex(secret_hex);
  char otp[16] = {0};
  if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(now), kTotpStepSeconds,
                         0, 6, otp) != OATH_OK)
    return "";
  return otp;
}

std::optional<int64_t> TotpStep(const std::string& secret_hex, std::string_view code, int64_t now) {
  Once();
  if (code.size() != 6 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::string secret = Unhex(secret_hex);
  std::string otp(code);
  int pos = 0;
  int r = oath_totp_validate2(secret.data(), secret.size(), static_cast<time_t>(now),
                              kTotpStepSeconds, 0, 1, &pos, otp.c_str());
  sodium_memzero(secret.data(), secret.size());
  if (r < 0) return std::nullopt;
  return now / kTotpStepSeconds + pos;
}

Result<AccountBook> AccountBook::Load(vault::Vault& v) {
  AccountBook book;
  IZDE_ASSIGN_OR_RETURN(auto text, v.GetSealedSetting(kSetting));
  if (!text) return book;
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corrupt("the account book is not JSON");
  for (const auto& a : j.value("accounts", json::array())) {
    Account acc;
    acc.id = a.value("id", "");
    acc.name = a.value("name", "");
    auto role = ParseRole(a.value("role", ""));
    if (acc.id.empty() || acc.name.empty() || !role)
      return Status::Corrupt("the account book has an account without id, name or role");
    acc.role = *role;
    acc.witness = a.value("witness", false);
    acc.disabled = a.value("disabled", false);
    acc.lang = a.value("lang", "");
    acc.password_hash = a.value("password_hash", "");
    acc.totp_secret = a.value("totp_secret", "");
    acc.api_token_hash = a.value("api_token_hash", "");
    book.accounts_.push_back(std::move(acc));
  }
  const json shares = j.value("shares", json::object());
  for (const auto& [record, ids] : shares.items())
    for (const auto& id : ids) book.shares_[record].insert(id.get<std::string>());
  return book;
}

Status AccountBook::Save(vault::Vault& v) const {
  json accounts = json::array();
  for (const auto& a : accounts_)
    accounts.push_back({{"id", a.id},
                        {"name", a.name},
                        {"role", std::string(RoleName(a.role))},
                        {"witness", a.witness},
                        {"disabled", a.disabled},
                        {"lang", a.lang},
                        {"password_hash", a.password_hash},
                        {"totp_secret", a.totp_secret},
                        {"api_token_hash", a.api_token_hash}});
  json shares = json::object();
  for (const auto& [record, ids] : shares_) shares[record] = ids;
  std::string text = json{{"accounts", accounts}, {"shares", shares}}.dump();
  Status s = v.PutSealedSetting(kSetting, text);
  sodium_memzero(text.data(), text.size());
  return s;
}

const Account* AccountBook::Find(const std::string& id) const {
  for (const auto& a : accounts_)
    if (a.id == id) return &a;
  return nullptr;
}

Account* AccountBook::Mutable(const std::string& id) {
  for (auto& a : accounts_)
    if (a.id == id) return &a;
  return nullptr;
}

const Account* AccountBook::FindByName(std::string_view name) const {
  for (const auto& a : accounts_)
    if (a.name == name) return &a;
  return nullptr;
}

const Account* AccountBook::FindByApiToken(std::string_view token) const {
  if (token.size() < 32) return nullptr;
  std::string h = TokenHash(token);
  const Account* found = nullptr;
  for (const auto& a : accounts_)
    if (!a.api_token_hash.empty() && a.api_token_hash.size() == h.size() &&
        sodium_memcmp(a.api_token_hash.data(), h.data(), h.size()) == 0)
      found = &a;
  return found && !found->disabled ? found : nullptr;
}

Result<Account> AccountBook::Add(const std::string& name, Role role, std::string_view password,
                                 bool witness, vault::KdfCost cost) {
  IZDE_RETURN_IF_ERROR(CheckName(name));
  if (FindByName(name)) return Status::AlreadyExists("there is already an account '" + name + "'");
  Account a;
  a.id = NewAccountId();
  a.name = name;
  a.role = role;
  a.witness = witness;
  if (!password.empty()) {
    IZDE_RETURN_IF_ERROR(CheckPassword(password));
    a.password_hash = HashPassword(password, cost);
    if (a.password_hash.empty()) return Status::Io("out of memory hashing the password");
  }
  accounts_.push_back(a);
  return a;
}

Status AccountBook::SetPassword(const std::string& id, std::string_view password,
                                vault::KdfCost cost) {
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  IZDE_RETURN_IF_ERROR(CheckPassword(password));
  std::string h = HashPassword(password, cost);
  if (h.empty()) return Status::Io("out of memory hashing the password");
  a->password_hash = h;
  return Status::Ok();
}

Status AccountBook::SetRole(const std::string& id, Role role) {
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  a->role = role;
  return Status::Ok();
}

Status AccountBook::SetWitness(const std::string& id, bool witness) {
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  a->witness = witness;
  return Status::Ok();
}

Status AccountBook::SetDisabled(const std::string& id, bool disabled) {
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  a->disabled = disabled;
  return Status::Ok();
}

Status AccountBook::SetLanguage(const std::string& id, const std::string& lang) {
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  if (!lang.empty() && !IsLanguage(lang)) return Status::InvalidInput("unknown language");
  a->lang = lang;
  return Status::Ok();
}

Result<std::string> AccountBook::EnableTotp(const std::string& id) {
  Once();
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  unsigned char secret[kTotpSecretBytes];
  randombytes_buf(secret, sizeof secret);
  a->totp_secret = Hex(secret, sizeof secret);
  a->totp_last_step = 0;
  char* b32 = nullptr;
  size_t len = 0;
  int r = oath_base32_encode(reinterpret_cast<const char*>(secret), sizeof secret, &b32, &len);
  sodium_memzero(secret, sizeof secret);
  if (r != OATH_OK || !b32) return Status::Io("cannot encode the TOTP secret");
  std::string out(b32, len);
  sodium_memzero(b32, len);
  std::free(b32);
  return out;
}

Status AccountBook::DisableTotp(const std::string& id) {
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  a->totp_secret.clear();
  return Status::Ok();
}

Result<std::string> AccountBook::NewApiToken(const std::string& id) {
  Account* a = Mutable(id);
  if (!a) return Status::NotFound("no account " + id);
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  std::string token = "izde_" + Hex(raw, sizeof raw);
  a->api_token_hash = TokenHash(token);
  return token;
}

bool AccountBook::AcceptTotpStep(const std::string& id, int64_t step) {
  Account* a = Mutable(id);
  if (!a || step <= a->totp_last_step) return false;
  a->totp_last_step = step;
  return true;
}

void AccountBook::Share(const std::string& record_id, const std::string& account_id) {
  shares_[record_id].insert(account_id);
}

bool AccountBook::SharedWith(const std::string& record_id, const std::string& account_id) const {
  auto it = shares_.find(record_id);
  return it != shares_.end() && it->second.count(account_id) > 0;
}

std::set<std::string> AccountBook::RecordsSharedWith(const std::string& account_id) const {
  std::set<std::string> out;
  for (const auto& [record, ids] : shares_)
    if (ids.count(account_id)) out.insert(record);
  return out;
}

void AccountBook::Wipe() {
  for (auto& a : accounts_) {
    sodium_memzero(a.name.data(), a.name.size());
    sodium_memzero(a.totp_secret.data(), a.totp_secret.size());
  }
  accounts_.clear();
  shares_.clear();
}

}  // namespace izde::server
