// The izde subcommands. Each *_commands.cc file registers its subcommands
// with IZDE_REGISTER_COMMANDS; main() adds every registered group to the app.
// A command's callback stores its outcome in `out`.
#pragma once

#include <CLI/CLI.hpp>
#include <vector>

#include "cli/context.h"

namespace izde::cli {

struct Outcome {
  Status status;
};

using AddCommands = void (*)(CLI::App& app, Context& ctx, Outcome& out);

// Registered command groups, in registration order (the help lists them so).
std::vector<std::pair<int, AddCommands>>& CommandGroups();

struct CommandGroup {
  // `order` sorts the groups in --help.
  CommandGroup(int order, AddCommands add) { CommandGroups().emplace_back(order, add); }
};

#define IZDE_REGISTER_COMMANDS(order, function) \
  static const ::izde::cli::CommandGroup izde_command_group_##function(order, function)

}  // namespace izde::cli
