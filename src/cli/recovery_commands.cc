// Key recovery by trustees (src/recovery, docs/formats/key-shares.md):
//   izde keys trustee-keygen --name NAME --out PREFIX   (a trustee, once)
//   izde keys split --trustee a.pub ... --threshold K --to DIR   (the coordinator)
//   izde keys open-share FILE --trustee-key a.key --out FILE     (each trustee, at recovery)
//   izde keys recover --share f1 --share f2 ... --new-user NAME  (whoever gathers k shares)
#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"
#include "recovery/key_share.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Key material and shares: readable by the owner only, and never over an existing file.
Status WriteNew(const std::string& path, std::string_view text, mode_t mode) {
  std::error_code ec;
  if (fs::exists(path, ec))
    return Status::AlreadyExists(path + " already exists; izde will not overwrite it");
  std::ofstream out(path, std::ios::binary);
  if (!out) return Status::Io("cannot write " + path);
  ::chmod(path.c_str(), mode);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return Status::Io("cannot write " + path);
  return Status::Ok();
}

struct RecoveryArgs {
  std::string name, out, to, trustee_key, passphrase_file, new_user, share_file;
  std::vector<std::string> trustees, shares;
  unsigned threshold = 0;
  bool no_witness = false;
  std::string kdf = "moderate";
};

Status TrusteeKeygen(const Context& ctx, const RecoveryArgs& a) {
  auto cost = vault::ParseKdfCost(a.kdf);
  if (!cost) return Status::InvalidInput("--kdf-cost must be interactive, moderate or sensitive");
  std::string prefix = a.out.empty() ? a.name : a.out;
  IZDE_ASSIGN_OR_RETURN(
      std::string pass,
      ReadPassphrase(a.passphrase_file, "New passphrase for the trustee key of " + a.name, true));
  auto files = recovery::GenerateTrustee(a.name, pass, *cost);
  sodium_memzero(pass.data(), pass.size());
  IZDE_RETURN_IF_ERROR(files.status());
  IZDE_RETURN_IF_ERROR(WriteNew(prefix + ".key", files->secret_text, 0600));
  IZDE_RETURN_IF_ERROR(WriteNew(prefix + ".pub", files->public_text, 0644));
  if (!ctx.quiet)
    std::cout << "Wrote the trustee key " << prefix << ".key (keep it, and its passphrase, "
              << "yourself) and " << prefix << ".pub (send this one to the coordinator).\n";
  return Status::Ok();
}

Status SplitKeys(const Context& ctx, const RecoveryArgs& a) {
  if (a.to.empty()) return Status::InvalidInput("say where the sealed shares go: --to DIRECTORY");
  recovery::SplitRequest req;
  for (const auto& path : a.trustees) {
    IZDE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    IZDE_ASSIGN_OR_RETURN(auto pub, recovery::TrusteePublic::Parse(text, path));
    req.trustees.push_back(pub);
  }
  req.threshold = a.threshold;
  req.include_witness = !a.no_witness;
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  req.origin = v->log()->origin();
  IZDE_ASSIGN_OR_RETURN(auto shares, recovery::Split(*v->KeysForRecovery(), req));
  std::error_code ec;
  fs::create_directories(a.to, ec);
  if (ec) return Status::Io("cannot create " + a.to + ": " + ec.message());
  std::vector<std::string> written;
  for (const auto& s : shares) {
    std::string path =
        (fs::path(a.to) / ("share-" + std::to_string(s.x) + "-" + s.trustee + ".izshare")).string();
    IZDE_RETURN_IF_ERROR(WriteNew(path, s.text, 0600));
    written.push_back(path);
  }
  if (ctx.json) {
    PrintJson({{"shares", written}, {"threshold", a.threshold}, {"witness", !a.no_witness}});
    return Status::Ok();
  }
  if (!ctx.quiet) {
    std::cout << "Split the " << (a.no_witness ? "master key" : "master and witness keys") << " of "
              << req.origin << " into " << shares.size() << " shares; any " << a.threshold
              << " of them recover it:\n";
    for (const auto& p : written) std::cout << "  " << p << "\n";
    std::cout << "Each is sealed to its trustee's key: send each file to its trustee only, and "
                 "delete them here once they have arrived.\n";
  }
  return Status::Ok();
}

Status OpenShareFile(const Context& ctx, const RecoveryArgs& a) {
  if (a.trustee_key.empty()) return Status::InvalidInput("give your key: --trustee-key NAME.key");
  if (a.out.empty()) return Status::InvalidInput("say where the opened share goes: --out FILE");
  IZDE_ASSIGN_OR_RETURN(std::string key_text, ReadFile(a.trustee_key));
  IZDE_ASSIGN_OR_RETURN(std::string sealed, ReadFile(a.share_file));
  IZDE_ASSIGN_OR_RETURN(
      std::string pass,
      ReadPassphrase(a.passphrase_file, "Passphrase of the trustee key " + a.trustee_key, false));
  auto secret = recovery::OpenTrusteeSecret(key_text, pass, a.trustee_key);
  sodium_memzero(pass.data(), pass.size());
  IZDE_RETURN_IF_ERROR(secret.status());
  IZDE_ASSIGN_OR_RETURN(auto opened, recovery::OpenShare(sealed, *secret, a.share_file));
  IZDE_RETURN_IF_ERROR(WriteNew(
      a.out, std::string_view(reinterpret_cast<const char*>(opened.data()), opened.size()), 0600));
  if (!ctx.quiet)
    std::cout << "Opened the share into " << a.out << ". Send it to whoever gathers the shares "
              << "over a secure channel only (end-to-end encrypted), then delete it.\n";
  return Status::Ok();
}

Status Recover(const Context& ctx, const RecoveryArgs& a) {
  if (a.new_user.empty())
    return Status::InvalidInput("name the user the recovered access is for: --new-user NAME");
  std::vector<std::string> texts;
  for (const auto& path : a.shares) {
    IZDE_ASSIGN_OR_RETURN(std::string t, ReadFile(path));
    texts.push_back(std::move(t));
  }
  std::vector<recovery::ShareInput> inputs;
  for (size_t i = 0; i < texts.size(); ++i) inputs.push_back({a.shares[i], texts[i]});
  auto r = recovery::Combine(inputs);
  for (auto& t : texts) sodium_memzero(t.data(), t.size());
  IZDE_RETURN_IF_ERROR(r.status());
  for (const auto& why : r->rejected) std::cerr << "izde: warning: share not used: " << why << "\n";
  IZDE_ASSIGN_OR_RETURN(std::string pass, ReadPassphrase(a.passphrase_file,
                                                         "New passphrase for " + a.new_user, true));
  Status s = vault::Vault::AddRecoveredUser(ctx.vault_dir, r->keys, a.new_user, pass);
  sodium_memzero(pass.data(), pass.size());
  IZDE_RETURN_IF_ERROR(s);
  if (ctx.json) {
    PrintJson({{"vault", ctx.vault_dir},
               {"user", a.new_user},
               {"shares_used", r->used},
               {"witness", r->keys.witness.has_value()},
               {"rejected", r->rejected}});
    return Status::Ok();
  }
  if (!ctx.quiet)
    std::cout << "Recovered the keys of " << r->origin << " from " << r->used << " shares. User "
              << a.new_user << " now opens the vault with the new passphrase"
              << (r->keys.witness ? " (with the witness key)" : " (without the witness key)")
              << ".\n";
  return Status::Ok();
}

void AddRecoveryCommands(CLI::App& app, Context& ctx, Outcome& out) {
  CLI::App* keys = nullptr;
  try {
    keys = app.get_subcommand("keys");
  } catch (const CLI::OptionNotFound&) {
    keys = app.add_subcommand("keys", "Users, passphrases and recovery shares");
  }
  auto a = std::make_shared<RecoveryArgs>();

  auto* keygen = keys->add_subcommand("trustee-keygen",
                                      "Make a trustee's key pair (the trustee runs this, once)");
  keygen->add_option("--name", a->name, "Your name as a trustee (Latin letters, digits, . _ -)")
      ->required();
  keygen->add_option("--out", a->out, "Files PREFIX.key and PREFIX.pub (default: the name)");
  keygen->add_option("--new-passphrase-file", a->passphrase_file,
                     "Read the key's new passphrase from a file");
  keygen->add_option("--kdf-cost", a->kdf, "Argon2id cost: interactive, moderate or sensitive");
  keygen->callback(Guard(out, [&ctx, a] { return TrusteeKeygen(ctx, *a); }));

  auto* split = keys->add_subcommand(
      "split", "Split the vault's keys into sealed shares for trustees (k of n recover them)");
  split->add_option("--trustee", a->trustees, "A trustee's public key file (NAME.pub), one each")
      ->required();
  split->add_option("--threshold", a->threshold, "How many shares recover the keys")->required();
  split->add_option("--to", a->to, "Directory for the sealed share files")->required();
  split->add_flag("--no-witness", a->no_witness, "Share the master key only, not the witness key");
  split->callback(Guard(out, [&ctx, a] { return SplitKeys(ctx, *a); }));

  auto* open =
      keys->add_subcommand("open-share", "Open your sealed share (a trustee, at recovery)");
  open->add_option("share", a->share_file, "The sealed share file (.izshare)")->required();
  open->add_option("--trustee-key", a->trustee_key, "Your trustee key file (NAME.key)")->required();
  open->add_option("--out", a->out, "Where to write the opened share")->required();
  open->add_option("--key-passphrase-file", a->passphrase_file,
                   "Read the trustee key's passphrase from a file");
  open->callback(Guard(out, [&ctx, a] { return OpenShareFile(ctx, *a); }));

  auto* recover = keys->add_subcommand(
      "recover", "Recover the vault's keys from k opened shares and set a new passphrase");
  recover->add_option("--share", a->shares, "An opened share file, one each")->required();
  recover->add_option("--new-user", a->new_user, "Who the new passphrase slot is for")->required();
  recover->add_option("--new-passphrase-file", a->passphrase_file,
                      "Read the new passphrase from a file");
  recover->callback(Guard(out, [&ctx, a] { return Recover(ctx, *a); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(85, AddRecoveryCommands);

}  // namespace izde::cli
