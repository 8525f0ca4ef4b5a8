// Incremental backup of a large vault (issue #9: a vault of 100,000 people after 1,000
// changes, backed up in at most 5 s).
//
//   full         the first backup of the vault (every version, file and tile)
//   incremental  after 1,000 people were edited: `izde backup --to DIR` as a whole
//                process (the target); after another 1,000, an unlock that loads the
//                search index + Backup() + lock in this process (the old way), with
//                Backup() alone timed inside it
//   baseline     copying the vault directory (store, log, blobs) file by file with one
//                syncfs, in the same run: what a plain, non-incremental copy costs
//   verify       `izde backup verify` of the result, without a key
//
// ./build/bench/backup/bench_backup --people 100000 --changes 1000 --runs 3
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "backup/backup.h"
#include "demo/synthetic_people.h"
#include "names/search_keys.h"

namespace {

namespace fs = std::filesystem;
using namespace izde;
using Clock = std::chrono::steady_clock;
constexpr const char* kPass = "benchmark passphrase";

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.message().c_str());
    std::exit(1);
  }
}

// CPU time (user + system) of the child processes that have ended: what the izde
// process cost, whatever else the shared machine was running.
double ChildCpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void CopyTree(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::copy(from, to, fs::copy_options::recursive);
  int fd = ::open(to.c_str(), O_RDONLY | O_DIRECTORY);
  ::syncfs(fd);
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  size_t people = 100000, changes = 1000;
  int runs = 3;
  bool keep = false;  // --keep 1: leave the vault and backup in place, for profiling
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--keep")) keep = std::stoi(argv[i + 1]) != 0;
    if (!std::strcmp(argv[i], "--people")) people = std::stoul(argv[i + 1]);
    if (!std::strcmp(argv[i], "--changes")) changes = std::stoul(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::stoi(argv[i + 1]);
  }
  fs::path dir = fs::temp_directory_path() / ("izde-bench-backup-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string vault_dir = (dir / "vault").string(), backup_dir = (dir / "backup").string();
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kModerate;
  o.name_keys = [](std::string_view n) { return names::SearchKeys(n); };
  Check(vault::Vault::Create(vault_dir, "admin", kPass, o), "create");
  auto records = demo::SyntheticVault({.people = people, .seed = 5});
  const size_t total = records.size();
  std::vector<model::Record> persons;
  for (const auto& r : records)
    if (r.type == model::RecordType::kPerson && persons.size() < 2 * changes * runs)
      persons.push_back(r);
  double full_s = 0;
  backup::BackupReport full;
  {
    auto v = vault::Vault::Unlock(vault_dir, "admin", kPass, o);
    Check(v.status(), "unlock");
    Check((*v)->SaveAll(std::move(records)).status(), "fill");
    auto start = Clock::now();
    auto r = backup::Backup(**v, backup_dir);
    Check(r.status(), "full backup");
    full_s = Seconds(start);
    full = *r;
  }
  // The passphrase, for the izde process, in a file only this user can read.
  const fs::path pass_file = dir / "passphrase";
  {
    int fd = ::open(pass_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    Check(fd >= 0 && ::write(fd, kPass, std::strlen(kPass)) > 0 ? Status::Ok()
                                                                : Status::Io("passphrase file"),
          "passphrase file");
    ::close(fd);
  }
  const std::string command = std::string(IZDE_BINARY) + " --quiet --vault " + vault_dir +
                              " --user admin --passphrase-file " + pass_file.string() +
                              " backup --to " + backup_dir;
  auto edit = [&](size_t batch, const std::string& note) {
    auto v = vault::Vault::Unlock(vault_dir, "admin", kPass, o);
    Check(v.status(), "unlock");
    std::vector<model::Record> edits(persons.begin() + batch * changes,
                                     persons.begin() + (batch + 1) * changes);
    for (auto& e : edits) e.doc["notes"] = note;
    Check((*v)->SaveAll(std::move(edits)).status(), "edit");
  };
  std::vector<double> backup_s, command_s, command_cpu_s, indexed_s, copy_s;
  uint64_t new_versions = 0, chunks = 0, bytes = 0;
  for (int run = 0; run < runs; ++run) {
    // The target: `izde backup --to DIR` as a whole process (start, Argon2id unlock
    // without the search index, incremental backup, exit), after 1,000 changes.
    edit(2 * run, "edited in run " + std::to_string(run));
    auto start = Clock::now();
    const double cpu_before = ChildCpuSeconds();
    Check(std::system(command.c_str()) == 0 ? Status::Ok() : Status::Io(command), "izde backup");
    command_s.push_back(Seconds(start));
    command_cpu_s.push_back(ChildCpuSeconds() - cpu_before);
    // The reference, after another 1,000 changes: what `izde backup` did before, an unlock
    // that loads the search index, the backup, the lock (in this process). Backup() alone
    // is timed inside it.
    edit(2 * run + 1, "edited again in run " + std::to_string(run));
    start = Clock::now();
    auto v = vault::Vault::Unlock(vault_dir, "admin", kPass, o);
    Check(v.status(), "unlock");
    auto b = Clock::now();
    auto r = backup::Backup(**v, backup_dir);
    Check(r.status(), "incremental backup");
    backup_s.push_back(Seconds(b));
    v->reset();
    indexed_s.push_back(Seconds(start));
    new_versions = r->new_versions, chunks = r->chunks_written, bytes = r->bytes_written;
    // Baseline: a plain copy of the vault directory.
    auto c = Clock::now();
    CopyTree(vault_dir, dir / "copy");
    copy_s.push_back(Seconds(c));
  }
  auto vs = Clock::now();
  auto check = backup::VerifyBackup(backup_dir);
  Check(check.status(), "verify");
  double verify_s = Seconds(vs);
  uintmax_t vault_bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(vault_dir))
    if (e.is_regular_file()) vault_bytes += e.file_size();

  std::printf("vault: %zu people, %zu records, %.1f MiB on disk\n", people, total,
              vault_bytes / 1048576.0);
  std::printf("full backup                 %7.2f s   (%llu versions, %llu chunks, %.1f MiB)\n",
              full_s, static_cast<unsigned long long>(full.total_versions),
              static_cast<unsigned long long>(full.chunks_written), full.bytes_written / 1048576.0);
  std::printf("incremental, %zu changes (median of %d)\n", changes, runs);
  std::printf("  Backup() alone            %7.2f s   (%llu new versions, %llu chunks, %.2f MiB)\n",
              Median(backup_s), static_cast<unsigned long long>(new_versions),
              static_cast<unsigned long long>(chunks), bytes / 1048576.0);
  std::printf(
      "  `izde backup --to DIR`    %7.2f s   (whole process: start, unlock without the "
      "search index, backup, exit)\n",
      Median(command_s));
  std::printf("      its CPU time          %7.2f s   (user + system, the izde process alone)\n",
              Median(command_cpu_s));
  std::printf("  unlock with index + Backup() + lock  %7.2f s   (before: the index was loaded)\n",
              Median(indexed_s));
  std::printf("  plain copy of the vault   %7.2f s   (baseline) -> incremental is %.1fx faster\n",
              Median(copy_s), Median(copy_s) / Median(backup_s));
  std::printf("verify (no key), %llu snapshots, %llu chunks  %7.2f s, %zu problems\n",
              static_cast<unsigned long long>(check->snapshots),
              static_cast<unsigned long long>(check->chunks), verify_s, check->problems.size());
  if (keep)
    std::printf("kept in %s\n", dir.c_str());
  else
    fs::remove_all(dir);
  return check->problems.empty() ? 0 : 1;
}
