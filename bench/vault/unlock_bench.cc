// Unlocks an existing vault the way a command that searches nothing does (`izde link`,
// `izde backup`: VaultOptions::search_index = false) and reports how long it took, with
// the passphrase's key derivation (Argon2id, deliberate) measured apart on the same slot.
// Usage: bench_unlock VAULT PASSPHRASE_FILE [--user U] [--runs R] [--index]
// Run it on a copy: an unlock may complete a log left behind by a crash.
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "ledger/log.h"
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
    std::fprintf(stderr, "usage: %s VAULT PASSPHRASE_FILE [--user U] [--runs R] [--index]\n",
                 argv[0]);
    return 2;
  }
  if (sodium_init() < 0) return 1;
  const std::string dir = argv[1];
  std::string user = "admin";
  int runs = 3;
  bool index = false;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--user" && i + 1 < argc)
      user = argv[++i];
    else if (a == "--runs" && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (a == "--index")
      index = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  std::ifstream in(argv[2], std::ios::binary);
  std::string pass((std::istreambuf_iterator<char>(in)), {});
  while (!pass.empty() && (pass.back() == '\n' || pass.back() == '\r')) pass.pop_back();

  {
    // The parts, one by one, as Unlock runs them (read-only where Unlock may write).
    auto t = Clock::now();
    auto store = vault::OpenVaultStore(dir, "", false);
    if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
    std::printf("parts: open the store %.3f s", Seconds(t));
    t = Clock::now();
    auto expected = vault::ReadExpectedLogSize(**store);
    std::printf(", log.size %.3f s", Seconds(t));
    t = Clock::now();
    auto log = vault::VaultLog::Open(std::filesystem::path(dir) / vault::kLogDir, nullptr,
                                     ledger::Log::Mode::kReadOnly, false, true);
    if (!log.ok()) return std::fprintf(stderr, "%s\n", log.status().message().c_str()), 1;
    std::printf(", open the log %.3f s", Seconds(t));
    t = Clock::now();
    auto tips = (*log)->EnsureTips();
    std::printf(", its tips %.3f s", Seconds(t));
    t = Clock::now();
    auto cp = (*log)->LatestCheckpoint();
    std::printf(", checkpoint %.3f s (log %llu, expected %llu)\n", Seconds(t),
                static_cast<unsigned long long>((*log)->Size()),
                static_cast<unsigned long long>(expected.ok() ? *expected : 0));
  }
  std::vector<double> kdf, unlock;
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
    vault::VaultOptions o;
    o.search_index = index;
    auto t = Clock::now();
    auto v = vault::Vault::Unlock(dir, user, pass, o);
    if (!v.ok()) return std::fprintf(stderr, "%s\n", v.status().message().c_str()), 1;
    unlock.push_back(Seconds(t));
    const unsigned long long log_size = (*v)->log()->Size();
    auto l = Clock::now();
    (*v)->Lock();
    std::printf("run %d: unlock %.3f s (key slot alone %.3f s), lock %.3f s, log size %llu\n",
                r + 1, unlock.back(), kdf.back(), Seconds(l), log_size);
  }
  std::printf(
      "median unlock %.3f s, key slot (Argon2id) %.3f s, unlock beyond the key slot %.3f s\n",
      Median(unlock), Median(kdf), Median(unlock) - Median(kdf));
  sodium_memzero(pass.data(), pass.size());
  return 0;
}
