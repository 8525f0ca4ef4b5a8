#include "server/audit_trail.h"

#include <nlohmann/json.hpp>

namespace izde::server {
namespace {

std::string Name(int64_t seq) { return "audit." + std::to_string(seq); }

Result<bool> Exists(vault::Vault& v, int64_t seq) {
  IZDE_ASSIGN_OR_RETURN(auto got, v.GetSealedSetting(Name(seq)));
  return got.has_value();
}

}  // namespace

Status AuditTrail::Open(vault::Vault& v) {
  // Entries are written in order without gaps: find the first missing one.
  int64_t lo = 0, hi = 1;  // entry lo exists (0 stands for "before the first")
  for (;;) {
    IZDE_ASSIGN_OR_RETURN(bool there, Exists(v, hi));
    if (!there) break;
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    IZDE_ASSIGN_OR_RETURN(bool there, Exists(v, mid));
    (there ? lo : hi) = mid;
  }
  next_ = lo + 1;
  return Status::Ok();
}

Status AuditTrail::Append(vault::Vault& v, AuditEntry e) {
  nlohmann::json j{{"t", e.time},
                   {"account", e.account},
                   {"action", e.action},
                   {"target", e.target},
                   {"from", e.from}};
  IZDE_RETURN_IF_ERROR(v.PutSealedSetting(Name(next_), j.dump()));
  ++next_;
  return Status::Ok();
}

Result<std::vector<AuditEntry>> AuditTrail::Recent(vault::Vault& v, size_t n) {
  std::vector<AuditEntry> out;
  for (int64_t seq = next_ - 1; seq >= 1 && out.size() < n; --seq) {
    IZDE_ASSIGN_OR_RETURN(auto text, v.GetSealedSetting(Name(seq)));
    if (!text) return Status::Corrupt("audit entry " + std::to_string(seq) + " is missing");
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded()) return Status::Corrupt("audit entry " + std::to_string(seq));
    out.push_back({seq, j.value("t", int64_t{0}), j.value("account", ""), j.value("action", ""),
                   j.value("target", ""), j.value("from", "")});
  }
  return out;
}

}  // namespace izde::server
