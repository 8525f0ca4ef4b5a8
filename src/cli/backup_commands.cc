// `izde backup --to DIR`, `izde backup verify --from DIR` and `izde restore --from DIR`
// (src/backup, docs/formats/backup.md).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "backup/backup.h"
#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"

namespace izde::cli {
namespace {

struct BackupArgs {
  std::string to, from, log_key;
  uint64_t snapshot = 0;
};

Result<std::optional<ledger::NoteVerifier>> ReadLogKey(const std::string& path) {
  if (path.empty()) return std::optional<ledger::NoteVerifier>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read the log key file " + path);
  std::string text(std::istreambuf_iterator<char>(in), {});
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  auto key = ledger::NoteVerifier::Parse(text);
  if (!key.ok())
    return key.status().Within(path +
                               " (expected the vault's public log key, as `izde log "
                               "status` prints it)");
  return std::optional<ledger::NoteVerifier>(*key);
}

Status RunBackup(const Context& ctx, const BackupArgs& a) {
  if (a.to.empty()) return Status::InvalidInput("say where to: izde backup --to DIRECTORY");
  // A backup copies ciphertext: no record is decrypted, so no search index is built.
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock(/*search_index=*/false));
  ProgressBar bar("Backing up");
  backup::BackupOptions o;
  o.progress = [&](size_t d, size_t t) { bar.Update(d, t); };
  IZDE_ASSIGN_OR_RETURN(auto r, backup::Backup(*v, a.to, o));
  bar.Finish();
  if (ctx.json) {
    PrintJson({{"snapshot", r.snapshot},
               {"incremental", r.incremental},
               {"new_versions", r.new_versions},
               {"versions", r.total_versions},
               {"files", r.files},
               {"chunks_written", r.chunks_written},
               {"bytes_written", r.bytes_written},
               {"warnings", r.warnings}});
    return Status::Ok();
  }
  for (const auto& w : r.warnings) std::cerr << "izde: warning: " << w << "\n";
  if (!ctx.quiet)
    std::cout << "Backup snapshot " << r.snapshot << " written to " << a.to << ": "
              << r.new_versions << " new record versions (" << r.total_versions << " in all), "
              << r.files << " files, " << r.chunks_written << " new chunks (" << r.bytes_written
              << " bytes).\nIt holds only ciphertext. Check it anywhere, "
              << "without a key: izde backup verify --from " << a.to << "\n";
  return Status::Ok();
}

Status RunVerify(const Context& ctx, const BackupArgs& a) {
  if (a.from.empty())
    return Status::InvalidInput("say which backup: izde backup verify --from DIRECTORY");
  backup::VerifyOptions o;
  IZDE_ASSIGN_OR_RETURN(o.log_key, ReadLogKey(a.log_key));
  ProgressBar bar("Verifying");
  o.progress = [&](size_t d, size_t t) { bar.Update(d, t); };
  IZDE_ASSIGN_OR_RETURN(auto c, backup::VerifyBackup(a.from, o));
  bar.Finish();
  if (ctx.json)
    PrintJson({{"ok", c.problems.empty()},
               {"origin", c.origin},
               {"key_pinned", c.pinned},
               {"snapshots", c.snapshots},
               {"chunks", c.chunks},
               {"versions", c.versions},
               {"records", c.records},
               {"files", c.files},
               {"log_entries", c.log_entries},
               {"checkpoints", c.checkpoints},
               {"problems", c.problems}});
  if (!c.problems.empty()) {
    if (!ctx.json)
      for (const auto& p : c.problems) std::cerr << "  " << p << "\n";
    return Status::Corrupt("the backup at " + a.from + " has " + std::to_string(c.problems.size()) +
                           " problem(s), listed above; restore from an earlier snapshot "
                           "(--snapshot N) or another copy");
  }
  if (!ctx.json && !ctx.quiet) {
    std::cout << "OK: " << c.snapshots << " snapshots of " << c.origin << ", " << c.chunks
              << " chunks, " << c.versions << " record versions of " << c.records << " records, "
              << c.files << " files; the log of " << c.log_entries << " entries matches its "
              << c.checkpoints << " signed checkpoints.\n";
    if (!c.pinned)
      std::cout << "Note: the vault's key was taken from the backup itself; pass --log-key with "
                   "the key you obtained from the group independently.\n";
  }
  return Status::Ok();
}

Status RunRestore(const Context& ctx, const BackupArgs& a) {
  if (a.from.empty())
    return Status::InvalidInput("say which backup: izde restore --from DIRECTORY");
  backup::RestoreOptions o;
  o.snapshot = a.snapshot;
  IZDE_ASSIGN_OR_RETURN(o.log_key, ReadLogKey(a.log_key));
  ProgressBar bar("Restoring");
  o.progress = [&](size_t d, size_t t) { bar.Update(d, t); };
  IZDE_ASSIGN_OR_RETURN(auto r, backup::Restore(a.from, ctx.vault_dir, o));
  bar.Finish();
  if (ctx.json) {
    PrintJson({{"vault", ctx.vault_dir},
               {"snapshot", r.snapshot},
               {"versions", r.versions},
               {"files", r.files},
               {"users", r.users}});
    return Status::Ok();
  }
  if (!ctx.quiet)
    std::cout << "Restored snapshot " << r.snapshot << " into " << ctx.vault_dir << ": "
              << r.versions << " record versions, " << r.files << " files, " << r.users
              << " users (their passphrases are those of the backed-up vault).\nNext: izde --vault "
              << ctx.vault_dir << " verify --vault\n";
  return Status::Ok();
}

void AddBackupCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto a = std::make_shared<BackupArgs>();
  auto* backup = app.add_subcommand(
      "backup", "Encrypted, incremental backup of the vault into a directory (a disk, a mirror)");
  backup->add_option("--to", a->to, "Backup directory (new, or an earlier backup of this vault)");
  backup->require_subcommand(0, 1);
  auto* verify = backup->add_subcommand(
      "verify", "Check a backup without any key: every chunk, every snapshot, the log");
  verify->add_option("--from", a->from, "Backup directory")->required();
  verify->add_option("--log-key", a->log_key, "The vault's public log key file (pins it)");
  verify->callback(Guard(out, [&ctx, a] { return RunVerify(ctx, *a); }));
  backup->callback([&ctx, &out, a, backup] {
    if (backup->got_subcommand("verify")) return;
    Guard(out, [&ctx, a] { return RunBackup(ctx, *a); })();
  });

  auto* restore = app.add_subcommand(
      "restore", "Restore a backup into a new vault directory (--vault, which must be empty)");
  restore->add_option("--from", a->from, "Backup directory")->required();
  restore->add_option("--snapshot", a->snapshot, "Which snapshot (default: the latest)");
  restore->add_option("--log-key", a->log_key, "The vault's public log key file (pins it)");
  restore->callback(Guard(out, [&ctx, a] { return RunRestore(ctx, *a); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(80, AddBackupCommands);

}  // namespace izde::cli
