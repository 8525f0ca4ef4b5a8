#include "link/model.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace izde::link {
namespace {

// m and u are kept inside (kFloor, 1 - kFloor) so that no single level can
// carry infinite evidence: one level never seen among random pairs is still
// only strong evidence, not proof.
constexpr double kFloor = 1e-6;
// Term-frequency adjustment is bounded: a name held by one person in the file
// is strong evidence, but not more than 10 bits on top of the level's weight.
constexpr double kMaxTermAdjustment = 10;
// Weight of the starting values as pseudo-observations (see EstimateU, EstimateByEm).
constexpr double kUPriorPairs = 1000;
constexpr double kMPriorPairs = 10;
constexpr double kMaxSessionU = 0.01;
// Random pairs drawn per generator in EstimateU.
constexpr size_t kUChunk = 4096;

uint64_t Pack(const Levels& l) {
  uint64_t code = 0;
  for (size_t i = 0; i < kMaxFields; ++i) code = code << 3 | (l[i] & 7);
  return code;
}

void Normalise(std::vector<double>& p) {
  double sum = 0;
  for (size_t l = 1; l < p.size(); ++l) sum += p[l];
  for (size_t l = 1; l < p.size(); ++l)
    p[l] = std::clamp(sum > 0 ? p[l] / sum : 1.0 / static_cast<double>(p.size() - 1), kFloor,
                      1 - kFloor);
}

}  // namespace

Levels CompareRecords(const Prepared& p, size_t a, size_t b) { return CompareRecords(p, a, p, b); }

Levels CompareRecords(const Prepared& pa, size_t a, const Prepared& pb, size_t b) {
  Levels levels{};
  const auto& fields = pa.schema.fields;
  bool both_ids = false;
  const size_t nf = fields.size();
  const bool summarized =
      pa.summaries.size() == pa.values.size() && pb.summaries.size() == pb.values.size();
  if (summarized) {
    const FieldSummary* sa = &pa.summaries[a * nf];
    const FieldSummary* sb = &pb.summaries[b * nf];
    for (size_t f = 0; f < nf; ++f) {
      levels[f] = CompareSummarized(fields[f].comparator, sa[f], sb[f], pa.at(a, f), pb.at(b, f));
      if (fields[f].comparator == Comparator::kIdNumber && levels[f] != kMissing) both_ids = true;
    }
    // Values derived from ID numbers repeat what the ID comparison already counted.
    if (both_ids)
      for (size_t f = 0; f < nf; ++f)
        if (sa[f].derived || sb[f].derived) levels[f] = kMissing;
    return levels;
  }
  for (size_t f = 0; f < nf; ++f) {
    levels[f] = CompareValues(fields[f].comparator, pa.at(a, f), pb.at(b, f));
    if (fields[f].comparator == Comparator::kIdNumber && levels[f] != kMissing) both_ids = true;
  }
  if (both_ids)
    for (size_t f = 0; f < nf; ++f)
      if (pa.at(a, f).derived || pb.at(b, f).derived) levels[f] = kMissing;
  return levels;
}

double Model::Weight(size_t field, uint8_t level) const {
  if (level == kMissing) return 0;
  const FieldWeights& w = fields[field];
  return std::log2(w.m[level] / w.u[level]);
}

double Model::TermAdjustment(size_t field, uint8_t level, const FieldSpec& spec, float tf_a,
                             float tf_b) const {
  if (!spec.term_frequency || !IsAgreement(spec.comparator, level)) return 0;
  const double tf = std::max<double>(std::max(tf_a, tf_b), kFloor);
  // Splink's form: the agreement's u replaced by how often this value occurs.
  return std::clamp(std::log2(fields[field].u[1] / tf), -kMaxTermAdjustment, kMaxTermAdjustment);
}

double Model::Score(const Schema& schema, const Levels& levels, const FieldValue* a,
                    const FieldValue* b) const {
  double score = std::log2(prior / (1 - prior));
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    score += Weight(f, levels[f]);
    if (a && b) score += TermAdjustment(f, levels[f], schema.fields[f], a[f].tf, b[f].tf);
  }
  return score;
}

double Model::Score(const Schema& schema, const Levels& levels, const FieldSummary* a,
                    const FieldSummary* b) const {
  double score = std::log2(prior / (1 - prior));
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    score += Weight(f, levels[f]);
    score += TermAdjustment(f, levels[f], schema.fields[f], a[f].tf, b[f].tf);
  }
  return score;
}

double Probability(double log2_odds) { return 1 / (1 + std::exp2(-log2_odds)); }

double ScoreGroups(const Model& model, const Prepared& p, std::span<const uint32_t> a,
                   std::span<const uint32_t> b,
                   const std::function<bool(uint32_t, uint32_t)>& forbidden, double* weakest,
                   double* name_bits) {
  const auto& fields = p.schema.fields;
  const size_t nf = fields.size();
  std::array<uint8_t, kMaxFields> best{}, disagree{};
  std::array<double, kMaxFields> best_name;
  best_name.fill(-INFINITY);
  double low = INFINITY;
  for (uint32_t x : a)
    for (uint32_t y : b) {
      if (forbidden && forbidden(x, y)) {
        low = -INFINITY;
        continue;
      }
      const Levels l = CompareRecords(p, x, y);
      const FieldValue* vx = &p.values[size_t{x} * nf];
      const FieldValue* vy = &p.values[size_t{y} * nf];
      low = std::min(low, model.Score(p.schema, l, vx, vy));
      for (size_t f = 0; f < nf; ++f) {
        if (l[f] == kMissing) continue;
        if (fields[f].comparator == Comparator::kName) {
          best_name[f] = std::max(
              best_name[f],
              model.Weight(f, l[f]) + model.TermAdjustment(f, l[f], fields[f], vx[f].tf, vy[f].tf));
          continue;
        }
        // Text fields disagree through typos as often as through two people; dates,
        // places, numbers and categories do not.
        const Comparator c = fields[f].comparator;
        if (c != Comparator::kText && c != Comparator::kCode && l[f] == LevelCount(c) - 1)
          disagree[f] = l[f];
        if (best[f] == kMissing || l[f] < best[f]) best[f] = l[f];
      }
    }
  if (weakest) *weakest = low;
  double score = std::log2(model.prior / (1 - model.prior));
  if (name_bits) *name_bits = 0;
  for (size_t f = 0; f < nf; ++f) {
    if (fields[f].comparator == Comparator::kName) {
      if (best_name[f] > -INFINITY) score += best_name[f];
      if (name_bits && best_name[f] > -INFINITY) *name_bits += best_name[f];
      continue;
    }
    score += model.Weight(f, disagree[f] != kMissing ? disagree[f] : best[f]);
  }
  return score;
}

Model InitialModel(const Schema& schema) {
  Model model;
  for (const auto& spec : schema.fields) {
    const int n = LevelCount(spec.comparator);
    FieldWeights w;
    w.m.assign(static_cast<size_t>(n), 0);
    w.u.assign(static_cast<size_t>(n), 0);
    // Matches mostly agree; non-matches mostly fall in the last (disagreement) level.
    for (int l = 1; l < n; ++l) {
      w.m[static_cast<size_t>(l)] = std::pow(0.2, l - 1);
      w.u[static_cast<size_t>(l)] = std::pow(0.2, n - 1 - l);
    }
    Normalise(w.m);
    Normalise(w.u);
    model.fields.push_back(std::move(w));
  }
  return model;
}

void EstimateU(Model& model, const Prepared& p, const Prepared* q, size_t samples, uint64_t seed,
               int threads) {
  const Prepared& other = q ? *q : p;
  const size_t nf = p.schema.fields.size();
  if (p.size() == 0 || other.size() == 0 || (!q && p.size() < 2)) return;
  // No more samples than there are distinct pairs.
  const double distinct =
      q ? double(p.size()) * double(other.size()) : double(p.size()) * double(p.size() - 1) / 2;
  samples = static_cast<size_t>(std::min(double(samples), distinct));
  threads = std::max(1, threads);
  std::vector<std::vector<std::vector<double>>> counts(static_cast<size_t>(threads),
                                                       std::vector<std::vector<double>>(nf));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto& c = counts[static_cast<size_t>(t)];
      for (size_t f = 0; f < nf; ++f)
        c[f].assign(static_cast<size_t>(LevelCount(p.schema.fields[f].comparator)), 0);
      // The samples come in fixed chunks, each drawn from its own generator, and the
      // counts are whole numbers: the estimate is the same on any number of threads.
      for (size_t k = static_cast<size_t>(t); k * kUChunk < samples;
           k += static_cast<size_t>(threads)) {
        std::mt19937_64 rng(seed ^ ((k + 1) * 0x9e3779b97f4a7c15ULL));
        std::uniform_int_distribution<size_t> da(0, p.size() - 1), db(0, other.size() - 1);
        for (size_t s = k * kUChunk; s < std::min(samples, (k + 1) * kUChunk); ++s) {
          size_t a = da(rng), b = db(rng);
          if (!q && a == b) continue;
          Levels l = CompareRecords(p, a, other, b);
          for (size_t f = 0; f < nf; ++f) c[f][l[f]] += 1;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  for (size_t f = 0; f < nf; ++f) {
    auto& u = model.fields[f].u;
    for (size_t l = 1; l < u.size(); ++l) {
      double n = 0;
      for (const auto& c : counts) n += c[f][l];
      // The starting u as a prior worth kUPriorPairs random pairs: on a small file
      // the few random pairs include the duplicates themselves, and alone would
      // make agreement look common. Half a pseudo-count more: a level never seen at
      // random is rare, not impossible.
      u[l] = n + kUPriorPairs * u[l] + 0.5;
    }
    Normalise(u);
  }
}

void PatternCounts::Add(const Levels& levels, double count) {
  auto [it, fresh] = slot_.emplace(Pack(levels), patterns.size());
  if (fresh) {
    patterns.push_back(levels);
    counts.push_back(0);
  }
  counts[it->second] += count;
}

void PatternCounts::Merge(const PatternCounts& other) {
  for (size_t i = 0; i < other.patterns.size(); ++i) Add(other.patterns[i], other.counts[i]);
}

void EstimateByEm(Model& model, const Schema& schema, const PatternCounts& pc, bool fix_u,
                  int max_iterations, const std::vector<bool>& active, bool fix_m) {
  auto is_active = [&](size_t f) { return active.empty() || active[f]; };
  const size_t nf = schema.fields.size();
  double total = 0;
  for (double c : pc.counts) total += c;
  if (total <= 0) return;
  const std::vector<FieldWeights> initial = InitialModel(schema).fields;
  model.em_iterations = 0;
  for (int it = 0; it < max_iterations; ++it) {
    std::vector<std::vector<double>> m_acc(nf), u_acc(nf);
    for (size_t f = 0; f < nf; ++f) {
      m_acc[f].assign(model.fields[f].m.size(), 0);
      u_acc[f].assign(model.fields[f].u.size(), 0);
    }
    double matches = 0;
    for (size_t i = 0; i < pc.patterns.size(); ++i) {
      const Levels& l = pc.patterns[i];
      double score = std::log2(model.prior / (1 - model.prior));
      for (size_t f = 0; f < nf; ++f)
        if (is_active(f)) score += model.Weight(f, l[f]);
      const double p = Probability(score);
      const double c = pc.counts[i];
      matches += p * c;
      for (size_t f = 0; f < nf; ++f) {
        m_acc[f][l[f]] += p * c;
        u_acc[f][l[f]] += (1 - p) * c;
      }
    }
    double change = 0;
    for (size_t f = 0; f < nf && !fix_m; ++f) {
      if (!is_active(f)) continue;
      // The starting m as a prior worth kMPriorPairs matches keeps EM on a file
      // with a handful of candidate pairs from collapsing onto one pattern.
      for (size_t l = 1; l < m_acc[f].size(); ++l) m_acc[f][l] += kMPriorPairs * initial[f].m[l];
      Normalise(m_acc[f]);
      for (size_t l = 1; l < m_acc[f].size(); ++l)
        change = std::max(change, std::abs(m_acc[f][l] - model.fields[f].m[l]));
      model.fields[f].m = m_acc[f];
      if (!fix_u) {
        Normalise(u_acc[f]);
        model.fields[f].u = u_acc[f];
      }
    }
    const double prior = std::clamp(matches / total, kFloor, 1 - kFloor);
    change = std::max(change, std::abs(prior - model.prior));
    model.prior = prior;
    model.em_iterations = it + 1;
    if (change < 1e-5) break;
  }
}

void UpdateFromDecisions(Model& model, const Schema& schema, const std::vector<Levels>& matches,
                         const std::vector<Levels>& non_matches) {
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    auto& w = model.fields[f];
    if (!matches.empty()) {
      // Reviewed matches outweigh the EM estimate as they accumulate: EM counts as
      // 20 pseudo-decisions.
      std::vector<double> m(w.m.size(), 0);
      for (size_t l = 1; l < m.size(); ++l) m[l] = 20 * w.m[l];
      for (const Levels& lv : matches) m[lv[f]] += 1;
      Normalise(m);
      w.m = m;
    }
    if (!non_matches.empty()) {
      std::vector<double> u(w.u.size(), 0);
      for (size_t l = 1; l < u.size(); ++l) u[l] = 1000 * w.u[l];
      for (const Levels& lv : non_matches) u[lv[f]] += 1;
      Normalise(u);
      w.u = u;
    }
  }
}

}  // namespace izde::link

namespace izde::link {

void EstimateBySessions(Model& model, const Schema& schema, const PatternCounts& counts, bool fix_u,
                        double all_pairs, double sample_fraction,
                        const std::vector<double>& present) {
  struct Session {
    size_t field;
    double prior, pairs;
  };
  std::vector<Session> done;
  const size_t nf = schema.fields.size();
  std::vector<std::vector<double>> m_sum(nf);
  std::vector<int> sessions(nf, 0);
  for (size_t f = 0; f < nf; ++f) m_sum[f].assign(model.fields[f].m.size(), 0);
  const Model start = model;
  for (size_t cond = 0; cond < nf; ++cond) {
    const Comparator c = schema.fields[cond].comparator;
    if (c != Comparator::kName && c != Comparator::kDate && c != Comparator::kIdNumber &&
        c != Comparator::kCode)
      continue;
    // Condition only on fields that nearly identify a person: agreement rare at
    // random (u <= 1%). A father's name is shared by all siblings, so the pairs
    // agreeing on it are mostly brothers and sisters — whom EM would take for matches.
    if (start.fields[cond].u[1] > kMaxSessionU) continue;
    PatternCounts pc;
    for (size_t i = 0; i < counts.patterns.size(); ++i)
      if (counts.patterns[i][cond] == 1) pc.Add(counts.patterns[i], counts.counts[i]);
    // Too few pairs agree for EM to say anything (a column almost always empty).
    if (pc.patterns.empty()) continue;
    double total = 0;
    for (double n : pc.counts) total += n;
    if (total < 50) continue;
    Model session = start;
    std::vector<bool> active(nf, true);
    active[cond] = false;
    // Agreeing names imply agreement on the other name fields (a father's name is
    // part of the full name) and on gender (names are gendered) for namesakes as
    // much as for matches: such fields would make every namesake look a match.
    if (c == Comparator::kName)
      for (size_t f = 0; f < nf; ++f)
        if (schema.fields[f].comparator == Comparator::kName ||
            schema.fields[f].comparator == Comparator::kCategory)
          active[f] = false;
    EstimateByEm(session, schema, pc, fix_u, 100, active);
    done.push_back({cond, session.prior, total / sample_fraction});
    for (size_t f = 0; f < nf; ++f) {
      if (!active[f]) continue;
      for (size_t l = 1; l < m_sum[f].size(); ++l) m_sum[f][l] += session.fields[f].m[l];
      ++sessions[f];
    }
  }
  for (size_t f = 0; f < nf; ++f)
    if (sessions[f] > 0) {
      for (size_t l = 1; l < m_sum[f].size(); ++l) m_sum[f][l] /= sessions[f];
      Normalise(m_sum[f]);
      model.fields[f].m = m_sum[f];
    }
  // Which sessions set the prior: those on the field most records carry. A session's
  // P(agree | match) is m(agree) times the share of matching pairs where both records
  // carry the field, and that share is taken as the product of the field's share of
  // records — true when fields go missing independently, not when they go missing by
  // source: a leaked list gives an ID number on every row and appears once per
  // person, a cellmate never gives one, so two records of one person carry it less
  // often than the product says, and the session's prior comes out too low (on the
  // cross-script benchmark's source model: name 4.8e-5, birth date 2.6e-5, ID 2.7e-5,
  // true 4.1e-5; with independent gaps all three agree). A field on every record
  // needs no such correction.
  auto present_share = [&](const Session& s) {
    return s.field < present.size() && present[s.field] > 0 ? present[s.field] : 1.0;
  };
  double most = 0;
  for (const Session& s : done) most = std::max(most, present_share(s));
  std::vector<double> priors;
  for (const Session& s : done)
    if (all_pairs > 0 && present_share(s) >= most - 1e-9)
      priors.push_back(s.prior * s.pairs /
                       (all_pairs * model.fields[s.field].m[1] * present_share(s)));
  if (!priors.empty()) {
    std::sort(priors.begin(), priors.end());
    model.prior = std::clamp(priors[priors.size() / 2], kFloor, 1 - kFloor);
    return;
  }
  // No session could run (no identifying field agrees often enough): the prior
  // over the candidates, by EM with m and u held.
  EstimateByEm(model, schema, counts, true, 100, {}, true);
}

}  // namespace izde::link
