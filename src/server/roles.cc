#include "server/roles.h"

namespace izde::server {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kReviewer:
      return "reviewer";
    case Role::kDocumenter:
      return "documenter";
    case Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : AllRoles())
    if (RoleName(r) == name) return r;
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> all = {Role::kAdmin, Role::kCoordinator, Role::kReviewer,
                                        Role::kDocumenter, Role::kViewer};
  return all;
}

bool Allows(Role r, Permission p) {
  switch (p) {
    case Permission::kSignedIn:
    case Permission::kRead:
      return true;
    case Permission::kReadAll:
      return r != Role::kDocumenter;
    case Permission::kRecord:
      return r == Role::kAdmin || r == Role::kCoordinator || r == Role::kDocumenter;
    case Permission::kReview:
      return r == Role::kAdmin || r == Role::kCoordinator || r == Role::kReviewer;
    case Permission::kInquiries:
      return r != Role::kViewer;
    case Permission::kAudit:
    case Permission::kExport:
      return r == Role::kAdmin || r == Role::kCoordinator;
    case Permission::kUsers:
      return r == Role::kAdmin;
  }
  return false;
}

}  // namespace izde::server
