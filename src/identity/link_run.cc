#include "identity/link_run.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "identity/identity_clusters.h"
#include "identity/inquiries.h"
#include "identity/person_fields.h"
#include "identity/review_queue_record.h"
#include "identity/vault_view.h"
#include "link/constraints.h"
#include "link/linker.h"

namespace izde::identity {
namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The first batch must be large enough for the model's estimation (which samples about
// 20,000 records); the rest is linked in steps so progress can be shown.
constexpr size_t kFirstBatch = 20000;
// The sealed vault setting that keeps the linker's state between runs.
constexpr const char* kStateSetting = "link-state";
constexpr size_t kSteps = 20;

link::RawRecords Slice(const link::RawRecords& all, size_t from, size_t to) {
  link::RawRecords part;
  part.schema = all.schema;
  part.ids.assign(all.ids.begin() + static_cast<std::ptrdiff_t>(from),
                  all.ids.begin() + static_cast<std::ptrdiff_t>(to));
  part.values.assign(all.values.begin() + static_cast<std::ptrdiff_t>(from),
                     all.values.begin() + static_cast<std::ptrdiff_t>(to));
  return part;
}

}  // namespace

Result<LinkRunReport> LinkVault(vault::Vault& vault, const LinkRunOptions& options,
                                const vault::Progress& progress) {
  if (options.threads < 1) return Status::InvalidInput("--threads must be at least 1");
  if (!(options.queue_floor > 0 && options.queue_floor < 1))
    return Status::InvalidInput("the queue floor must be a probability between 0 and 1");
  LinkRunReport report;
  auto t = std::chrono::steady_clock::now();
  IZDE_ASSIGN_OR_RETURN(VaultView view, VaultView::Read(vault));
  report.seconds_read = Since(t);
  t = std::chrono::steady_clock::now();
  const size_t n = view.people.size();
  report.people = n;
  if (n < 2)
    return Status::InvalidInput("the vault holds " + std::to_string(n) +
                                " people; linking needs at least two (izde add person, izde "
                                "import)");
  link::RawRecords raw;
  raw.schema = PersonLinkSchema();
  raw.ids.reserve(n);
  raw.values.reserve(n);
  for (const auto& [id, v] : view.people) {
    raw.ids.push_back(id);
    raw.values.push_back(PersonLinkValues(v.record.doc));
  }
  link::LinkOptions lo;
  lo.threads = options.threads;
  lo.pair_floor = std::min(lo.pair_floor, options.queue_floor);
  // The state of the previous run, when every person in it is still here unchanged
  // (and it was linked with this run's queue floor): then only the new people are
  // linked. A user without the witness key has a state of their own, so that the
  // witness tier's names never reach theirs.
  const vault::UnlockedKeys* keys = vault.KeysForRecovery();
  const std::string setting =
      keys && keys->witness ? std::string(kStateSetting) + ".witness" : std::string(kStateSetting);
  std::optional<link::Linker> loaded;
  link::RawRecords fresh;
  fresh.schema = raw.schema;
  {
    auto saved = vault.GetSealedSetting(setting);
    if (!saved.ok()) {
      report.full_run_reason =
          "the saved link state could not be read: " + saved.status().message();
    } else if (!*saved) {
      report.full_run_reason = "no saved link state";
    } else {
      auto l =
          link::Linker::LoadState(std::move(**saved), options.threads, "the vault's link state");
      if (!l.ok()) {
        report.full_run_reason = l.status().message();
      } else if (l->options().pair_floor > lo.pair_floor) {
        report.full_run_reason = "the queue floor is lower than the saved state's";
      } else {
        std::unordered_map<std::string_view, size_t> row;
        for (size_t i = 0; i < n; ++i) row.emplace(raw.ids[i], i);
        std::vector<bool> known(n, false);
        for (uint32_t r = 0; r < l->prepared().size() && report.full_run_reason.empty(); ++r) {
          auto it = row.find(l->prepared().ids[r]);
          if (it == row.end())
            report.full_run_reason = "a person linked before is gone";
          else if (l->fingerprint(r) != link::Linker::RawFingerprint(raw.values[it->second]))
            report.full_run_reason = "a person linked before was changed";
          else
            known[it->second] = true;
        }
        if (report.full_run_reason.empty()) {
          for (size_t i = 0; i < n; ++i)
            if (!known[i]) {
              fresh.ids.push_back(raw.ids[i]);
              fresh.values.push_back(raw.values[i]);
            }
          loaded.emplace(std::move(l).value());
        }
      }
    }
  }
  std::optional<link::Linker> built;
  if (loaded) {
    report.from_state = true;
    report.new_people = fresh.ids.size();
    const size_t m = fresh.ids.size();
    const size_t step = std::max<size_t>(1, (m + kSteps - 1) / kSteps);
    for (size_t from = 0; from < m; from += step) {
      const size_t to = std::min(m, from + step);
      loaded->Add(Slice(fresh, from, to));
      if (progress) progress(to, m);
    }
    if (progress && m == 0) progress(n, n);
  } else {
    report.new_people = n;
    const size_t first = std::min(n, std::max(kFirstBatch, n / kSteps));
    built.emplace(link::Linker::Build(Slice(raw, 0, first), lo));
    if (progress) progress(first, n);
    const size_t step = std::max<size_t>(1, (n - first + kSteps - 1) / kSteps);
    for (size_t from = first; from < n; from += step) {
      const size_t to = std::min(n, from + step);
      built->Add(Slice(raw, from, to));
      if (progress) progress(to, n);
    }
  }
  link::Linker& linker = loaded ? *loaded : *built;
  const link::Prepared& prepared = linker.prepared();
  const link::Schema& schema = prepared.schema;
  const size_t nf = schema.fields.size();
  std::unordered_map<std::string, uint32_t> index;
  for (uint32_t i = 0; i < prepared.size(); ++i) index.emplace(prepared.ids[i], i);

  // Reviewer decisions: known matches re-estimate m, known non-matches u.
  link::Model model = linker.model();
  std::vector<link::Levels> same, different;
  for (const auto& [_, d] : view.decisions) {
    auto ia = index.find(d.a), ib = index.find(d.b);
    if (ia == index.end() || ib == index.end() || d.decision == Decision::kUndecided) continue;
    (d.decision == Decision::kSame ? same : different)
        .push_back(link::CompareRecords(prepared, ia->second, ib->second));
  }
  report.decisions_used = same.size() + different.size();
  if (report.decisions_used > 0) link::UpdateFromDecisions(model, schema, same, different);

  ReviewQueueRecord queue;
  for (const auto& f : schema.fields) queue.fields.push_back(f.name);
  for (size_t f = 0; f < nf; ++f) {
    std::vector<double> w;
    for (int l = 0; l < link::LevelCount(schema.fields[f].comparator); ++l)
      w.push_back(model.Weight(f, static_cast<uint8_t>(l)));
    queue.weights.push_back(std::move(w));
  }
  queue.prior = model.prior;
  queue.people = n;
  queue.comparisons = linker.stats().comparisons;
  report.comparisons = queue.comparisons;
  const bool summarized = prepared.summaries.size() == prepared.values.size();
  for (const link::ScoredPair& p : linker.pairs()) {
    // From the summaries (the same term shares as the values): values of records read
    // from the saved state are decoded only when something needs them.
    const double score = summarized ? model.Score(schema, p.levels, &prepared.summaries[p.a * nf],
                                                  &prepared.summaries[p.b * nf])
                                    : model.Score(schema, p.levels, &prepared.values[p.a * nf],
                                                  &prepared.values[p.b * nf]);
    const double probability = link::Probability(score);
    if (probability < options.queue_floor) continue;
    const std::string &a = prepared.ids[p.a], &b = prepared.ids[p.b];
    if (link::Constraints::ConflictingIds(prepared, p.a, prepared, p.b) ||
        view.relatives.count(PairKey(a, b))) {
      ++report.held_apart;
      continue;
    }
    QueuedPair q;
    q.a = std::min(a, b);
    q.b = std::max(a, b);
    q.probability = probability;
    q.levels.assign(p.levels.begin(), p.levels.begin() + static_cast<std::ptrdiff_t>(nf));
    queue.pairs.push_back(std::move(q));
  }
  std::sort(queue.pairs.begin(), queue.pairs.end(), [](const QueuedPair& x, const QueuedPair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  report.queued = queue.pairs.size();
  report.seconds_link = Since(t);

  t = std::chrono::steady_clock::now();
  const IdentityClusters clusters = IdentityClusters::Build(view.PersonIds(), view.DecisionList());
  std::vector<model::Record> to_save = {ToRecord(queue)};
  std::vector<model::Record> notices =
      RefreshNotices(view, queue, clusters, options.notice_probability);
  report.notices = notices.size();
  for (auto& r : notices) to_save.push_back(std::move(r));
  IZDE_RETURN_IF_ERROR(vault.SaveAll(std::move(to_save)).status());
  {
    std::string state = linker.SaveState();
    Status s = vault.PutSealedSetting(setting, state);
    sodium_memzero(state.data(), state.size());
    IZDE_RETURN_IF_ERROR(s);
  }
  report.seconds_save = Since(t);
  return report;
}

}  // namespace izde::identity
