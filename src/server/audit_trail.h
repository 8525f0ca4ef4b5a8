// The audit trail: who did what to which record, when, from where. It holds
// account ids, record ids and actions, never names or record content, and it
// lives in the vault as sealed settings "audit.<n>" (one per entry, n from 1,
// never rewritten), so a seized disk shows only how many entries there are.
// What is logged: unlock, lock, sign-in (also failed), sign-out, every read of
// a witness record, every record written, every export, every change to an
// account. Format of an entry: JSON {"t": unix seconds, "account": id,
// "action": name, "target": id, "from": client address}.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "vault/vault.h"

namespace izde::server {

struct AuditEntry {
  int64_t seq = 0;
  int64_t time = 0;
  std::string account;  // account id, "vault:<slot user>" for an unlock, "-" for nobody
  std::string action;   // "unlock", "read_witness", "export", ...
  std::string target;   // record or account id, or ""
  std::string from;     // client address
};

class AuditTrail {
 public:
  // Finds where the trail ends (a binary search over the entries' names).
  Status Open(vault::Vault& v);
  Status Append(vault::Vault& v, AuditEntry e);
  // The newest `n` entries, newest first.
  Result<std::vector<AuditEntry>> Recent(vault::Vault& v, size_t n);
  int64_t size() const { return next_ - 1; }
  void Reset() { next_ = 1; }

 private:
  int64_t next_ = 1;
};

}  // namespace izde::server
