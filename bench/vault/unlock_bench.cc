// Unlocks an existing vault the way a command that searches nothing does (`izde link`,
// `izde backup`: VaultOptions::search_index = false) and reports how long it took, with
// the passphrase's key derivation (Argon2id, deliberate) measured apart on the same slot.
// Usage: bench_unlock VAULT PASSPHRASE_FILE [--user U] [--runs R] [--index] [--save N]
//                     [--old-way]
// --save N: then save N new synthetic people (the first save chains to the log's tips).
// --old-way: the steps Unlock took before session 15, with the same code (the store's
//   page check, the log read whole, and for a first save every entry read for the tips):
//   the baseline, in the same period.
// Run it on a copy: an unlock may complete a log left behind by a crash, and --save writes.
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "ledger/log.h"
#include "model/record.h"
#include "vault/key_slot.h"
#include "vault/vault.h"
#include "vault/vault_log.h"
#include "vault/vault_store.h"

namespace {

using namespace izde;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: %s VAULT PASSPHRASE_FILE [--user U] [--runs R] [--index] [--save N] "
                 "[--old-way]\n",
                 argv[0]);
    return 2;
  }
  if (sodium_init() < 0) return 1;
  const std::string dir = argv[1];
  std::string user = "admin";
  int runs = 3, save_people = 0;
  bool index = false, old_way = false;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--user" && i + 1 < argc)
      user = argv[++i];
    else if (a == "--runs" && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (a == "--save" && i + 1 < argc)
      save_people = std::atoi(argv[++i]);
    else if (a == "--index")
      index = true;
    else if (a == "--old-way")
      old_way = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  std::ifstream in(argv[2], std::ios::binary);
  std::string pass((std::istreambuf_iterator<char>(in)), {});
  while (!pass.empty() && (pass.back() == '\n' || pass.back() == '\r')) pass.pop_back();

  std::vector<double> kdf, unlock, save, lock;
  for (int r = 0; r < runs; ++r) {
    {
      auto store = vault::OpenVaultStore(dir, "", false);
      if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
      auto slot = (*store)->GetKeySlot(user);
      if (!slot.ok() || !*slot) return std::fprintf(stderr, "no slot for %s\n", user.c_str()), 1;
      auto t = Clock::now();
      auto keys = vault::OpenKeySlot(**slot, pass);
      kdf.push_back(Seconds(t));
      if (!keys.ok()) return std::fprintf(stderr, "%s\n", keys.status().message().c_str()), 1;
    }
    if (old_way) {
      auto t = Clock::now();
      auto store = vault::OpenVaultStore(dir, "", false);
      if (!store.ok()) return 1;
      if (Status c = (*store)->CheckIntegrity(); !c.ok())
        return std::fprintf(stderr, "%s\n", c.message().c_str()), 1;
      auto slot = (*store)->GetKeySlot(user);
      if (!slot.ok() || !*slot) return 1;
      auto keys = vault::OpenKeySlot(**slot, pass);
      if (!keys.ok()) return 1;
      auto log = vault::VaultLog::Open(std::filesystem::path(dir) / vault::kLogDir, nullptr,
                                       ledger::Log::Mode::kWritable, false, true);
      if (!log.ok()) return std::fprintf(stderr, "%s\n", log.status().message().c_str()), 1;
      unlock.push_back(Seconds(t));
      auto s = Clock::now();
      if (save_people > 0 && !(*log)->EnsureTips().ok()) return 1;
      save.push_back(Seconds(s));
      lock.push_back(0);
      std::printf(
          "run %d (old way): unlock %.3f s (key slot alone %.3f s), tips for a first "
          "save %.3f s\n",
          r + 1, unlock.back(), kdf.back(), save.back());
      continue;
    }
    vault::VaultOptions o;
    o.search_index = index;
    auto t = Clock::now();
    auto v = vault::Vault::Unlock(dir, user, pass, o);
    if (!v.ok()) return std::fprintf(stderr, "%s\n", v.status().message().c_str()), 1;
    unlock.push_back(Seconds(t));
    const unsigned long long log_size = (*v)->log()->Size();
    double saved = 0;
    if (save_people > 0) {
      std::vector<model::Record> people;
      for (int i = 0; i < save_people; ++i)
        people.push_back(model::Record{"bench-unlock-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(r) + "-" + std::to_string(i),
                                       model::RecordType::kPerson,
                                       {{"names", {{{"text", "Synthetic Person"}}}}}});
      auto s = Clock::now();
      auto n = (*v)->SaveAll(std::move(people));
      if (!n.ok()) return std::fprintf(stderr, "%s\n", n.status().message().c_str()), 1;
      saved = Seconds(s);
    }
    save.push_back(saved);
    const bool whole = (*v)->log()->tips_loaded();
    auto l = Clock::now();
    (*v)->Lock();
    lock.push_back(Seconds(l));
    std::printf(
        "run %d: unlock %.3f s (key slot alone %.3f s), save %d new %.3f s (log read whole "
        "for the tips: %s), lock %.3f s, log size %llu\n",
        r + 1, unlock.back(), kdf.back(), save_people, saved, whole ? "yes" : "no", lock.back(),
        log_size);
  }
  std::printf(
      "median unlock %.3f s, key slot (Argon2id) %.3f s, unlock beyond the key slot %.3f s; "
      "save %.3f s, lock %.3f s\n",
      Median(unlock), Median(kdf), Median(unlock) - Median(kdf), Median(save), Median(lock));
  sodium_memzero(pass.data(), pass.size());
  return 0;
}
