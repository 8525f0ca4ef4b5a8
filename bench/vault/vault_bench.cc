// Whole-vault benchmarks for the foundation issue, each against a baseline
// measured in the same run:
//   import    100,000 person CSV rows into a fresh vault, sealed (XChaCha20-
//             Poly1305) against the same import with a pass-through cipher
//             that exists only in this file;
//   unlock    Argon2id (moderate) + decrypt every record + build the search
//             index, for a vault of N people with their testimonies;
//   search    latency percentiles of `Vault::Search` on that vault.
// Usage: bench_vault [--people N] [--rows N] [--runs R] [--dir D]
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>

#include "csv/csv_reader.h"
#include "csv/csv_writer.h"
#include "demo/synthetic_people.h"
#include "intake/person_csv.h"
#include "model/text.h"
#include "names/search_keys.h"
#include "vault/vault.h"

namespace {

using namespace izde;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Copies plaintext through unchanged: the cost of the import without sealing.
class PassThroughCipher : public vault::FieldCipher {
 public:
  void Seal(const uint8_t*, std::string_view plain, std::string_view, vault::Bytes& out,
            const uint8_t*) const override {
    out.insert(out.end(), plain.begin(), plain.end());
  }
  Status Open(const uint8_t*, const uint8_t* sealed, size_t size, std::string_view,
              std::string& plain) const override {
    plain.assign(reinterpret_cast<const char*>(sealed), size);
    return Status::Ok();
  }
  Status OpenKey(const uint8_t*, const uint8_t* sealed, size_t size, std::string_view,
                 uint8_t* key) const override {
    std::memcpy(key, sealed, std::min(size, vault::SecretKey::kSize));
    return Status::Ok();
  }
};

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.message().c_str());
    std::exit(1);
  }
}

constexpr const char* kPass = "benchmark passphrase";

std::string PeopleCsv(size_t rows) {
  auto records = demo::SyntheticVault({.people = rows, .seed = 11, .testimonies = false});
  std::ostringstream out;
  csv::Writer w(out, "people.csv");
  Check(w.WriteRow(intake::PersonCsvColumns()), "csv");
  for (const auto& r : records)
    if (r.type == model::RecordType::kPerson) Check(w.WriteRow(intake::PersonCsvRow(r)), "csv");
  return out.str();
}

// One import of the whole CSV text into a new vault; returns rows/s.
double ImportOnce(const std::string& csv_text, const fs::path& dir,
                  const vault::FieldCipher* cipher, size_t rows) {
  fs::remove_all(dir);
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  o.cipher = cipher;
  o.name_keys = [](std::string_view n) { return names::SearchKeys(n); };
  Check(vault::Vault::Create(dir.string(), "admin", kPass, o), "create");
  auto v = vault::Vault::Unlock(dir.string(), "admin", kPass, o);
  Check(v.status(), "unlock");
  auto start = Clock::now();
  std::istringstream in(csv_text);
  auto reader = csv::Reader::FromStream(in, "people.csv");
  auto people = intake::ReadPersonCsv(reader, false);
  Check(people.status(), "read");
  auto saved = (*v)->SaveAll(std::move(people->people));
  Check(saved.status(), "save");
  return static_cast<double>(rows) / Seconds(start);
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  size_t people = 100000, rows = 100000;
  int runs = 3;
  int import_runs = -1;  // default: same as --runs
  fs::path dir = fs::temp_directory_path() / "izde-bench-vault";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--people") people = std::stoul(argv[i + 1]);
    if (a == "--rows") rows = std::stoul(argv[i + 1]);
    if (a == "--runs") runs = std::stoi(argv[i + 1]);
    if (a == "--dir") dir = argv[i + 1];
    if (a == "--import-runs") import_runs = std::stoi(argv[i + 1]);
  }
  fs::create_directories(dir);

  // Import: sealed against pass-through, alternating so drift hits both.
  if (import_runs < 0) import_runs = runs;
  std::string csv_text = PeopleCsv(rows);
  PassThroughCipher plain;
  std::vector<double> sealed_rates, plain_rates;
  for (int r = 0; r < import_runs; ++r) {
    sealed_rates.push_back(ImportOnce(csv_text, dir / "import", nullptr, rows));
    plain_rates.push_back(ImportOnce(csv_text, dir / "import", &plain, rows));
  }
  if (import_runs > 0) {
    double sealed = Median(sealed_rates), unsealed = Median(plain_rates);
    std::printf("import %zu person rows (median of %d)\n", rows, import_runs);
    std::printf("  sealed        %9.0f rows/s\n", sealed);
    std::printf("  pass-through  %9.0f rows/s   (baseline)\n", unsealed);
    std::printf("  sealing costs %5.1f%% of the import time\n", 100.0 * (unsealed / sealed - 1.0));
  }

  // Unlock a vault of `people` people with testimonies, witnesses, events.
  fs::path big = dir / "unlock";
  fs::remove_all(big);
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kModerate;
  o.name_keys = [](std::string_view n) { return names::SearchKeys(n); };
  Check(vault::Vault::Create(big.string(), "admin", kPass, o), "create");
  auto records = demo::SyntheticVault({.people = people, .seed = 5});
  size_t total = records.size();
  {
    auto v = vault::Vault::Unlock(big.string(), "admin", kPass, o);
    Check(v.status(), "unlock");
    Check((*v)->SaveAll(std::move(records)).status(), "fill");
  }
  // Cold: no index cache, every searchable record is decrypted and indexed.
  // Warm: the sealed index cache written at the last lock is loaded instead.
  std::vector<double> cold_s, warm_s, kdf_s;
  std::unique_ptr<vault::Vault> v;
  for (int r = 0; r < runs; ++r) {
    for (bool cold : {true, false}) {
      v.reset();  // locking writes the cache when it is missing
      if (cold) fs::remove(big / "index.cache");
      auto start = Clock::now();
      auto u = vault::Vault::Unlock(big.string(), "admin", kPass, o);
      Check(u.status(), "unlock");
      (cold ? cold_s : warm_s).push_back(Seconds(start));
      v = std::move(u).value();
    }
    // Baseline: Argon2id at the same cost alone.
    auto k = Clock::now();
    unsigned char key[32], salt[crypto_pwhash_SALTBYTES] = {};
    if (crypto_pwhash(key, sizeof key, kPass, std::strlen(kPass), salt,
                      crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
      return 1;
    kdf_s.push_back(Seconds(k));
  }
  std::printf("unlock %zu people (%zu records) with the search index (median of %d)\n", people,
              total, runs);
  std::printf("  cold (no index cache)   %7.2f s\n", Median(cold_s));
  std::printf("  warm (sealed cache)     %7.2f s\n", Median(warm_s));
  std::printf("  Argon2id only           %7.2f s   (baseline: the passphrase check alone)\n",
              Median(kdf_s));

  // Search latency over queries drawn from the data: names in every script.
  auto sample = demo::SyntheticVault({.people = 2000, .seed = 5, .testimonies = false});
  std::vector<std::string> queries;
  for (const auto& r : sample)
    if (r.type == model::RecordType::kPerson)
      for (const auto& f : r.doc["names"]) queries.push_back(f["text"].get<std::string>());
  std::mt19937 rng(3);
  std::shuffle(queries.begin(), queries.end(), rng);
  queries.resize(std::min<size_t>(queries.size(), 1000));
  std::vector<double> ms;
  std::vector<std::pair<double, std::string>> timed;
  std::map<std::string, std::vector<double>> by_script;
  for (const auto& q : queries) {
    auto start = Clock::now();
    auto hits = v->Search(q, 20);
    Check(hits.status(), "search");
    double t = Seconds(start) * 1000;
    ms.push_back(t);
    timed.emplace_back(t, q + " (" + std::to_string(hits->size()) + " hits)");
    by_script[model::DetectScript(q)].push_back(t);
  }
  auto pct = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
  };
  std::printf("search %zu name queries in every script on that vault\n", ms.size());
  std::printf("  all    p50 %6.2f ms   p95 %6.2f ms   max %6.2f ms\n", pct(ms, 0.5), pct(ms, 0.95),
              pct(ms, 1.0));
  std::sort(timed.rbegin(), timed.rend());
  std::printf("  slowest:");
  for (size_t i = 0; i < 5 && i < timed.size(); ++i)
    std::printf(" %s %.1f ms;", timed[i].second.c_str(), timed[i].first);
  std::printf("\n");
  for (const auto& [script, t] : by_script)
    std::printf("  %-5s  p50 %6.2f ms   p95 %6.2f ms   (%zu queries)\n", script.c_str(),
                pct(t, 0.5), pct(t, 0.95), t.size());
  v.reset();
  fs::remove_all(dir);
  return 0;
}
