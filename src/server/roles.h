// Roles and what each may do. Every route names the permission it needs
// (web_app.cc); the role x route matrix test walks every route for every role.
//
//              read  read-all  record  review  inquiries  audit  export  users
// admin         x      x        x       x        x         x      x       x
// coordinator   x      x        x       x        x         x      x
// reviewer      x      x                x        x
// documenter    x               x                x
// viewer        x      x
//
// "read" without "read-all" (documenters) sees the records the account wrote
// and those shared with it. Witness records need the account's witness grant
// on top of any role. Every signed-in account may lock the vault and change
// its own password and language.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace izde::server {

enum class Role { kAdmin, kCoordinator, kReviewer, kDocumenter, kViewer };

enum class Permission {
  kSignedIn,  // any account: lock, own settings, sign out
  kRead,
  kReadAll,
  kRecord,
  kReview,
  kInquiries,
  kAudit,
  kExport,
  kUsers,
};

std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);
const std::vector<Role>& AllRoles();
bool Allows(Role r, Permission p);

}  // namespace izde::server
