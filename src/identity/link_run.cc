#include "identity/link_run.h"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

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
// Parts appended to the review queue before it is scored and written whole again.
constexpr size_t kMaxQueueParts = 64;

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

// The deltas setting has the queue parts' framing: { u64le length, delta }*
// (SplitParts, AppendPart).

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
    std::vector<std::string_view> parts;
    if (!SplitParts(out.deltas, parts)) {
      Wipe(**base);
      Wipe(out.deltas);
      why = "the saved link state's later parts are damaged";
      return out;
    }
    deltas.assign(parts.begin(), parts.end());
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
  const std::string setting = LinkStateSetting(vault);
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
  report.seconds_read_state = Since(t);
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
  // The records and kept pairs the state held before this run: pairs from `old_pairs`
  // on are this run's.
  const size_t old_records = loaded ? loaded->prepared().size() : 0;
  const size_t old_pairs = loaded ? loaded->pairs().size() : 0;
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
  const std::vector<link::ScoredPair>& kept = linker.pairs();

  // The people the decisions and relations name, by record number (only those: a table
  // of every person would be much of a run's time at a million people).
  std::vector<std::pair<std::string, std::string>> relative_pairs;
  for (const auto& key : view.relatives)
    if (auto p = ParsePairKey(key); p.ok()) relative_pairs.push_back(std::move(*p));
  std::unordered_map<std::string_view, uint32_t> index;
  {
    std::unordered_set<std::string_view> wanted;
    for (const auto& [_, d] : view.decisions) {
      wanted.insert(d.a);
      wanted.insert(d.b);
    }
    for (const auto& [a, b] : relative_pairs) {
      wanted.insert(a);
      wanted.insert(b);
    }
    if (!wanted.empty())
      for (uint32_t r = 0; r < prepared.size(); ++r)
        if (wanted.count(prepared.ids[r])) index.emplace(prepared.ids[r], r);
  }
  auto record_of = [&](const std::string& id) -> int64_t {
    auto it = index.find(id);
    return it == index.end() ? int64_t{-1} : static_cast<int64_t>(it->second);
  };

  // Reviewer decisions: known matches re-estimate m, known non-matches u.
  link::Model model = linker.model();
  std::vector<link::Levels> same, different;
  bool decision_on_new = false;  // a decision names someone linked for the first time
  for (const auto& [_, d] : view.decisions) {
    const int64_t ia = record_of(d.a), ib = record_of(d.b);
    if (ia < 0 || ib < 0 || d.decision == Decision::kUndecided) continue;
    if (static_cast<size_t>(std::max(ia, ib)) >= old_records) decision_on_new = true;
    (d.decision == Decision::kSame ? same : different)
        .push_back(
            link::CompareRecords(prepared, static_cast<size_t>(ia), static_cast<size_t>(ib)));
  }
  report.decisions_used = same.size() + different.size();
  if (report.decisions_used > 0) link::UpdateFromDecisions(model, schema, same, different);

  // What the queue's pairs depend on besides the pairs themselves, among the first
  // `limit` records: the model (after the decisions), the floor, the decisions and the
  // relations. When the queue in the vault was scored with the same, over the records
  // the state held before this run, only this run's pairs need scoring.
  auto queue_key = [&](size_t limit) {
    std::vector<std::string> items;
    for (const auto& [key, d] : view.decisions) {
      const int64_t ia = record_of(d.a), ib = record_of(d.b);
      if (d.decision == Decision::kUndecided || ia < 0 || ib < 0 ||
          static_cast<size_t>(std::max(ia, ib)) >= limit)
        continue;
      items.push_back("d " + key + (d.decision == Decision::kSame ? " same" : " different"));
    }
    for (const auto& [a, b] : relative_pairs) {
      const int64_t ia = record_of(a), ib = record_of(b);
      if (ia < 0 || ib < 0 || static_cast<size_t>(std::max(ia, ib)) >= limit) continue;
      items.push_back("r " + PairKey(a, b));
    }
    std::sort(items.begin(), items.end());
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 16);
    auto feed = [&](std::string_view s) {
      uint8_t n[8];
      for (int i = 0; i < 8; ++i) n[i] = static_cast<uint8_t>((uint64_t{s.size()} >> (8 * i)));
      crypto_generichash_update(&st, n, 8);
      crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(s.data()), s.size());
    };
    auto feed_double = [&](double x) {
      const uint64_t b = std::bit_cast<uint64_t>(x);
      feed(std::string_view(reinterpret_cast<const char*>(&b), 8));
    };
    feed("izde review queue key 1");
    feed_double(options.queue_floor);
    feed_double(model.prior);
    for (size_t f = 0; f < nf; ++f) {
      feed(schema.fields[f].name);
      feed(std::to_string(static_cast<int>(schema.fields[f].comparator)) +
           (schema.fields[f].term_frequency ? "t" : "-"));
      if (f < model.fields.size()) {
        for (double m : model.fields[f].m) feed_double(m);
        feed("u");
        for (double u : model.fields[f].u) feed_double(u);
      }
    }
    for (const auto& item : items) feed(item);
    uint8_t out[16];
    crypto_generichash_final(&st, out, sizeof out);
    static const char* hex = "0123456789abcdef";
    std::string key;
    for (uint8_t c : out) {
      key += hex[c >> 4];
      key += hex[c & 15];
    }
    return key;
  };

  // The queue in the vault, and whether this run may add to it rather than score every
  // kept pair again.
  const std::string state_setting = setting;
  std::optional<QueueHead> head;
  std::string old_parts;       // the parts setting, when appending
  bool legacy_record = false;  // a vault from before: the queue is still a record
  {
    auto h = ReadQueueHead(vault, state_setting);
    if (h.ok() && !*h) {
      auto latest = vault.store()->Latest(kQueueRecordId);
      legacy_record = latest.ok() && latest->has_value();
    }
    std::vector<std::string> names;
    for (const auto& f : schema.fields) names.push_back(f.name);
    if (options.rebuild_queue) {
      report.queue_reason = "asked to rebuild the review queue";
    } else if (!h.ok()) {
      report.queue_reason = h.status().message();
    } else if (!*h) {
      report.queue_reason = legacy_record ? "the review queue moves from its vault record into the "
                                            "vault's sealed settings (kept in parts from now on)"
                                          : "no review queue yet";
    } else if (!loaded) {
      report.queue_reason = "everyone was linked again";
    } else if ((*h)->records != old_records || (*h)->fields != names) {
      report.queue_reason = "the review queue does not match the link state";
    } else if (decision_on_new) {
      report.queue_reason = "a decision names someone linked for the first time";
    } else if ((*h)->key != queue_key(old_records)) {
      report.queue_reason =
          "decisions, relations or the model changed since the review queue was scored";
    } else {
      head = std::move(**h);
    }
    if (head && kept.size() > old_pairs) {
      auto blob = vault.GetSealedSetting(QueuePartsSetting(state_setting));
      std::vector<std::string_view> parts;
      if (!head->part_pairs.empty() && (!blob.ok() || !*blob || !SplitParts(**blob, parts) ||
                                        parts.size() < head->part_pairs.size())) {
        report.queue_reason = "the review queue's later parts are damaged";
        head.reset();
      } else if (head->part_pairs.size() >= kMaxQueueParts) {
        report.queue_reason = "the review queue has " + std::to_string(kMaxQueueParts) +
                              " parts: written whole again";
        head.reset();
      } else {
        // Parts after those the head lists are a stopped run's: written over.
        for (size_t i = 0; i < head->part_pairs.size(); ++i) AppendPart(old_parts, parts[i]);
      }
      if (blob.ok() && *blob) Wipe(**blob);
    }
  }
  report.queue_rescored = !head;

  // Scores the kept pairs from `from` on with the model; those at or above the floor that
  // no hard constraint holds apart are queued.
  std::vector<QueueEntry> entries;
  size_t held_apart = 0;
  const bool summarized = prepared.summaries.size() == prepared.values.size();
  const size_t from = head ? old_pairs : 0;
  for (size_t i = from; i < kept.size(); ++i) {
    const link::ScoredPair& p = kept[i];
    // From the summaries (the same term shares as the values): values of records read
    // from the saved state are decoded only when something needs them.
    const double score = summarized ? model.Score(schema, p.levels, &prepared.summaries[p.a * nf],
                                                  &prepared.summaries[p.b * nf])
                                    : model.Score(schema, p.levels, &prepared.values[p.a * nf],
                                                  &prepared.values[p.b * nf]);
    const double probability = link::Probability(score);
    if (probability < options.queue_floor) continue;
    if (link::Constraints::ConflictingIds(prepared, p.a, prepared, p.b) ||
        view.relatives.count(PairKey(prepared.ids[p.a], prepared.ids[p.b]))) {
      ++held_apart;
      continue;
    }
    QueueEntry e;
    e.a = p.a;
    e.b = p.b;
    if (prepared.ids[p.b] < prepared.ids[p.a]) std::swap(e.a, e.b);
    e.probability = probability;
    e.levels = p.levels.data();
    entries.push_back(e);
  }
  report.seconds_link = Since(t);

  t = std::chrono::steady_clock::now();
  // Identity clusters of the people the decisions name (everyone else is alone).
  std::vector<std::string> named;
  for (const auto& [id, _] : index) named.emplace_back(id);
  const IdentityClusters clusters = IdentityClusters::Build(named, view.DecisionList());
  // Pairs still waiting for a reviewer, as Review::PendingCount counts them: undecided,
  // in two clusters, and nothing holding the clusters apart (relatives, two valid ID
  // numbers of one kind, a "different" decision between members).
  size_t id_field = nf;
  for (size_t f = 0; f < nf; ++f)
    if (schema.fields[f].comparator == link::Comparator::kIdNumber) id_field = f;
  auto apart = [&](const std::string& a, const std::string& b) {
    const auto ca = clusters.MembersWith(a), cb = clusters.MembersWith(b);
    for (const auto& x : ca)
      for (const auto& y : cb) {
        if (x == y) continue;
        if (view.relatives.count(PairKey(x, y))) return true;
        const int64_t ix = record_of(x), iy = record_of(y);
        if (id_field < nf && ix >= 0 && iy >= 0) {
          const link::FieldValue &vx = prepared.at(static_cast<size_t>(ix), id_field),
                                 &vy = prepared.at(static_cast<size_t>(iy), id_field);
          if (!vx.missing && !vy.missing && vx.id_valid && vy.id_valid &&
              vx.id_kind == vy.id_kind && vx.text != vy.text)
            return true;
        }
        const PairDecision* d = view.DecisionOf(x, y);
        if (d && d->decision == Decision::kDifferent) return true;
      }
    return false;
  };
  auto waiting = [&](const std::string& a, const std::string& b) {
    const PairDecision* d = view.DecisionOf(a, b);
    if (d && d->decision != Decision::kUndecided) return false;
    const bool alone = clusters.SizeOf(a) == 1 && clusters.SizeOf(b) == 1;
    // Two people alone: queued means no relation and no two ID numbers between them,
    // and their own decision was just looked at.
    if (alone) return true;
    if (clusters.ClusterOf(a) == clusters.ClusterOf(b)) return false;
    return !apart(a, b);
  };
  // The people in the identity cluster of a sought person: queued pairs touching them
  // are what the notices are made from.
  std::unordered_set<std::string> near_sought;
  for (const auto& [id, _] : view.people)
    if (view.IsSought(id))
      for (auto& m : clusters.MembersWith(id)) near_sought.insert(std::move(m));
  QueueHead next;
  next.pending = head ? head->pending : 0;
  next.held_apart = (head ? head->held_apart : 0) + held_apart;
  if (head) next.sought_pairs = std::move(head->sought_pairs);
  for (const auto& e : entries) {
    const std::string &a = prepared.ids[e.a], &b = prepared.ids[e.b];
    if (waiting(a, b)) ++next.pending;
    if (near_sought.count(a) || near_sought.count(b))
      next.sought_pairs.push_back(
          {a, b, e.probability, std::vector<uint8_t>(e.levels, e.levels + nf)});
  }
  for (const auto& f : schema.fields) next.fields.push_back(f.name);
  for (size_t f = 0; f < nf; ++f) {
    std::vector<double> w;
    for (int l = 0; l < link::LevelCount(schema.fields[f].comparator); ++l)
      w.push_back(model.Weight(f, static_cast<uint8_t>(l)));
    next.weights.push_back(std::move(w));
  }
  next.prior = model.prior;
  next.records = prepared.size();
  next.people = n;
  next.comparisons = linker.stats().comparisons;
  next.key = queue_key(prepared.size());
  next.base_pairs = head ? head->base_pairs : entries.size();
  if (head) next.part_pairs = head->part_pairs;
  if (head && !entries.empty()) next.part_pairs.push_back(entries.size());
  next.queued = next.base_pairs;
  for (uint64_t c : next.part_pairs) next.queued += c;
  report.pending = next.pending;
  report.held_apart = next.held_apart;
  report.queued = next.queued;
  report.queue_appended = head ? entries.size() : 0;
  report.comparisons = next.comparisons;

  ReviewQueueRecord sought_queue;
  sought_queue.pairs = next.sought_pairs;
  std::vector<model::Record> to_save =
      RefreshNotices(view, sought_queue, clusters, options.notice_probability);
  report.notices = to_save.size();
  // A vault from before: its queue record says the queue has moved (the 2.2 M-pair
  // version of a million people is not opened again by every review).
  if (legacy_record) to_save.push_back(MovedQueueRecord());
  if (!to_save.empty()) IZDE_RETURN_IF_ERROR(vault.SaveAll(std::move(to_save)).status());

  // The queue: the pieces, then the head that lists them (a run that stops between
  // leaves a head that does not fit its pieces, or lists only the pieces before).
  {
    // The table of ids a piece refers to, in order of first use.
    auto encode = [&](const std::string& tag, uint32_t number) {
      std::vector<std::string_view> ids;
      std::unordered_map<uint32_t, uint32_t> slot;
      std::vector<QueueEntry> local = entries;
      slot.reserve(entries.size());
      for (auto& e : local)
        for (uint32_t* r : {&e.a, &e.b}) {
          auto [it, fresh] = slot.emplace(*r, static_cast<uint32_t>(ids.size()));
          if (fresh) ids.push_back(prepared.ids[*r]);
          *r = it->second;
        }
      return EncodeQueuePiece(tag, number, nf, ids, local);
    };
    const bool changed = !head || !entries.empty() || prepared.size() != old_records;
    if (!head) {
      uint8_t random[16];
      randombytes_buf(random, sizeof random);
      static const char* hex = "0123456789abcdef";
      for (uint8_t c : random) {
        next.tag += hex[c >> 4];
        next.tag += hex[c & 15];
      }
      next.generation = 1;
      std::string base = encode(next.tag, 0);
      IZDE_RETURN_IF_ERROR(vault.PutSealedSetting(QueueBaseSetting(state_setting), base));
      IZDE_RETURN_IF_ERROR(vault.PutSealedSetting(QueuePartsSetting(state_setting), ""));
    } else {
      next.tag = head->tag;
      next.generation = head->generation + (changed ? 1 : 0);
      next.at = head->at;
      next.author = head->author;
      if (!entries.empty()) {
        AppendPart(old_parts, encode(next.tag, static_cast<uint32_t>(next.part_pairs.size())));
        IZDE_RETURN_IF_ERROR(vault.PutSealedSetting(QueuePartsSetting(state_setting), old_parts));
      }
    }
    if (changed) {
      next.at = static_cast<int64_t>(std::time(nullptr));
      next.author = vault.user();
      std::string h = EncodeHead(next);
      IZDE_RETURN_IF_ERROR(vault.PutSealedSetting(QueueHeadSetting(state_setting), h));
      Wipe(h);
    }
  }
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
        AppendPart(deltas, delta);
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
