// What the CLI needs from the terminal: passphrases without echo, and a
// progress bar on stderr that appears only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "base/status.h"

namespace izde::cli {

// Reads a passphrase: from `file` if given (first line, without the newline),
// else from $IZDE_PASSPHRASE_FILE, else from the terminal without echo. It is
// never taken from the command line, where other users could read it in ps.
// `confirm` asks twice on a terminal (for new passphrases).
Result<std::string> ReadPassphrase(const std::string& file, const std::string& prompt,
                                   bool confirm);

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void Update(size_t done, size_t total);
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace izde::cli
