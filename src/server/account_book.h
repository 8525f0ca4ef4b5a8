// The web application's accounts: who may sign in, with which role, whether
// they hold the witness grant, their language, an Argon2id password hash
// (libsodium crypto_pwhash_str), an optional TOTP secret (RFC 6238, liboath)
// and the hash of an API token. The book also holds which records are shared
// with which documenter. It lives in the vault as one sealed setting
// ("accounts", JSON), so it can be read only after the vault is unlocked:
// an admin unlocks with the vault passphrase first, then people sign in.
// Account ids ("acct-…") are what the audit trail and the records' author
// field hold; account names appear on the users page only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "server/roles.h"
#include "vault/key_slot.h"
#include "vault/vault.h"

namespace izde::server {

struct Account {
  std::string id;    // "acct-" + 10 base32 characters; never changes
  std::string name;  // what the person types to sign in
  Role role = Role::kViewer;
  bool witness = false;  // may read witness identities
  bool disabled = false;
  std::string lang;            // "" = the browser's choice
  std::string password_hash;   // crypto_pwhash_str; "" = cannot sign in with a password
  std::string totp_secret;     // hex of 20 random bytes; "" = no second factor
  std::string api_token_hash;  // hex SHA-256 (BLAKE2b-256) of the token; "" = none
  int64_t totp_last_step = 0;  // the last accepted TOTP step (no replay)
};

class AccountBook {
 public:
  static constexpr const char* kSetting = "accounts";

  // The book sealed in `v`, or an empty book.
  static Result<AccountBook> Load(vault::Vault& v);
  Status Save(vault::Vault& v) const;

  const Account* Find(const std::string& id) const;
  const Account* FindByName(std::string_view name) const;
  const Account* FindByApiToken(std::string_view token) const;
  const std::vector<Account>& accounts() const { return accounts_; }
  bool empty() const { return accounts_.empty(); }

  // Names: 1..32 of a-z 0-9 . _ - (they are typed on a login page and sit in no record).
  Result<Account> Add(const std::string& name, Role role, std::string_view password, bool witness,
                      vault::KdfCost cost);
  Status SetPassword(const std::string& id, std::string_view password, vault::KdfCost cost);
  Status SetRole(const std::string& id, Role role);
  Status SetWitness(const std::string& id, bool witness);
  Status SetDisabled(const std::string& id, bool disabled);
  Status SetLanguage(const std::string& id, const std::string& lang);
  // A new TOTP secret for the account, as base32 for an authenticator app.
  Result<std::string> EnableTotp(const std::string& id);
  Status DisableTotp(const std::string& id);
  // A new API token (shown once; only its hash is kept).
  Result<std::string> NewApiToken(const std::string& id);

  // Accepts a TOTP step once: false if this or a later step was used before.
  bool AcceptTotpStep(const std::string& id, int64_t step);

  void Share(const std::string& record_id, const std::string& account_id);
  bool SharedWith(const std::string& record_id, const std::string& account_id) const;
  std::set<std::string> RecordsSharedWith(const std::string& account_id) const;

  // Drops everything from memory (on lock).
  void Wipe();

 private:
  Account* Mutable(const std::string& id);
  std::vector<Account> accounts_;
  std::map<std::string, std::set<std::string>> shares_;  // record id -> account ids
};

std::string HashPassword(std::string_view password, vault::KdfCost cost);
bool PasswordMatches(const std::string& hash, std::string_view password);
// A hash of no one's password, to check against when a name is unknown, so
// that an unknown name costs the same Argon2id work as a known one.
const std::string& DummyPasswordHash();
// The 6-digit TOTP code of a hex secret at `now` (for tests and enrolment checks).
std::string TotpCode(const std::string& secret_hex, int64_t now);
// Checks `code` within one 30 s step either way; returns the matching step.
std::optional<int64_t> TotpStep(const std::string& secret_hex, std::string_view code, int64_t now);

}  // namespace izde::server
