#include "identity/review.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "identity/person_fields.h"
#include "link/model.h"

namespace izde::identity {
namespace {

double Entropy(double p) {
  if (p <= 0 || p >= 1) return 0;
  return -(p * std::log2(p) + (1 - p) * std::log2(1 - p));
}

}  // namespace

Result<Review> Review::Open(vault::Vault& vault) {
  IZDE_ASSIGN_OR_RETURN(VaultView view, VaultView::Read(vault));
  Review r(vault, std::move(view));
  // The queue in the vault's settings; else, in a vault from before, its record (a
  // record that says the queue has moved, without the settings: no queue).
  IZDE_ASSIGN_OR_RETURN(auto kept, ReadQueue(vault));
  if (kept) {
    r.queue_ = std::move(*kept);
  } else if (r.view_.queue && !IsMovedQueue(*r.view_.queue)) {
    IZDE_ASSIGN_OR_RETURN(ReviewQueueRecord q, QueueFromVersion(*r.view_.queue));
    r.queue_ = std::move(q);
  }
  if (r.queue_) {
    for (size_t i = 0; i < r.queue_->pairs.size(); ++i)
      r.queued_.emplace(PairKey(r.queue_->pairs[i].a, r.queue_->pairs[i].b), i);
  }
  r.clusters_ = IdentityClusters::Build(r.view_.PersonIds(), r.view_.DecisionList());
  return r;
}

const link::FieldValue& Review::IdNumber(const std::string& person) const {
  auto it = id_numbers_.find(person);
  if (it != id_numbers_.end()) return it->second;
  static const link::FieldSpec kSpec{"id_number", link::Comparator::kIdNumber, false};
  std::string raw;
  if (auto p = view_.people.find(person); p != view_.people.end())
    raw = PersonLinkValues(p->second.record.doc).back();
  return id_numbers_.emplace(person, link::PrepareValue(kSpec, raw)).first->second;
}

std::string Review::WhyApart(const std::string& a, const std::string& b) const {
  const auto ca = clusters_.MembersWith(a), cb = clusters_.MembersWith(b);
  for (const auto& x : ca)
    for (const auto& y : cb) {
      if (x == y) continue;
      const std::string where =
          x == a && y == b ? "" : " (" + x + " and " + y + " are in their clusters)";
      if (view_.relatives.count(PairKey(x, y)))
        return "a relation record says they are relatives, and nobody is their own relative" +
               where;
      const link::FieldValue &ix = IdNumber(x), &iy = IdNumber(y);
      if (!ix.missing && !iy.missing && ix.id_valid && iy.id_valid && ix.id_kind == iy.id_kind &&
          ix.text != iy.text)
        return "they have two different valid identity numbers of the same kind" + where;
      const PairDecision* d = view_.DecisionOf(x, y);
      if (d && d->decision == Decision::kDifferent)
        return "a reviewer (" + d->author + ") decided that " + x + " and " + y +
               " are different people; undo that decision first (izde review --undo " +
               PairKey(x, y) + ")";
    }
  return "";
}

double Review::Help(const QueuedPair& p) const {
  const double sizes =
      (static_cast<double>(clusters_.SizeOf(p.a)) + static_cast<double>(clusters_.SizeOf(p.b))) / 2;
  const bool sought = view_.IsSought(p.a) || view_.IsSought(p.b);
  return Entropy(p.probability) * sizes * (sought ? 2 : 1);
}

PairView Review::View(const std::string& a, const std::string& b, const QueuedPair* queued) const {
  PairView v;
  v.a = std::min(a, b);
  v.b = std::max(a, b);
  v.pair = PairKey(a, b);
  v.cluster_a = clusters_.ClusterOf(v.a);
  v.cluster_b = clusters_.ClusterOf(v.b);
  v.size_a = clusters_.SizeOf(v.a);
  v.size_b = clusters_.SizeOf(v.b);
  v.sought_a = view_.IsSought(v.a);
  v.sought_b = view_.IsSought(v.b);
  const auto& da = view_.people.at(v.a).record.doc;
  const auto& db = view_.people.at(v.b).record.doc;
  v.names_a = AllNames(da);
  v.names_b = AllNames(db);
  link::RawRecords raw;
  raw.schema = PersonLinkSchema();
  raw.ids = {v.a, v.b};
  raw.values = {PersonLinkValues(da), PersonLinkValues(db)};
  const link::Prepared prepared = link::Prepare(raw);
  const link::Levels levels = link::CompareRecords(prepared, 0, 1);
  const bool weights = queue_ && queue_->weights.size() == raw.schema.fields.size();
  double log2_odds = queue_ ? std::log2(queue_->prior / (1 - queue_->prior)) : 0;
  for (size_t f = 0; f < raw.schema.fields.size(); ++f) {
    const auto& spec = raw.schema.fields[f];
    const uint8_t level = queued ? queued->levels[f] : levels[f];
    FieldAgreement fa;
    fa.field = spec.name;
    fa.level = std::string(link::LevelName(spec.comparator, level));
    fa.a = raw.values[0][f];
    fa.b = raw.values[1][f];
    if (weights && level < queue_->weights[f].size()) {
      fa.weight = level == link::kMissing ? 0.0 : queue_->weights[f][level];
      log2_odds += *fa.weight;
    }
    v.fields.push_back(std::move(fa));
  }
  if (queued) {
    v.queued = true;
    v.probability = queued->probability;
    v.help = Help(*queued);
  } else if (weights) {
    v.probability = link::Probability(log2_odds);
  }
  if (!raw.values[0][0].empty() && !raw.values[1][0].empty()) {
    auto c = names::Compare(raw.values[0][0], raw.values[1][0]);
    if (c.ok()) v.names = *c;
  }
  if (const PairDecision* d = view_.DecisionOf(v.a, v.b)) v.decision = *d;
  return v;
}

std::vector<PairView> Review::Pending(size_t limit) const {
  std::vector<std::pair<double, const QueuedPair*>> order;
  if (queue_)
    for (const auto& p : queue_->pairs) {
      if (!view_.people.count(p.a) || !view_.people.count(p.b)) continue;
      const PairDecision* d = view_.DecisionOf(p.a, p.b);
      if (d && d->decision != Decision::kUndecided) continue;
      if (clusters_.ClusterOf(p.a) == clusters_.ClusterOf(p.b)) continue;
      if (!WhyApart(p.a, p.b).empty()) continue;
      order.emplace_back(Help(p), &p);
    }
  std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    if (x.second->probability != y.second->probability)
      return x.second->probability > y.second->probability;
    return PairKey(x.second->a, x.second->b) < PairKey(y.second->a, y.second->b);
  });
  std::vector<PairView> out;
  for (size_t i = 0; i < order.size() && i < limit; ++i)
    out.push_back(View(order[i].second->a, order[i].second->b, order[i].second));
  return out;
}

size_t Review::PendingCount() const {
  size_t n = 0;
  if (queue_)
    for (const auto& p : queue_->pairs) {
      if (!view_.people.count(p.a) || !view_.people.count(p.b)) continue;
      const PairDecision* d = view_.DecisionOf(p.a, p.b);
      if (d && d->decision != Decision::kUndecided) continue;
      if (clusters_.ClusterOf(p.a) == clusters_.ClusterOf(p.b)) continue;
      if (!WhyApart(p.a, p.b).empty()) continue;
      ++n;
    }
  return n;
}

Status Review::CheckPerson(const std::string& id) const {
  if (view_.people.count(id)) return Status::Ok();
  if (view_.records.count(id))
    return Status::InvalidInput(id + " is not a person; only people are linked");
  return Status::NotFound("there is no person " + id + " in this vault");
}

Result<PairView> Review::Explain(const std::string& a, const std::string& b) const {
  IZDE_RETURN_IF_ERROR(CheckPerson(a));
  IZDE_RETURN_IF_ERROR(CheckPerson(b));
  if (a == b) return Status::InvalidInput("that is the same person twice");
  auto it = queued_.find(PairKey(a, b));
  return View(a, b, it == queued_.end() ? nullptr : &queue_->pairs[it->second]);
}

PairDecision Review::Next(const std::string& a, const std::string& b, Decision decision,
                          const std::string& notes) const {
  PairDecision d;
  d.a = std::min(a, b);
  d.b = std::max(a, b);
  if (const PairDecision* old = view_.DecisionOf(a, b)) {
    d.record_id = old->record_id;
    d.version = old->version + 1;
  } else {
    d.record_id = model::NewRecordId(model::RecordType::kLink);
    d.version = 1;
  }
  d.decision = decision;
  d.notes = notes;
  const PairView v = View(
      a, b, queued_.count(PairKey(a, b)) ? &queue_->pairs[queued_.at(PairKey(a, b))] : nullptr);
  d.probability = v.probability;
  for (const auto& f : v.fields) d.levels[f.field] = f.level;
  return d;
}

Status Review::SaveDecisions(std::vector<PairDecision>& decisions) {
  if (decisions.empty()) return Status::Ok();
  std::vector<model::Record> records;
  int64_t seq = view_.last_sequence;
  for (auto& d : decisions) {
    d.sequence = ++seq;
    d.author = author();
    d.at = static_cast<int64_t>(std::time(nullptr));
    records.push_back(DecisionRecord(d));
  }
  IZDE_RETURN_IF_ERROR(
      vault_->SaveAll(std::move(records), nullptr, author_.empty() ? "" : author_).status());
  for (const auto& d : decisions) view_.Note(d);
  clusters_ = IdentityClusters::Build(view_.PersonIds(), view_.DecisionList());
  return Status::Ok();
}

Result<PairDecision> Review::Decide(const std::string& a, const std::string& b, Decision decision,
                                    const std::string& notes) {
  IZDE_RETURN_IF_ERROR(CheckPerson(a));
  IZDE_RETURN_IF_ERROR(CheckPerson(b));
  if (a == b) return Status::InvalidInput("a person cannot be linked to themselves");
  const PairDecision* old = view_.DecisionOf(a, b);
  if (old && old->decision == decision) return *old;  // nothing to change
  const bool together = clusters_.ClusterOf(a) == clusters_.ClusterOf(b);
  if (decision == Decision::kSame) {
    if (together)
      return Status::InvalidInput(a + " and " + b + " are already one person (cluster " +
                                  clusters_.ClusterOf(a) + ")");
    if (std::string why = WhyApart(a, b); !why.empty())
      return Status::InvalidInput(a + " and " + b + " cannot be one person: " + why);
  } else if (together) {
    // Taking back the link must actually separate them.
    std::vector<PairDecision> after = view_.DecisionList();
    for (auto& d : after)
      if (d.pair() == PairKey(a, b)) d.decision = decision;
    if (IdentityClusters::Build(view_.PersonIds(), after).ClusterOf(a) ==
        IdentityClusters::Build(view_.PersonIds(), after).ClusterOf(b))
      return Status::InvalidInput(
          a + " and " + b + " are one person through other accepted links (cluster " +
          clusters_.ClusterOf(a) + "); detach one of them first: izde review --split " + a);
  }
  std::vector<PairDecision> ds = {Next(a, b, decision, notes)};
  IZDE_RETURN_IF_ERROR(SaveDecisions(ds));
  return ds[0];
}

Result<std::vector<PairDecision>> Review::AcceptAbove(double probability) {
  if (!(probability > 0 && probability <= 1))
    return Status::InvalidInput("the probability must lie between 0 and 1");
  if (!queue_) return Status::NotFound("there is no review queue yet: run izde link first");
  // Accepted one at a time in memory, so each is checked against the clusters the
  // earlier ones formed; saved together.
  std::vector<PairDecision> accepted;
  const VaultView saved_view = view_;
  const IdentityClusters saved_clusters = clusters_;
  for (const auto& pv : Pending()) {
    if (!pv.probability || *pv.probability < probability) continue;
    if (clusters_.ClusterOf(pv.a) == clusters_.ClusterOf(pv.b)) continue;
    if (!WhyApart(pv.a, pv.b).empty()) continue;
    PairDecision d = Next(pv.a, pv.b, Decision::kSame,
                          "accepted in bulk at probability >= " + std::to_string(probability));
    d.sequence = view_.last_sequence + 1;
    view_.Note(d);
    clusters_ = IdentityClusters::Build(view_.PersonIds(), view_.DecisionList());
    accepted.push_back(std::move(d));
  }
  view_ = saved_view;
  clusters_ = saved_clusters;
  Status s = SaveDecisions(accepted);
  if (!s.ok()) return s;
  return accepted;
}

Result<PairDecision> Review::Undo(const std::string& pair_or_record) {
  const PairDecision* target = nullptr;
  if (pair_or_record.empty()) {
    for (const auto& [_, d] : view_.decisions)
      if (d.author == author() && d.undoes == 0 && (!target || d.sequence > target->sequence))
        target = &d;
    if (!target) return Status::NotFound("you (" + author() + ") have no decision left to undo");
  } else if (pair_or_record.find('+') != std::string::npos) {
    IZDE_ASSIGN_OR_RETURN(auto pair, ParsePairKey(pair_or_record));
    target = view_.DecisionOf(pair.first, pair.second);
    if (!target) return Status::NotFound("nobody has decided on " + pair_or_record + " yet");
  } else {
    for (const auto& [_, d] : view_.decisions)
      if (d.record_id == pair_or_record) target = &d;
    if (!target)
      return Status::NotFound("there is no link decision " + pair_or_record +
                              " (give the pair as A+B, or the link record's id)");
  }
  Decision before = Decision::kUndecided;
  if (target->version > 1) {
    IZDE_ASSIGN_OR_RETURN(auto history, vault_->History(target->record_id));
    for (const auto& v : history)
      if (v.version == target->version - 1) {
        IZDE_ASSIGN_OR_RETURN(PairDecision prev, DecisionFromVersion(v));
        before = prev.decision;
      }
  }
  const std::string a = target->a, b = target->b;
  const int64_t undone = target->version;
  if (before == Decision::kSame) {
    // The decision being taken back does not itself hold the two apart.
    auto taken_back = view_.decisions.extract(PairKey(a, b));
    std::string why = WhyApart(a, b);
    view_.decisions.insert(std::move(taken_back));
    if (!why.empty())
      return Status::InvalidInput("undoing this would make " + a + " and " + b +
                                  " one person again, which is not possible now: " + why);
  }
  std::vector<PairDecision> ds = {Next(a, b, before, "undo")};
  ds[0].undoes = undone;
  IZDE_RETURN_IF_ERROR(SaveDecisions(ds));
  return ds[0];
}

Result<std::vector<PairDecision>> Review::Split(const std::string& person,
                                                const std::string& notes) {
  IZDE_RETURN_IF_ERROR(CheckPerson(person));
  const auto members = clusters_.MembersWith(person);
  if (members.size() < 2)
    return Status::InvalidInput(person + " is not linked to anyone; there is nothing to split");
  std::vector<PairDecision> ds;
  for (const auto& other : members) {
    if (other == person) continue;
    const PairDecision* d = view_.DecisionOf(person, other);
    if (d && d->decision == Decision::kSame)
      ds.push_back(Next(person, other, Decision::kDifferent, notes.empty() ? "split" : notes));
  }
  IZDE_RETURN_IF_ERROR(SaveDecisions(ds));
  return ds;
}

}  // namespace izde::identity
