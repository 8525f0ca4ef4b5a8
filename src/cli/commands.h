// The izde subcommands. Each Add*Command registers one or more subcommands
// on the app; their callbacks store the outcome in `result`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace izde::cli {

struct Outcome {
  Status status;
};

void AddVaultCommands(CLI::App& app, Context& ctx, Outcome& out);     // init, keys, status
void AddRecordCommands(CLI::App& app, Context& ctx, Outcome& out);    // add, show, history, search
void AddExchangeCommands(CLI::App& app, Context& ctx, Outcome& out);  // import, export, evidence
void AddDemoCommand(CLI::App& app, Context& ctx, Outcome& out);       // demo
void AddAnalysisCommands(CLI::App& app, Context& ctx, Outcome& out);  // names, ids, estimate

}  // namespace izde::cli
