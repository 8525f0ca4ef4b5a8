// `izde serve`: the web application (src/server) on this vault. It starts
// locked; a user unlocks it in the browser with their own passphrase.
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/guard.h"
#include "server/web_app.h"

namespace izde::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert, tls_key;
  bool insecure_i_know = false;
  int idle_lock_minutes = 30;
};

Status Serve(const Context& ctx, const ServeArgs& a) {
  server::ListenOptions listen;
  IZDE_RETURN_IF_ERROR(server::ParseListenAddress(a.listen, &listen));
  listen.tls_cert = a.tls_cert;
  listen.tls_key = a.tls_key;
  listen.insecure_i_know = a.insecure_i_know;
  if (a.idle_lock_minutes < 0) return Status::InvalidInput("--idle-lock must be 0 or more minutes");

  server::WebAppOptions options;
  options.vault_dir = ctx.vault_dir;
  options.vault_options = ctx.Options();
  options.idle_lock = std::chrono::minutes(a.idle_lock_minutes);
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
            << "/ (vault " << ctx.vault_dir << ", locked until a user unlocks it)" << std::endl;
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
  serve->callback(Guard(out, [&ctx, args] { return Serve(ctx, *args); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(90, AddServeCommands);

}  // namespace izde::cli
