// The public bundle command shared by `izde export --public --bundle OUT` (the issue's
// form, in exchange_commands.cc) and `izde publish-bundle --out OUT` (verify_commands.cc).
// Format: docs/formats/bundle.md.
#pragma once

#include <string>

#include "base/status.h"
#include "cli/context.h"

namespace izde::cli {

Status WritePublicBundleCommand(const Context& ctx, const std::string& out, bool with_files);

}  // namespace izde::cli
