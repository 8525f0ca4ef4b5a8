// `izde publish` on a synthetic vault (src/demo): the whole step (consented bundle,
// verification, site, open files, search index) against a baseline measured in the same
// run: `izde publish-bundle` alone (building and writing the proof bundle that the site
// embeds). Synthetic records only.
//   bench_publish [--people N] [--dir D] [--runs R] [--keep]
// With --keep the vault and the last site stay in D for search_bench.mjs.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "demo/synthetic_people.h"
#include "publish/publish_vault.h"

namespace {

namespace fs = std::filesystem;
using namespace izde;
constexpr const char* kPass = "benchmark passphrase, synthetic data";

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.message().c_str());
    std::exit(1);
  }
}

std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string one;
  f >> one;
  return one;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines as they come, even into a file
  size_t people = 100000, runs = 3;
  std::string dir = "/tmp/izde-publish-bench";
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--people") && i + 1 < argc) people = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--keep")) keep = true;
  }
  const fs::path root(dir), vault_dir = root / "vault", site = root / "site";
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  if (!fs::exists(vault_dir / vault::kMarkerFile)) {
    fs::remove_all(root);
    fs::create_directories(root);
    Check(vault::Vault::Create(vault_dir.string(), "admin", kPass, o), "create");
    auto v = vault::Vault::Unlock(vault_dir.string(), "admin", kPass, o);
    Check(v.status(), "unlock");
    auto records = demo::SyntheticVault({people, 1, true});
    auto t = std::chrono::steady_clock::now();
    for (size_t at = 0; at < records.size(); at += 20000) {
      std::vector<model::Record> batch(records.begin() + at,
                                       records.begin() + std::min(records.size(), at + 20000));
      Check((*v)->SaveAll(std::move(batch)).status(), "save");
    }
    Check((*v)->Checkpoint().status(), "checkpoint");
    std::printf("vault: %zu people, %zu records saved in %.1f s\n", people, records.size(),
                Seconds(t));
  }
  auto v = vault::Vault::Unlock(vault_dir.string(), "admin", kPass, o);
  Check(v.status(), "unlock");
  const publish::Policy policy = publish::DefaultPolicy();

  std::vector<double> baseline, full;
  publish::PublishResult last;
  size_t bundle_bytes = 0;
  for (size_t r = 0; r < runs; ++r) {
    auto t = std::chrono::steady_clock::now();
    auto bundle = vault::BuildPublicBundle(**v, publish::PublicationOptionsOf(policy));
    Check(bundle.status(), "bundle");
    {
      std::ofstream f(root / "bundle.json", std::ios::binary);
      std::string text = bundle->Format();
      bundle_bytes = text.size();
      f << text;
    }
    baseline.push_back(Seconds(t));
    fs::remove(root / "bundle.json");

    t = std::chrono::steady_clock::now();
    publish::SiteOptions site_options;
    site_options.delete_previous_in_background = true;  // as `izde publish` does
    auto res = publish::PublishVault(**v, policy, site.string(), site_options);
    Check(res.status(), "publish");
    full.push_back(Seconds(t));
    last = *res;
    std::printf("run %zu: publish-bundle %.2f s, izde publish %.2f s (load %s)\n  steps:", r + 1,
                baseline.back(), full.back(), LoadAverage().c_str());
    for (const auto& p : res->site.phases)
      std::printf("\n    %s%s %.2f s (CPU %.2f s)", p.within ? "  · " : "", p.name.c_str(), p.wall,
                  p.cpu);
    std::printf("\n");
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "\npeople in vault %zu, published people %zu, published records %zu (all verified)\n"
      "files %zu, bytes %.1f MB (bundle %.1f MB), index: %zu terms, %zu keys, %.1f MB\n"
      "median of %zu: izde publish %.2f s; baseline publish-bundle %.2f s; ratio %.2f\n"
      "peak resident memory %.0f MB\n",
      people, last.site.people, last.site.records, last.site.files, last.site.bytes / 1e6,
      bundle_bytes / 1e6, last.site.index_terms, last.site.index_keys, last.site.index_bytes / 1e6,
      runs, Median(full), Median(baseline), Median(full) / Median(baseline), ru.ru_maxrss / 1024.0);
  if (!keep) fs::remove_all(root);
  return 0;
}
