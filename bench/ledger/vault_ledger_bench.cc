// The ledger inside a vault: `izde verify --vault` over many versions (CheckEverything,
// what the command runs), and `izde verify` of a public bundle (Bundle::Parse +
// VerifyBundle). Synthetic records only.
//   bench_vault_ledger [--versions N] [--bundle-records M]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "ledger/bundle.h"
#include "vault/publication.h"
#include "vault/vault.h"

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

std::unique_ptr<vault::Vault> MakeVault(const fs::path& dir) {
  fs::remove_all(dir);
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  Check(vault::Vault::Create(dir.string(), "admin", kPass, o), "create");
  auto v = vault::Vault::Unlock(dir.string(), "admin", kPass, o);
  Check(v.status(), "unlock");
  return std::move(v).value();
}

model::Record Person(size_t i, int edit) {
  model::Record r{"P-" + std::to_string(i), model::RecordType::kPerson, {}};
  r.doc["names"] = {{{"text", "Synthetic Person " + std::to_string(i)}, {"part", "full"}}};
  r.doc["gender"] = i % 2 ? "female" : "male";
  r.doc["birth_date"] = std::to_string(1940 + i % 60);
  r.doc["hometown"] = "Synthetic Town " + std::to_string(i % 97);
  if (edit) r.doc["notes"] = "synthetic edit " + std::to_string(edit);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  size_t versions = 100000, bundle_records = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--versions")) versions = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--bundle-records"))
      bundle_records = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const fs::path root = fs::temp_directory_path() / "izde-bench-vault-ledger";

  // 1. verify --vault: people with two versions each.
  {
    auto v = MakeVault(root / "verify");
    const size_t people = versions / 2;
    auto t = std::chrono::steady_clock::now();
    for (int edit = 0; edit < 2; ++edit)
      for (size_t start = 0; start < people; start += 10000) {
        std::vector<model::Record> batch;
        for (size_t i = start; i < std::min(people, start + 10000); ++i)
          batch.push_back(Person(i, edit));
        Check(v->SaveAll(std::move(batch)).status(), "save");
      }
    std::printf("saved %zu versions (with log leaves) in %.2f s: %.0f versions/s\n", 2 * people,
                Seconds(t), 2 * people / Seconds(t));
    v.reset();
    vault::VaultOptions o;
    o.kdf = vault::KdfCost::kTestOnlyMinimum;
    o.inspect_only = true;
    t = std::chrono::steady_clock::now();
    auto u = vault::Vault::Unlock((root / "verify").string(), "admin", kPass, o);
    Check(u.status(), "unlock for verify");
    auto check = (*u)->CheckEverything();
    Check(check.status(), "verify");
    const double s = Seconds(t);
    std::printf(
        "verify --vault: %llu versions, %llu log entries, %llu checkpoints, %zu problems: %.2f s "
        "(%.0f versions/s; 1,000,000 versions at this rate: %.0f s)\n",
        static_cast<unsigned long long>(check->versions),
        static_cast<unsigned long long>(check->log_entries),
        static_cast<unsigned long long>(check->checkpoints), check->problems.size(), s,
        check->versions / s, 1e6 / (check->versions / s));
  }

  // 2. verify BUNDLE: half testimonies consenting to names, half the people they name.
  {
    auto v = MakeVault(root / "bundle");
    std::vector<model::Record> batch;
    for (size_t i = 0; i < bundle_records / 2; ++i) {
      batch.push_back(Person(i, 0));
      model::Record t{"T-" + std::to_string(i), model::RecordType::kTestimony, {}};
      t.doc["people"] = {"P-" + std::to_string(i)};
      t.doc["transcript"] = "synthetic testimony " + std::to_string(i);
      t.doc["consent"] = {{"name", true}, {"testimony_text", true}};
      batch.push_back(std::move(t));
    }
    Check(v->SaveAll(std::move(batch)).status(), "save");
    auto t = std::chrono::steady_clock::now();
    auto bundle = vault::BuildPublicBundle(*v);
    Check(bundle.status(), "bundle");
    const std::string text = bundle->Format();
    std::printf("publish-bundle: %zu records, %.1f MB in %.2f s\n", bundle->records.size(),
                text.size() / 1e6, Seconds(t));
    auto key = ledger::NoteVerifier::Parse(bundle->log_key);
    t = std::chrono::steady_clock::now();
    auto parsed = ledger::Bundle::Parse(text);
    Check(parsed.status(), "parse");
    auto checked = ledger::VerifyBundle(*parsed, {*key, "", {}, 0});
    Check(checked.status(), "verify bundle");
    std::printf("verify BUNDLE: %zu records, %zu revealed fields: %.3f s (target <= 2 s)\n",
                checked->records, checked->revealed_fields, Seconds(t));
  }
  fs::remove_all(root);
  return 0;
}
