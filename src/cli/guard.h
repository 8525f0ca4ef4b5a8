// Runs a command body, turning an escaped exception into an error message
// instead of a crash (a bad input must never take the process down).
#pragma once

#include <exception>
#include <functional>

#include "cli/commands.h"

namespace izde::cli {

inline std::function<void()> Guard(Outcome& out, std::function<Status()> body) {
  return [&out, body = std::move(body)] {
    try {
      out.status = body();
    } catch (const std::exception& e) {
      out.status = Status::Io(std::string("internal error: ") + e.what());
    }
  };
}

}  // namespace izde::cli
