// `izde migrate --from A --to B`: moves a vault's records between its own SQLite
// file and a PostgreSQL database, in either direction. The copy is compared
// byte for byte, then the vault is unlocked on the copy and every version is
// checked against the vault's log (as `izde verify --vault` does); only then
// does the vault directory switch to the copy. The original is never deleted.
#include <sodium.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"
#include "store/postgresql/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_copy.h"
#include "vault/vault_store.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

// What the original is renamed to once the vault uses the copy.
constexpr const char* kKeptSuffix = ".pre-migration";

// Unlocks the vault at `dir` on the store `location` and checks every version
// against the log: the ledger's word that the copy is the vault.
Status VerifyByLedger(const Context& ctx, const std::string& dir, const std::string& location) {
  IZDE_ASSIGN_OR_RETURN(
      std::string pass,
      ReadPassphrase(ctx.passphrase_file, "Passphrase for " + ctx.user + " at " + dir, false));
  vault::VaultOptions o = ctx.Options();
  o.store = location;
  o.inspect_only = true;
  auto v = vault::Vault::Unlock(dir, ctx.user, pass, o);
  sodium_memzero(pass.data(), pass.size());
  IZDE_RETURN_IF_ERROR(v.status());
  ProgressBar bar("Verifying");
  IZDE_ASSIGN_OR_RETURN(auto check, (*v)->CheckEverything([&](size_t done, size_t total) {
    bar.Update(done, total);
  }));
  if (!check.problems.empty())
    return Status::Corrupt("the copy does not verify against the vault's log (" +
                           std::to_string(check.problems.size()) + " problems; the first: " +
                           check.problems.front() + "); the vault still uses the original");
  return Status::Ok();
}

Status Migrate(const Context& ctx, const std::string& from, const std::string& to) {
  const bool to_postgres = store::IsPostgresLocation(to);
  const bool from_postgres = store::IsPostgresLocation(from);
  if (to_postgres == from_postgres)
    return Status::InvalidInput(
        "migrate moves a vault between its directory and PostgreSQL: give a vault directory "
        "and a postgresql://… location, one as --from and the other as --to");
  const std::string dir = to_postgres ? from : to;
  const std::string database = to_postgres ? to : from;
  const fs::path db_file = fs::path(dir) / vault::kDatabaseFile;
  const fs::path store_file = fs::path(dir) / vault::kStoreFile;
  if (store::ConninfoHasPassword(database))
    return Status::InvalidInput(
        "the PostgreSQL location holds a password, which would be written to " +
        store_file.string() + "; give it in ~/.pgpass or $PGPASSWORD instead");
  std::unique_ptr<store::Store> source, target;
  if (to_postgres) {
    if (!fs::exists(db_file))
      return Status::NotFound("there is no vault file " + db_file.string() + " to migrate");
    if (fs::exists(store_file))
      return Status::InvalidInput("the vault at " + dir + " already uses the store named in " +
                                  store_file.string());
    IZDE_ASSIGN_OR_RETURN(source, vault::OpenVaultStore(dir, vault::kOwnStore, false));
    IZDE_ASSIGN_OR_RETURN(target, vault::OpenVaultStore(dir, database, true));
  } else {
    if (!fs::exists(fs::path(dir) / "log"))
      return Status::NotFound(dir + " is not the directory of a vault on PostgreSQL (no log/)");
    if (fs::exists(db_file))
      return Status::AlreadyExists(db_file.string() +
                                   " exists already; move it away before migrating back");
    IZDE_ASSIGN_OR_RETURN(source, vault::OpenVaultStore(dir, database, false));
    IZDE_ASSIGN_OR_RETURN(target, vault::OpenVaultStore(dir, vault::kOwnStore, true));
  }
  ProgressBar bar("Copying");
  auto copied = store::CopyStore(*source, *target,
                                 [&](size_t done, size_t total) { bar.Update(done, total); });
  source.reset();
  target.reset();
  if (!copied.ok()) {
    // A half-made SQLite file would make the directory look like a vault of its own.
    if (!to_postgres) fs::remove(db_file);
    return copied.status();
  }
  // The sealed evidence files and the log go with the records: on PostgreSQL they live in
  // the database, which every server of the vault reads.
  {
    IZDE_ASSIGN_OR_RETURN(auto db, vault::OpenVaultStore(dir, database, false));
    Status moved =
        to_postgres ? vault::CopyFilesToShared(dir, *db) : vault::CopyFilesFromShared(*db, dir);
    if (!moved.ok()) {
      if (!to_postgres) fs::remove(db_file);
      return moved.Within("moving the evidence files and the log");
    }
  }
  Status verified = VerifyByLedger(ctx, dir, to_postgres ? database : vault::kOwnStore);
  std::error_code ec;
  if (!verified.ok()) {
    if (!to_postgres) {
      fs::rename(db_file, db_file.string() + ".failed-migration", ec);
    }
    return verified;
  }
  // Switch the directory to the copy; keep the original beside it.
  if (to_postgres) {
    IZDE_RETURN_IF_ERROR(vault::RecordStoreLocation(dir, database));
    for (const char* suffix : {"", "-wal", "-shm"}) {
      fs::path f = db_file.string() + suffix;
      if (fs::exists(f)) fs::rename(f, f.string() + kKeptSuffix, ec);
      if (ec) return Status::Io("cannot set aside " + f.string() + ": " + ec.message());
    }
  } else {
    fs::rename(store_file, store_file.string() + kKeptSuffix, ec);
    if (ec) return Status::Io("cannot set aside " + store_file.string() + ": " + ec.message());
  }
  if (ctx.json) {
    PrintJson({{"from", to_postgres ? dir : store::RedactConninfo(database)},
               {"to", to_postgres ? store::RedactConninfo(database) : dir},
               {"versions", copied->versions},
               {"key_slots", copied->key_slots},
               {"settings", copied->settings},
               {"verified", true}});
  } else if (!ctx.quiet) {
    std::cout << "Copied " << copied->versions << " record versions, " << copied->key_slots
              << " key slots and " << copied->settings << " settings to "
              << (to_postgres ? store::RedactConninfo(database) : db_file.string())
              << ".\nVerified: the copy matches byte for byte, and every version matches its "
                 "entry in the vault's log.\nThe vault at "
              << dir << " now uses it; the original is kept as "
              << (to_postgres ? db_file.string() : store_file.string()) << kKeptSuffix << ".\n";
  }
  return Status::Ok();
}

void AddMigrateCommand(CLI::App& app, Context& ctx, Outcome& out) {
  auto* cmd = app.add_subcommand(
      "migrate", "Move a vault's records between its own file and a PostgreSQL database");
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  cmd->add_option("--from", *from, "A vault directory, or postgresql://… to migrate back")
      ->required();
  cmd->add_option("--to", *to,
                  "postgresql://USER@HOST/DB (an empty database), or the vault "
                  "directory to move back into")
      ->required();
  cmd->callback(Guard(out, [&ctx, from, to] { return Migrate(ctx, *from, *to); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(75, AddMigrateCommand);

}  // namespace izde::cli
