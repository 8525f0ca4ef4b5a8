#include "identity/link_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>

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
  const size_t first = std::min(n, std::max(kFirstBatch, n / kSteps));
  link::Linker linker = link::Linker::Build(Slice(raw, 0, first), lo);
  if (progress) progress(first, n);
  const size_t step = std::max<size_t>(1, (n - first + kSteps - 1) / kSteps);
  for (size_t from = first; from < n; from += step) {
    const size_t to = std::min(n, from + step);
    linker.Add(Slice(raw, from, to));
    if (progress) progress(to, n);
  }
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
  for (const link::ScoredPair& p : linker.pairs()) {
    const double score =
        model.Score(schema, p.levels, &prepared.values[p.a * nf], &prepared.values[p.b * nf]);
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
  report.seconds_save = Since(t);
  return report;
}

}  // namespace izde::identity
