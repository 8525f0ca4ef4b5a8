#include "cli/commands.h"

namespace izde::cli {

std::vector<std::pair<int, AddCommands>>& CommandGroups() {
  static std::vector<std::pair<int, AddCommands>> groups;
  return groups;
}

}  // namespace izde::cli
