#include <sodium.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"

namespace izde::cli {
namespace {

Status Init(const Context& ctx, const std::string& kdf_name) {
  auto cost = vault::ParseKdfCost(kdf_name);
  if (!cost) return Status::InvalidInput("--kdf-cost must be interactive, moderate or sensitive");
  IZDE_ASSIGN_OR_RETURN(std::string pass, ReadPassphrase(ctx.passphrase_file,
                                                         "New passphrase for " + ctx.user, true));
  vault::VaultOptions o = ctx.Options();
  o.kdf = *cost;
  Status s = vault::Vault::Create(ctx.vault_dir, ctx.user, pass, o);
  sodium_memzero(pass.data(), pass.size());
  IZDE_RETURN_IF_ERROR(s);
  if (ctx.json)
    PrintJson({{"vault", ctx.vault_dir}, {"user", ctx.user}});
  else if (!ctx.quiet)
    std::cout << "Created a vault at " << ctx.vault_dir << " for user " << ctx.user
              << ".\nKeep the passphrase safe: without it (or another user's) nobody, not even "
                 "you, can read the vault.\nNext: izde add person --name \"...\"   or   izde "
                 "import people.csv\n";
  return Status::Ok();
}

Status Status_(const Context& ctx) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto s, v->Summary());
  int64_t total = 0;
  for (auto& [_, n] : s.records_by_type) total += n;
  if (ctx.json) {
    PrintJson({{"vault", ctx.vault_dir},
               {"user", ctx.user},
               {"records", total},
               {"by_type", s.records_by_type},
               {"indexed", s.indexed},
               {"users", s.users},
               {"witness_key", s.witness_key}});
    return Status::Ok();
  }
  std::cout << "Vault " << ctx.vault_dir << ", unlocked by " << ctx.user
            << (s.witness_key ? " (with the witness key)" : " (without the witness key)") << "\n";
  std::cout << "  " << total << " records:";
  for (auto& [type, n] : s.records_by_type) std::cout << "  " << n << " " << type;
  std::cout << "\n  " << s.indexed << " in the search index\n  users:";
  for (auto& u : s.users) std::cout << " " << u;
  std::cout << "\n";
  return Status::Ok();
}

}  // namespace

namespace {

void AddVaultCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto* init = app.add_subcommand("init", "Create a new, empty vault protected by a passphrase");
  auto kdf = std::make_shared<std::string>("moderate");
  init->add_option("--kdf-cost", *kdf,
                   "Argon2id cost: interactive, moderate (default) or sensitive");
  init->callback(Guard(out, [&ctx, kdf] { return Init(ctx, *kdf); }));

  auto* status = app.add_subcommand("status", "Unlock the vault and summarise what it holds");
  status->callback(Guard(out, [&ctx] { return Status_(ctx); }));

  auto* keys = app.add_subcommand("keys", "Users and their passphrases");
  keys->require_subcommand(1);
  auto new_file = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto no_witness = std::make_shared<bool>(false);

  auto* add = keys->add_subcommand("add-user", "Give another person a passphrase to this vault");
  add->add_option("name", *name, "The new user's name (Latin letters, digits, . _ -)")->required();
  add->add_option("--new-passphrase-file", *new_file, "Read the new user's passphrase from a file");
  add->add_flag("--no-witness", *no_witness, "Withhold the witness key (witness identities)");
  add->callback(Guard(out, [&ctx, new_file, name, no_witness] {
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    IZDE_ASSIGN_OR_RETURN(std::string pass,
                          ReadPassphrase(*new_file, "Passphrase for the new user " + *name, true));
    Status s = v->AddUser(*name, pass, !*no_witness);
    sodium_memzero(pass.data(), pass.size());
    if (s.ok() && !ctx.quiet)
      std::cout << "Added user " << *name
                << (*no_witness ? " without the witness key.\n" : " with the witness key.\n");
    return s;
  }));

  auto* remove = keys->add_subcommand("remove-user", "Remove a user's passphrase slot");
  remove->add_option("name", *name)->required();
  remove->callback(Guard(out, [&ctx, name] {
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    IZDE_RETURN_IF_ERROR(v->RemoveUser(*name));
    if (!ctx.quiet)
      std::cout << "Removed user " << *name
                << ". Anyone who copied the vault before still opens that copy with the old "
                   "passphrase.\n";
    return Status::Ok();
  }));

  auto* change = keys->add_subcommand("change-passphrase", "Change your own passphrase");
  change->add_option("--new-passphrase-file", *new_file);
  change->callback(Guard(out, [&ctx, new_file] {
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    IZDE_ASSIGN_OR_RETURN(std::string pass, ReadPassphrase(*new_file, "New passphrase", true));
    Status s = v->ChangePassphrase(pass);
    sodium_memzero(pass.data(), pass.size());
    if (s.ok() && !ctx.quiet) std::cout << "Passphrase changed for " << ctx.user << ".\n";
    return s;
  }));

  auto* list = keys->add_subcommand("list", "List the users of this vault");
  list->callback(Guard(out, [&ctx] {
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    IZDE_ASSIGN_OR_RETURN(auto s, v->Summary());
    if (ctx.json)
      PrintJson({{"users", s.users}});
    else
      for (auto& u : s.users) std::cout << u << "\n";
    return Status::Ok();
  }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(10, AddVaultCommands);

}  // namespace izde::cli
