// Encrypted, incremental, verifiable backups of a vault (docs/formats/backup.md).
//
// A backup directory holds content-addressed chunks (the store's sealed versions, its
// wrapped key slots and settings, the sealed evidence files, the log's tiles and
// checkpoints) and one signed snapshot per backup run. Everything in it is ciphertext or
// metadata the vault already keeps in plain form: a mirror can hold it, and check it
// with `VerifyBackup`, without any key.
//
// Crash safety: a run writes its new chunks, flushes the file system, and only then
// writes its snapshot (temporary name, fsync, rename). A run that dies midway leaves
// every earlier snapshot whole; its stray chunks are re-checked before any later run
// relies on them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/note_key.h"
#include "vault/vault.h"

namespace izde::backup {

using vault::Progress;

struct BackupOptions {
  Progress progress = nullptr;
  // Failure injection for the tests: called before each chunk is written ("chunk 12")
  // and before the snapshot ("snapshot"); an error stops the run there.
  std::function<Status(const std::string& step)> before_write = nullptr;
};

struct BackupReport {
  uint64_t snapshot = 0;
  bool incremental = false;
  uint64_t new_versions = 0, total_versions = 0;
  uint64_t files = 0;
  uint64_t chunks_written = 0, bytes_written = 0;
  std::vector<std::string> warnings;
};

// Backs up the unlocked vault into `dir` (created if absent). Needs the vault unlocked
// only to sign the snapshot with the vault's log key; nothing is decrypted.
Result<BackupReport> Backup(vault::Vault& vault, const std::string& dir,
                            const BackupOptions& options = {});

struct RestoreOptions {
  uint64_t snapshot = 0;                        // 0: the latest
  std::optional<ledger::NoteVerifier> log_key;  // pin the vault's log key
  Progress progress = nullptr;
};

struct RestoreReport {
  uint64_t snapshot = 0;
  uint64_t versions = 0, files = 0, users = 0;
};

// Restores a snapshot into `vault_dir`, which must not exist or be empty. The vault is
// assembled beside it and renamed into place, so an interrupted restore leaves no
// half-vault under that name. Every chunk is checked against its hash on the way.
Result<RestoreReport> Restore(const std::string& backup_dir, const std::string& vault_dir,
                              const RestoreOptions& options = {});

struct VerifyOptions {
  std::optional<ledger::NoteVerifier> log_key;  // pin the vault's log key
  Progress progress = nullptr;
};

// What `izde backup verify` found. Every problem names the snapshot, chunk, file, record
// or log entry at fault.
struct BackupCheck {
  std::string origin;
  bool pinned = false;
  uint64_t snapshots = 0, chunks = 0, versions = 0, records = 0, files = 0, log_entries = 0;
  uint64_t checkpoints = 0;
  std::vector<std::string> problems;
};

// Checks a backup without any key: every snapshot's signature, every chunk against its
// hash, every versions pack, the log's tiles (re-hashed) against every checkpoint the
// vault signed, each snapshot's log against the latest (append-only), and that the log
// holds a leaf for the latest version of every record.
Result<BackupCheck> VerifyBackup(const std::string& backup_dir, const VerifyOptions& options = {});

}  // namespace izde::backup
