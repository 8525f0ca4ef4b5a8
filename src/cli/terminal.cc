#include "cli/terminal.h"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace izde::cli {
namespace {

Result<std::string> ReadFromFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Io("cannot read the passphrase file " + path);
  std::string line;
  std::getline(f, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Status::InvalidInput("the passphrase file " + path + " is empty");
  return line;
}

Result<std::string> Prompt(const std::string& prompt) {
  if (!::isatty(STDIN_FILENO))
    return Status::InvalidInput(
        "no passphrase: izde is not on a terminal, so give --passphrase-file FILE or set "
        "IZDE_PASSPHRASE_FILE");
  std::fprintf(stderr, "%s: ", prompt.c_str());
  std::fflush(stderr);
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::fprintf(stderr, "\n");
  return line;
}

}  // namespace

Result<std::string> ReadPassphrase(const std::string& file, const std::string& prompt,
                                   bool confirm) {
  if (!file.empty()) return ReadFromFile(file);
  if (const char* env = std::getenv("IZDE_PASSPHRASE_FILE"); env && *env) return ReadFromFile(env);
  IZDE_ASSIGN_OR_RETURN(std::string first, Prompt(prompt));
  if (confirm) {
    IZDE_ASSIGN_OR_RETURN(std::string second, Prompt("Repeat it"));
    bool same = first == second;
    sodium_memzero(second.data(), second.size());
    if (!same) return Status::InvalidInput("the two passphrases differ; nothing was changed");
  }
  return first;
}

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) != 0) {
  start_ = last_ = std::chrono::steady_clock::now();
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(size_t done, size_t total) {
  if (!enabled_ || finished_ || total == 0) return;
  auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(kWidth * done / total);
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r%s [%s] %zu/%zu  %.0f/s ", label_.c_str(), bar.c_str(), done, total,
               rate);
  if (done >= total) {
    std::fprintf(stderr, "\n");
    finished_ = true;
  }
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (enabled_ && !finished_ && last_ != start_) std::fprintf(stderr, "\n");
  finished_ = true;
}

}  // namespace izde::cli
