// `izde verify BUNDLE` (a third party's check: no vault, no passphrase), `izde verify
// --vault` (the group's own full re-check), and the public bundle of consented records
// (docs/formats/bundle.md): `izde export --public --bundle OUT` (exchange_commands.cc
// owns `export` and calls WritePublicBundleCommand) or `izde publish-bundle --out OUT`.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/public_bundle.h"
#include "cli/terminal.h"
#include "ledger/bundle.h"
#include "vault/publication.h"

namespace izde::cli {
namespace {

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<ledger::NoteVerifier> ReadKey(const std::string& path) {
  IZDE_ASSIGN_OR_RETURN(std::string text, ReadText(path));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto v = ledger::NoteVerifier::Parse(text);
  if (!v.ok()) return v.status().Within(path);
  return v;
}

struct VerifyArgs {
  std::string bundle, key, tsa_cert;
  std::vector<std::string> cosigner_keys;
  size_t require = 0;
  bool vault = false, require_timestamp = false;
};

Status VerifyBundleFile(const Context& ctx, const VerifyArgs& a) {
  IZDE_ASSIGN_OR_RETURN(std::string text, ReadText(a.bundle));
  auto parsed = ledger::Bundle::Parse(text);
  if (!parsed.ok()) return parsed.status().Within(a.bundle);
  ledger::Bundle bundle = std::move(parsed).value();
  ledger::CheckpointPolicy policy;
  bool pinned = !a.key.empty();
  if (pinned) {
    IZDE_ASSIGN_OR_RETURN(policy.log_key, ReadKey(a.key));
  } else {
    auto k = ledger::NoteVerifier::Parse(bundle.log_key);
    if (!k.ok()) return k.status().Within("the bundle's log key");
    policy.log_key = *k;
  }
  for (const auto& f : a.cosigner_keys) {
    IZDE_ASSIGN_OR_RETURN(auto k, ReadKey(f));
    policy.cosigners.push_back(k);
  }
  if (a.require > policy.cosigners.size())
    return Status::InvalidInput("--require-cosigners " + std::to_string(a.require) + " needs " +
                                "that many --cosigner-key files of partners you trust");
  policy.required_cosignatures = a.require;
  ledger::BundleOptions options;
  if (!a.tsa_cert.empty()) {
    IZDE_ASSIGN_OR_RETURN(options.tsa_pem, ReadText(a.tsa_cert));
  }
  options.require_timestamp = a.require_timestamp;
  options.files_dir = a.bundle + ".files";
  auto checked = ledger::VerifyBundle(bundle, policy, options);
  if (!checked.ok()) return checked.status().Within(a.bundle + " failed verification");
  const ledger::BundleCheck& check = *checked;
  const auto& cp = check.checkpoint.checkpoint;
  if (ctx.json) {
    PrintJson({{"ok", true},
               {"origin", cp.origin},
               {"size", cp.size},
               {"records", check.records},
               {"evidence", check.evidence},
               {"revealed_fields", check.revealed_fields},
               {"cosignatures", check.checkpoint.cosignatures.size()},
               {"files", check.files},
               {"timestamp", check.timestamp ? nlohmann::json(check.timestamp->time_text)
                                             : nlohmann::json(nullptr)},
               {"timestamp_authority", check.timestamp ? check.timestamp->authority : ""},
               {"timestamp_pinned", check.timestamp_pinned},
               {"key_pinned", pinned}});
    return Status::Ok();
  }
  std::cout << "OK: " << check.records << " record versions (" << check.revealed_fields
            << " revealed fields) and " << check.evidence << " evidence files are in log "
            << cp.origin << " at size " << cp.size << ", signed by its key";
  if (!check.checkpoint.cosignatures.empty())
    std::cout << " and cosigned by " << check.checkpoint.cosignatures.size() << " partners";
  std::cout << ".\n";
  if (check.files) std::cout << check.files << " evidence files match the hashes in the log.\n";
  if (check.timestamp) {
    std::cout << "The checkpoint existed at " << check.timestamp->time_text
              << " (RFC 3161 timestamp by " << check.timestamp->authority << ").\n";
    if (!check.timestamp_pinned)
      std::cout << "Note: the timestamp authority was not pinned; pass --tsa-cert with its "
                   "certificate to know who vouches for the time.\n";
  }
  if (!pinned)
    std::cout << "Note: the log's key was taken from the bundle itself; pass --key with the "
                 "key you obtained from the group independently.\n";
  return Status::Ok();
}

Status VerifyVault(const Context& ctx) {
  vault::VaultOptions o = ctx.Options();
  o.inspect_only = true;
  IZDE_ASSIGN_OR_RETURN(
      std::string pass,
      ReadPassphrase(ctx.passphrase_file, "Passphrase for " + ctx.user + " at " + ctx.vault_dir,
                     false));
  auto unlocked = vault::Vault::Unlock(ctx.vault_dir, ctx.user, pass, o);
  std::fill(pass.begin(), pass.end(), '\0');
  if (!unlocked.ok()) return unlocked.status().Within("verification failed");
  ProgressBar bar("Verifying");
  IZDE_ASSIGN_OR_RETURN(
      auto check, (*unlocked)->CheckEverything([&](size_t d, size_t t) { bar.Update(d, t); }));
  bar.Finish();
  if (ctx.json)
    PrintJson({{"ok", check.problems.empty()},
               {"versions", check.versions},
               {"blobs", check.blobs},
               {"log_entries", check.log_entries},
               {"checkpoints", check.checkpoints},
               {"timestamps", check.timestamps},
               {"skipped_witness", check.skipped_witness},
               {"problems", check.problems}});
  if (!check.problems.empty()) {
    if (!ctx.json)
      for (const auto& p : check.problems) std::cerr << "  " << p << "\n";
    return Status::Corrupt("the vault failed verification: " + check.problems.front() +
                           (check.problems.size() > 1
                                ? " (and " + std::to_string(check.problems.size() - 1) + " more)"
                                : ""));
  }
  if (!ctx.json && !ctx.quiet) {
    std::cout << "OK: " << check.versions << " record versions, " << check.blobs
              << " evidence files, " << check.log_entries << " log entries and "
              << check.checkpoints << " checkpoints"
              << (check.timestamps ? " (" + std::to_string(check.timestamps) + " timestamped)"
                                   : std::string())
              << " agree.\n";
    if (check.skipped_witness)
      std::cout << "Not checked: " << check.skipped_witness
                << " witness records (you do not hold the witness key).\n";
  }
  return Status::Ok();
}

}  // namespace

Status WritePublicBundleCommand(const Context& ctx, const std::string& out, bool with_files) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  vault::PublicationOptions options;
  options.with_files = with_files;
  IZDE_ASSIGN_OR_RETURN(auto bundle, vault::WritePublicBundle(*v, out, options));
  if (ctx.json)
    PrintJson({{"bundle", out},
               {"records", bundle.records.size()},
               {"evidence", bundle.evidence.size()},
               {"files", with_files ? bundle.evidence.size() : 0},
               {"timestamped", !bundle.timestamp.empty()}});
  else if (!ctx.quiet)
    std::cout << "Wrote " << out << ": " << bundle.records.size() << " records and "
              << bundle.evidence.size() << " evidence hashes"
              << (with_files ? " (with their files in " + out + ".files)" : std::string())
              << " whose publication is consented; every other field is only a "
                 "salted commitment.\nThe log's public key is in "
              << out << ".pub: publish it separately, so that verifiers can pin it.\n";
  return Status::Ok();
}

namespace {

void AddVerifyCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto a = std::make_shared<VerifyArgs>();
  auto* verify = app.add_subcommand(
      "verify", "Check a public bundle (no vault needed), or with --vault the whole vault");
  verify->add_option("bundle", a->bundle, "A bundle made by `izde publish-bundle`");
  verify->add_flag("--vault", a->vault,
                   "Re-check the vault: every version, evidence file, log tile and checkpoint");
  verify->add_option("--key", a->key, "The log's public key file (pins the signer)");
  verify->add_option("--cosigner-key", a->cosigner_keys, "A trusted partner's public key (repeat)");
  verify->add_option("--require-cosigners", a->require,
                     "Require cosignatures from at least this many of the --cosigner-key partners");
  verify->add_option("--tsa-cert", a->tsa_cert,
                     "PEM certificate(s) of the timestamp authority you trust (pins it)");
  verify->add_flag("--require-timestamp", a->require_timestamp,
                   "Fail unless the checkpoint carries an RFC 3161 timestamp");
  verify->callback(Guard(out, [&ctx, a] {
    if (a->vault) return VerifyVault(ctx);
    if (a->bundle.empty())
      return Status::InvalidInput("give a bundle file to verify, or --vault to verify the vault");
    return VerifyBundleFile(ctx, *a);
  }));

  auto file = std::make_shared<std::string>();
  auto with_files = std::make_shared<bool>(false);
  auto* publish = app.add_subcommand(
      "publish-bundle",
      "Write a public bundle of the records whose consent allows publication (= export --public)");
  publish->add_option("--out", *file, "The bundle file (its public key goes to OUT.pub)")
      ->required();
  publish->add_flag("--with-files", *with_files, "Also the consented evidence files (OUT.files/)");
  publish->callback(Guard(
      out, [&ctx, file, with_files] { return WritePublicBundleCommand(ctx, *file, *with_files); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(70, AddVerifyCommands);

}  // namespace izde::cli
