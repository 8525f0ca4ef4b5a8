// `izde serve`: the web application (src/server) on this vault. It starts
// locked; an admin unlocks it in the browser with a vault passphrase, then
// people sign in with their accounts. `izde accounts` manages those accounts
// (sealed in the vault) from the command line.
#include <sodium.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"
#include "server/account_book.h"
#include "server/onion_service.h"
#include "server/web_app.h"

namespace izde::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert, tls_key;
  bool insecure_i_know = false;
  int idle_lock_minutes = 30;
  bool print_torrc = false;
  std::string onion_dir = server::kDefaultOnionDir;
};

Status Serve(const Context& ctx, const ServeArgs& a) {
  server::ListenOptions listen;
  IZDE_RETURN_IF_ERROR(server::ParseListenAddress(a.listen, &listen));
  listen.tls_cert = a.tls_cert;
  listen.tls_key = a.tls_key;
  listen.insecure_i_know = a.insecure_i_know;
  if (a.print_torrc) {
    IZDE_ASSIGN_OR_RETURN(std::string lines, server::TorrcLines(listen, a.onion_dir));
    std::cout << lines;
    return Status::Ok();
  }
  if (a.idle_lock_minutes < 0) return Status::InvalidInput("--idle-lock must be 0 or more minutes");

  server::WebAppOptions options;
  options.vault_dir = ctx.vault_dir;
  options.vault_options = ctx.Options();
  options.idle_lock = std::chrono::minutes(a.idle_lock_minutes);
  if (ctx.Options().kdf == vault::KdfCost::kTestOnlyMinimum)
    options.password_cost = vault::KdfCost::kTestOnlyMinimum;
  server::WebApp app(std::move(options));
  IZDE_ASSIGN_OR_RETURN(int port, app.Bind(listen));

  // SIGINT/SIGTERM stop the server (which locks the vault) from a thread of
  // our own: httplib's stop() is not async-signal-safe.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig != 0) app.Stop();
  });

  std::string host =
      listen.host.find(':') != std::string::npos ? "[" + listen.host + "]" : listen.host;
  std::cout << "izde serve: " << (listen.tls() ? "https://" : "http://") << host << ":" << port
            << "/ (vault " << ctx.vault_dir << ", locked until an admin unlocks it)" << std::endl;
  Status s = app.Run();
  // Wake the waiter if Run ended by itself.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return s;
}

void AddServeCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto args = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand(
      "serve", "Serve the web application (starts locked; unlock in the browser)");
  serve->add_option("--listen", args->listen, "ADDRESS:PORT (loopback by default; port 0: any)");
  serve->add_option("--tls-cert", args->tls_cert, "TLS certificate chain (PEM)");
  serve->add_option("--tls-key", args->tls_key, "TLS private key (PEM)");
  serve->add_flag("--insecure-i-know", args->insecure_i_know,
                  "Allow a non-loopback address without TLS (behind a TLS proxy only)");
  serve->add_option("--idle-lock", args->idle_lock_minutes,
                    "Lock after this many minutes without use (0: never)");
  serve->add_flag("--print-torrc", args->print_torrc,
                  "Print the torrc lines of an onion service in front of this server, and exit");
  serve->add_option("--onion-dir", args->onion_dir, "HiddenServiceDir for --print-torrc");
  serve->callback(Guard(out, [&ctx, args] { return Serve(ctx, *args); }));
}

struct AccountArgs {
  std::string name, role = "documenter", password_file;
  bool witness = false;
};

Status AddAccount(const Context& ctx, const AccountArgs& a) {
  auto role = server::ParseRole(a.role);
  if (!role)
    return Status::InvalidInput(
        "--role must be admin, coordinator, reviewer, documenter or viewer");
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto book, server::AccountBook::Load(*v));
  IZDE_ASSIGN_OR_RETURN(std::string pass,
                        ReadPassphrase(a.password_file, "Password for " + a.name, true));
  auto cost = ctx.Options().kdf == vault::KdfCost::kTestOnlyMinimum
                  ? vault::KdfCost::kTestOnlyMinimum
                  : vault::KdfCost::kInteractive;
  auto added = book.Add(a.name, *role, pass, a.witness, cost);
  sodium_memzero(pass.data(), pass.size());
  IZDE_RETURN_IF_ERROR(added.status());
  IZDE_RETURN_IF_ERROR(book.Save(*v));
  if (!ctx.quiet)
    std::cout << "Added account " << a.name << " (" << added->id << "), role " << a.role
              << (a.witness ? ", may read witness identities" : "") << ".\n";
  return Status::Ok();
}

Status ListAccounts(const Context& ctx) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto book, server::AccountBook::Load(*v));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& acc : book.accounts()) {
    out.push_back({{"id", acc.id},
                   {"name", acc.name},
                   {"role", std::string(server::RoleName(acc.role))},
                   {"witness", acc.witness},
                   {"disabled", acc.disabled},
                   {"totp", !acc.totp_secret.empty()}});
    if (!ctx.json)
      std::cout << acc.id << "  " << acc.name << "  " << server::RoleName(acc.role)
                << (acc.witness ? "  witness" : "") << (acc.disabled ? "  disabled" : "")
                << (acc.totp_secret.empty() ? "" : "  totp") << "\n";
  }
  if (ctx.json) std::cout << out.dump(1) << "\n";
  return Status::Ok();
}

void AddAccountCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto* accounts = app.add_subcommand("accounts", "Web accounts (sealed in the vault): add, list");
  accounts->require_subcommand(1);
  auto args = std::make_shared<AccountArgs>();
  auto* add = accounts->add_subcommand("add", "Add an account for the web application");
  add->add_option("name", args->name, "Account name (a-z, 0-9, . _ -)")->required();
  add->add_option("--role", args->role,
                  "admin, coordinator, reviewer, documenter (default), viewer");
  add->add_flag("--witness", args->witness, "May read witness identities");
  add->add_option("--password-file", args->password_file, "Read the password from a file");
  add->callback(Guard(out, [&ctx, args] { return AddAccount(ctx, *args); }));
  auto* list = accounts->add_subcommand("list", "List the accounts (ids, names, roles)");
  list->callback(Guard(out, [&ctx] { return ListAccounts(ctx); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(90, AddServeCommands);
IZDE_REGISTER_COMMANDS(91, AddAccountCommands);

}  // namespace izde::cli
