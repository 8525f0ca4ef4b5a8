// The foundation's vault benchmarks on PostgreSQL beside SQLite, in the same
// run, alternating engines so that load on the shared machine hits both:
//   import   N person CSV rows into a fresh vault (read, validate, seal, one
//            durable transaction, log, index);
//   unlock   cold (no index cache): read and decrypt every searchable record;
//   search   latency percentiles of Vault::Search over names in every script,
//            with catch_up_ms = 0 (each search first asks the store for its last
//            change number: the multi-server worst case).
// PostgreSQL runs in a throwaway cluster on disk with fsync on, over a unix
// socket; SQLite in WAL mode with synchronous=FULL on the same disk.
// Usage: bench_store [--rows N] [--runs R]
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>

#include "csv/csv_reader.h"
#include "csv/csv_writer.h"
#include "demo/synthetic_people.h"
#include "intake/person_csv.h"
#include "names/search_keys.h"
#include "store/postgresql/test_cluster.h"
#include "vault/vault.h"

namespace {

using namespace izde;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
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

vault::VaultOptions Options(const std::string& store) {
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  o.name_keys = [](std::string_view n) { return names::SearchKeys(n); };
  o.store = store;
  o.catch_up_ms = 0;
  return o;
}

struct Figures {
  std::vector<double> import_rate, unlock_s, search_ms;
};

// One round on one engine: a fresh vault, the import, a cold unlock, searches.
void Round(const std::string& csv_text, size_t rows, const fs::path& dir, const std::string& store,
           const std::vector<std::string>& queries, Figures& f) {
  fs::remove_all(dir);
  Check(vault::Vault::Create(dir.string(), "admin", kPass, Options(store)), "create");
  {
    auto v = vault::Vault::Unlock(dir.string(), "admin", kPass, Options(""));
    Check(v.status(), "unlock");
    auto start = Clock::now();
    std::istringstream in(csv_text);
    auto reader = csv::Reader::FromStream(in, "people.csv");
    auto people = intake::ReadPersonCsv(reader, false);
    Check(people.status(), "read");
    Check((*v)->SaveAll(std::move(people->people)).status(), "save");
    f.import_rate.push_back(static_cast<double>(rows) / Seconds(start));
  }
  fs::remove(dir / "index.cache");
  auto start = Clock::now();
  auto v = vault::Vault::Unlock(dir.string(), "admin", kPass, Options(""));
  Check(v.status(), "unlock");
  f.unlock_s.push_back(Seconds(start));
  for (const auto& q : queries) {
    auto t = Clock::now();
    Check((*v)->Search(q, 20).status(), "search");
    f.search_ms.push_back(Seconds(t) * 1000);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  size_t rows = 20000;
  int runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--rows") rows = std::stoul(argv[i + 1]);
    if (a == "--runs") runs = std::stoi(argv[i + 1]);
  }
  store::ClusterOptions co;
  co.fsync = true;
  auto cluster = store::TestCluster::Start(co);
  Check(cluster.status(), "starting PostgreSQL");
  fs::path dir = fs::temp_directory_path() / ("izde-bench-store-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  std::string csv_text = PeopleCsv(rows);
  auto sample = demo::SyntheticVault({.people = 2000, .seed = 11, .testimonies = false});
  std::vector<std::string> queries;
  for (const auto& r : sample)
    if (r.type == model::RecordType::kPerson)
      for (const auto& n : r.doc["names"]) queries.push_back(n["text"].get<std::string>());
  std::mt19937 rng(3);
  std::shuffle(queries.begin(), queries.end(), rng);
  queries.resize(std::min<size_t>(queries.size(), 500));

  Figures sqlite, pg;
  for (int r = 0; r < runs; ++r) {
    Round(csv_text, rows, dir / "sqlite", "", queries, sqlite);
    auto uri = (*cluster)->CreateDatabase("bench");
    Check(uri.status(), "database");
    Round(csv_text, rows, dir / "pg", *uri, queries, pg);
  }
  fs::remove_all(dir);
  auto line = [](const char* what, double s, double p, const char* unit, bool higher_better) {
    std::printf("  %-28s SQLite %9.2f %-6s PostgreSQL %9.2f %-6s ratio PG/SQLite %.2f%s\n", what, s,
                unit, p, unit, p / s, higher_better ? " (higher is better)" : "");
  };
  std::printf("vault on each engine: %zu person rows, %d runs (medians), %zu searches per run\n",
              rows, runs, queries.size());
  line("import", Median(sqlite.import_rate), Median(pg.import_rate), "rows/s", true);
  line("unlock, cold", Median(sqlite.unlock_s), Median(pg.unlock_s), "s", false);
  line("search p50", Percentile(sqlite.search_ms, 0.5), Percentile(pg.search_ms, 0.5), "ms", false);
  line("search p95", Percentile(sqlite.search_ms, 0.95), Percentile(pg.search_ms, 0.95), "ms",
       false);
  return 0;
}
