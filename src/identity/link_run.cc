#include "identity/link_run.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <set>
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

// What a saved state says it has seen (a sealed setting beside it, JSON): the vault's
// change number when the run that saved it started reading, the vault's id, how many
// records the state holds, and the sought people (read again by every run, since the
// notices are theirs).
std::string DeltasSetting(const std::string& setting) { return setting + ".deltas"; }
std::string SeenSetting(const std::string& setting) { return setting + ".seen"; }

// The deltas setting: { u64le length, delta }*.
bool SplitDeltas(std::string_view blob, std::vector<std::string>& out) {
  while (!blob.empty()) {
    if (blob.size() < 8) return false;
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t{static_cast<uint8_t>(blob[i])} << (8 * i);
    blob.remove_prefix(8);
    if (n > blob.size()) return false;
    out.emplace_back(blob.substr(0, n));
    blob.remove_prefix(n);
  }
  return true;
}

void AppendDelta(std::string& blob, std::string_view delta) {
  const uint64_t n = delta.size();
  for (int i = 0; i < 8; ++i) blob += static_cast<char>((n >> (8 * i)) & 0xff);
  blob.append(delta);
}

void Wipe(std::string& s) { sodium_memzero(s.data(), s.size()); }

struct Saved {
  std::optional<link::Linker> linker;
  std::string deltas;  // the deltas setting as read
  size_t base_size = 0;
  nlohmann::json seen;  // null when absent or unreadable
};

// The saved state: base, deltas and what it has seen. A problem is said in `why` (the
// run then links everyone).
Saved ReadSaved(vault::Vault& vault, const std::string& setting, int threads, std::string& why) {
  Saved out;
  auto base = vault.GetSealedSetting(setting);
  if (!base.ok()) {
    why = "the saved link state could not be read: " + base.status().message();
    return out;
  }
  if (!*base) {
    why = "no saved link state";
    return out;
  }
  out.base_size = (*base)->size();
  std::vector<std::string> deltas;
  auto blob = vault.GetSealedSetting(DeltasSetting(setting));
  if (!blob.ok()) {
    Wipe(**base);
    why = "the saved link state's later parts could not be read: " + blob.status().message();
    return out;
  }
  if (*blob) {
    out.deltas = std::move(**blob);
    if (!SplitDeltas(out.deltas, deltas)) {
      Wipe(**base);
      Wipe(out.deltas);
      why = "the saved link state's later parts are damaged";
      return out;
    }
  }
  auto l = link::Linker::LoadState(std::move(**base), std::move(deltas), threads,
                                   "the vault's link state");
  Wipe(**base);
  if (!l.ok()) {
    why = l.status().message();
    return out;
  }
  out.linker.emplace(std::move(l).value());
  auto seen = vault.GetSealedSetting(SeenSetting(setting));
  if (seen.ok() && *seen) {
    auto j = nlohmann::json::parse(**seen, nullptr, false);
    if (!j.is_discarded() && j.is_object()) out.seen = std::move(j);
  }
  return out;
}

// What linking needs when the saved state has seen the vault up to change `since`:
// every record that is not a person (relations, testimonies, events, decisions,
// notices, sources: the view's other parts, but not the review queue), the people
// written since, and the sought people. Every other person stays sealed.
Status ReadChanges(vault::Vault& vault, int64_t since, const std::vector<std::string>& sought,
                   VaultView& view, size_t& people_read) {
  std::set<std::string> people(sought.begin(), sought.end());
  IZDE_RETURN_IF_ERROR(vault.store()->ChangesSince(since, [&](const std::string& id, int64_t) {
    people.insert(id);
    return Status::Ok();
  }));
  using model::RecordType;
  std::vector<std::string> types;
  // Not the review queue: this run writes it anew, and it is the largest record of all.
  people.erase(kQueueRecordId);
  for (RecordType t : {RecordType::kRelation, RecordType::kTestimony, RecordType::kEvent,
                       RecordType::kLink, RecordType::kNotice, RecordType::kSource})
    types.emplace_back(model::TypeName(t));
  std::vector<std::string> others;
  IZDE_RETURN_IF_ERROR(vault.store()->ScanLatestOfTypes(types, [&](const store::StoredVersion& v) {
    others.push_back(v.record_id);
    return Status::Ok();
  }));
  auto read = [&](const std::string& id, bool person) -> Status {
    auto v = vault.Get(id);
    // The witness tier without its key: not this user's to link, as in Vault::ForEach.
    if (v.status().code() == Status::Code::kPermissionDenied) return Status::Ok();
    if (!v.ok()) return v.status();
    if ((v->record.type == RecordType::kPerson) != person) return Status::Ok();
    if (person) ++people_read;
    return view.Add(*v);
  };
  for (const auto& id : others) {
    people.erase(id);
    IZDE_RETURN_IF_ERROR(read(id, false));
  }
  for (const auto& id : people) IZDE_RETURN_IF_ERROR(read(id, true));
  view.Finish();
  return Status::Ok();
}

}  // namespace

Result<LinkRunReport> LinkVault(vault::Vault& vault, const LinkRunOptions& options,
                                const vault::Progress& progress) {
  if (options.threads < 1) return Status::InvalidInput("--threads must be at least 1");
  if (!(options.queue_floor > 0 && options.queue_floor < 1))
    return Status::InvalidInput("the queue floor must be a probability between 0 and 1");
  if (!vault.store()) return Status::InvalidInput("the vault is locked");
  LinkRunReport report;
  auto t = std::chrono::steady_clock::now();
  link::LinkOptions lo;
  lo.threads = options.threads;
  lo.pair_floor = std::min(lo.pair_floor, options.queue_floor);
  // A user without the witness key has a state of their own, so that the witness
  // tier's names never reach theirs.
  const vault::UnlockedKeys* keys = vault.KeysForRecovery();
  const std::string setting =
      keys && keys->witness ? std::string(kStateSetting) + ".witness" : std::string(kStateSetting);
  // The change number before anything is read: what is written while this run reads
  // is read again by the next run (reading a person twice is harmless).
  IZDE_ASSIGN_OR_RETURN(const int64_t change, vault.store()->LastChange());
  std::string vault_id;
  if (auto id = vault.store()->GetSetting(vault::kVaultIdSetting); id.ok() && *id)
    vault_id.assign((*id)->begin(), (*id)->end());
  // The state of the previous run, when every person in it is still here unchanged
  // (and it was linked with this run's queue floor): then only the new people are
  // linked, and when it says which change of the vault it has seen, only the records
  // written since are read.
  Saved saved = ReadSaved(vault, setting, options.threads, report.full_run_reason);
  if (saved.linker && saved.linker->options().pair_floor > lo.pair_floor) {
    report.full_run_reason = "the queue floor is lower than the saved state's";
    saved.linker.reset();
  }
  VaultView view;
  if (saved.linker && saved.seen.is_object()) {
    const int64_t seen = saved.seen.value("change", int64_t{-1});
    if (saved.seen.value("vault", std::string()) != vault_id) {
      report.full_run_reason = "the saved link state was made in another vault";
      saved.linker.reset();
    } else if (seen > change) {
      report.full_run_reason =
          "the vault has fewer changes than when the link state was saved (restored from a "
          "backup?)";
      saved.linker.reset();
    } else if (seen >= 0 &&
               saved.seen.value("records", uint64_t{0}) == saved.linker->prepared().size()) {
      std::vector<std::string> sought;
      if (saved.seen.contains("sought") && saved.seen["sought"].is_array())
        for (const auto& x : saved.seen["sought"])
          if (x.is_string()) sought.push_back(x.get<std::string>());
      IZDE_RETURN_IF_ERROR(ReadChanges(vault, seen, sought, view, report.people_read));
      report.changes_only = true;
    }
  }
  if (!report.changes_only) {
    IZDE_ASSIGN_OR_RETURN(view, VaultView::Read(vault));
    report.people_read = view.people.size();
  }
  report.seconds_read = Since(t);
  t = std::chrono::steady_clock::now();
  link::RawRecords raw;
  raw.schema = PersonLinkSchema();
  auto take_people = [&] {
    raw.ids.clear();
    raw.values.clear();
    raw.ids.reserve(view.people.size());
    raw.values.reserve(view.people.size());
    for (const auto& [id, v] : view.people) {
      raw.ids.push_back(id);
      raw.values.push_back(PersonLinkValues(v.record.doc));
    }
  };
  take_people();
  std::optional<link::Linker> loaded;
  link::RawRecords fresh;
  fresh.schema = raw.schema;
  if (saved.linker) {
    link::Linker& l = *saved.linker;
    const size_t m = raw.ids.size();
    std::unordered_map<std::string_view, size_t> row;
    for (size_t i = 0; i < m; ++i) row.emplace(raw.ids[i], i);
    std::vector<bool> known(m, false);
    for (uint32_t r = 0; r < l.prepared().size() && report.full_run_reason.empty(); ++r) {
      auto it = row.find(l.prepared().ids[r]);
      if (it == row.end()) {
        // Reading only the changes, the people not read are the unchanged ones.
        if (!report.changes_only) report.full_run_reason = "a person linked before is gone";
      } else if (l.fingerprint(r) != link::Linker::RawFingerprint(raw.values[it->second])) {
        report.full_run_reason = "a person linked before was changed";
      } else {
        known[it->second] = true;
      }
    }
    if (report.full_run_reason.empty()) {
      for (size_t i = 0; i < m; ++i)
        if (!known[i]) {
          fresh.ids.push_back(raw.ids[i]);
          fresh.values.push_back(raw.values[i]);
        }
      loaded.emplace(std::move(l));
    }
    saved.linker.reset();
  }
  if (!loaded && report.changes_only) {
    // Everyone is linked again: every person is needed after all.
    t = std::chrono::steady_clock::now();
    IZDE_ASSIGN_OR_RETURN(view, VaultView::Read(vault));
    report.changes_only = false;
    report.people_read += view.people.size();
    report.seconds_read += Since(t);
    take_people();
    t = std::chrono::steady_clock::now();
  }
  const size_t n = loaded ? loaded->prepared().size() + fresh.ids.size() : view.people.size();
  report.people = n;
  if (n < 2)
    return Status::InvalidInput("the vault holds " + std::to_string(n) +
                                " people; linking needs at least two (izde add person, izde "
                                "import)");
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
  // Every person linked is every person in the vault (a person gone makes a full run).
  const IdentityClusters clusters = IdentityClusters::Build(prepared.ids, view.DecisionList());
  // Pairs still waiting for a reviewer, as Review::PendingCount counts them: undecided,
  // in two clusters, and nothing holding the clusters apart (relatives, two valid ID
  // numbers of one kind, a "different" decision between members).
  {
    size_t id_field = nf;
    for (size_t f = 0; f < nf; ++f)
      if (schema.fields[f].comparator == link::Comparator::kIdNumber) id_field = f;
    auto apart = [&](const std::string& a, const std::string& b) {
      const auto ca = clusters.MembersWith(a), cb = clusters.MembersWith(b);
      for (const auto& x : ca)
        for (const auto& y : cb) {
          if (x == y) continue;
          if (view.relatives.count(PairKey(x, y))) return true;
          auto ix = index.find(x), iy = index.find(y);
          if (id_field < nf && ix != index.end() && iy != index.end()) {
            const link::FieldValue &vx = prepared.at(ix->second, id_field),
                                   &vy = prepared.at(iy->second, id_field);
            if (!vx.missing && !vy.missing && vx.id_valid && vy.id_valid &&
                vx.id_kind == vy.id_kind && vx.text != vy.text)
              return true;
          }
          const PairDecision* d = view.DecisionOf(x, y);
          if (d && d->decision == Decision::kDifferent) return true;
        }
      return false;
    };
    for (const auto& p : queue.pairs) {
      const PairDecision* d = view.DecisionOf(p.a, p.b);
      if (d && d->decision != Decision::kUndecided) continue;
      if (clusters.ClusterOf(p.a) == clusters.ClusterOf(p.b)) continue;
      if (apart(p.a, p.b)) continue;
      ++report.pending;
    }
  }
  std::vector<model::Record> to_save = {ToRecord(queue)};
  std::vector<model::Record> notices =
      RefreshNotices(view, queue, clusters, options.notice_probability);
  report.notices = notices.size();
  for (auto& r : notices) to_save.push_back(std::move(r));
  IZDE_RETURN_IF_ERROR(vault.SaveAll(std::move(to_save)).status());
  // The state: what this run changed appended to the deltas when it started from a
  // state (until the deltas pass an eighth of the base), else written whole. Then what
  // it has seen, last: a run that stops between the two leaves a "seen" that does not
  // match the state, and the next run reads everything.
  {
    std::string deltas;
    bool whole = true;
    const bool unchanged = loaded && fresh.ids.empty();  // nothing added: nothing to save
    if (loaded && linker.CanSaveDelta() && !unchanged) {
      std::string delta = linker.SaveDelta();
      // Deltas are decoded whole at every run: kept while small beside the base.
      if (saved.deltas.size() + delta.size() <= std::max<size_t>(saved.base_size / 8, 1 << 20)) {
        deltas = std::move(saved.deltas);
        AppendDelta(deltas, delta);
        whole = false;
      }
      Wipe(delta);
    }
    Wipe(saved.deltas);
    Status s;
    if (unchanged) {
      // The state as it was.
    } else if (whole) {
      std::string state = linker.SaveState();
      s = vault.PutSealedSetting(setting, state);
      Wipe(state);
      if (s.ok()) s = vault.PutSealedSetting(DeltasSetting(setting), "");
    } else {
      s = vault.PutSealedSetting(DeltasSetting(setting), deltas);
      report.state_appended = true;
    }
    Wipe(deltas);
    IZDE_RETURN_IF_ERROR(s);
    nlohmann::json seen = {{"change", change}, {"vault", vault_id}, {"records", prepared.size()}};
    nlohmann::json sought = nlohmann::json::array();
    for (const auto& [id, _] : view.people)
      if (view.IsSought(id)) sought.push_back(id);
    seen["sought"] = std::move(sought);
    IZDE_RETURN_IF_ERROR(vault.PutSealedSetting(SeenSetting(setting), seen.dump()));
  }
  report.seconds_save = Since(t);
  return report;
}

}  // namespace izde::identity
