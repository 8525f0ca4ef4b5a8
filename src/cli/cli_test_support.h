// What the end-to-end tests of the izde binary share: a fresh directory per
// test, running `izde` with its output captured, and small file helpers.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace izde::cli {

struct Ran {
  int code;
  std::string out, err;
};

class IzdeBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("IZDE_BIN_DIR");
    izde_ = std::string(bin ? bin : IZDE_BUILD_DIR) + "/izde";
    dir_ = std::filesystem::temp_directory_path() /
           ("izde-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `env izde args` with no input; stdout and stderr are captured.
  Ran RunIzde(const std::string& env, const std::string& args) {
    std::string cmd = env + " " + izde_ + " " + args + " >" + (dir_ / "stdout").string() + " 2>" +
                      (dir_ / "stderr").string() + " </dev/null";
    int rc = std::system(cmd.c_str());
    return {WEXITSTATUS(rc), Slurp(dir_ / "stdout"), Slurp(dir_ / "stderr")};
  }
  static std::string Slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::string izde_;
  std::filesystem::path dir_;
};

}  // namespace izde::cli
