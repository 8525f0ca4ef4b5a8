// izde: the command line. Global flags, then one subcommand.
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

namespace {

// Plaintext names live in this process's memory while the vault is unlocked:
// no core dump may carry them to disk, and no other process may ptrace us.
void HardenProcess() {
  rlimit none{0, 0};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  HardenProcess();
  if (sodium_init() < 0) {
    std::cerr << "izde: error: libsodium could not start\n";
    return 1;
  }
  izde::cli::Context ctx;
  ctx.vault_dir = EnvOr("IZDE_VAULT", "./vault");
  ctx.user = EnvOr("IZDE_USER", "admin");
  ctx.store = EnvOr("IZDE_STORE", "");
  CLI::App app{"izde — document, protect, find and trace people who are detained or missing"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--vault", ctx.vault_dir, "Vault directory (or $IZDE_VAULT)");
  app.add_option("--store", ctx.store,
                 "Keep the records in this PostgreSQL database (postgresql://USER@HOST/DB; or "
                 "$IZDE_STORE) instead of the vault's own file; `init` records it in the vault");
  app.add_option("--user", ctx.user, "Whose passphrase unlocks the vault (or $IZDE_USER)");
  app.add_option("--passphrase-file", ctx.passphrase_file,
                 "Read the passphrase from this file (or $IZDE_PASSPHRASE_FILE); never give it "
                 "on the command line");
  app.add_flag("--json", ctx.json, "Machine-readable output");
  app.add_flag("-q,--quiet", ctx.quiet, "Only errors");
  izde::cli::Outcome out;
  auto groups = izde::cli::CommandGroups();
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, add] : groups) add(app, ctx, out);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!out.status.ok()) {
    if (ctx.json) std::cout << nlohmann::json({{"error", out.status.message()}}).dump(2) << "\n";
    std::cerr << "izde: error: " << out.status.message() << "\n";
    return out.status.code() == izde::Status::Code::kInvalidInput ? 2 : 1;
  }
  return 0;
}
