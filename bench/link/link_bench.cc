// Linkage accuracy and speed (bench/link/RESULTS.md has the commands and figures).
//   bench_link febrl4 SHARED_DIR   FEBRL 4a <-> 4b: blocking recall, P/R/F1, baseline
//   bench_link cross FILE.csv [threads] [examples]
//                                  person CSV with true_person (data/link/make_people.py):
//                                  blocking recall, pairwise P/R/F1, single-linkage and
//                                  Jaro-Winkler baselines, timings; with examples, prints
//                                  that many false and missed matches; prints the
//                                  model's calibration over kept pairs; with
//                                  IZDE_LINK_DUMP=FILE writes every true pair and every
//                                  false match (kind, p, levels, both records, their ids
//                                  and clusters, whether blocked together, whether single
//                                  linkage joins them) to FILE, which bench/link/ambiguity.py
//                                  --dump decomposes; IZDE_LINK_THRESHOLD=P links at p >= P
//                                  instead of the default (IZDE_LINK_GROUP_THRESHOLD: merges only)
//   bench_link blocks FILE.csv [max_block]
//                                  per blocking rule: candidate pairs, recall, true
//                                  pairs only that rule finds
//   bench_link incremental FILE.csv NEW [threads]
//                                  links all but the last NEW records, then times adding them
//   bench_link state FILE.csv NEW [threads] [STATE]
//                                  the same through a saved state: links all but the last NEW
//                                  records, saves the state sealed (as izde dedupe --state
//                                  does, with the cheapest passphrase stretching), then times
//                                  a load (open + decode) and adding the NEW records. With
//                                  STATE: the state is kept there, and reused when present
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "csv/csv_reader.h"
#include "link/evaluate.h"
#include "link/febrl.h"
#include "link/linker.h"
#include "link/person_records.h"
#include "link/string_metrics.h"
#include "vault/passphrase_seal.h"

using namespace izde::link;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Share of true cross pairs that blocking puts in one block.
double BlockingRecallLists(const Prepared& a, const Prepared& b, const std::vector<std::string>& ea,
                           const std::vector<std::string>& eb, size_t max_block) {
  BlockIndex index(DefaultRules(b.schema), max_block);
  index.Add(b, 0, 2);
  std::unordered_multimap<std::string, uint32_t> by_entity;
  for (uint32_t j = 0; j < eb.size(); ++j) by_entity.emplace(eb[j], j);
  uint64_t total = 0, found = 0;
  std::vector<uint64_t> keys;
  std::vector<uint32_t> cands;
  for (uint32_t i = 0; i < ea.size(); ++i) {
    index.Keys(a, i, keys);
    index.Candidates(keys, cands);
    auto [lo, hi] = by_entity.equal_range(ea[i]);
    for (auto it = lo; it != hi; ++it) {
      ++total;
      found += std::binary_search(cands.begin(), cands.end(), it->second);
    }
  }
  return total ? double(found) / double(total) : 1;
}

void Print(const char* what, const PairwiseScore& s) {
  std::printf("%-44s precision %.4f recall %.4f F1 %.4f (pred %llu, true %llu)\n", what,
              s.precision(), s.recall(), s.f1(), (unsigned long long)s.predicted_pairs,
              (unsigned long long)s.true_pairs);
}

int Febrl4(const std::string& shared, bool verbose) {
  auto a = ReadFebrl(shared + "/data/febrl/febrl_dataset4a.csv");
  auto b = ReadFebrl(shared + "/data/febrl/febrl_dataset4b.csv");
  if (!a.ok() || !b.ok()) {
    std::fprintf(stderr, "%s\n", (a.ok() ? b.status() : a.status()).message().c_str());
    return 1;
  }
  LinkOptions o;
  o.threads = 2;
  double t = Now();
  ListLink link = LinkLists(a->records, b->records, o);
  double secs = Now() - t;
  std::vector<std::pair<uint32_t, uint32_t>> links, all;
  for (const auto& p : MutualBest(link.pairs))
    if (Probability(p.score) >= o.match_probability) links.emplace_back(p.a, p.b);
  for (const auto& p : link.pairs)
    if (Probability(p.score) >= o.match_probability) all.emplace_back(p.a, p.b);
  std::printf("FEBRL 4: %zu + %zu records, %llu comparisons, %.2f s, EM prior %.5f\n",
              a->records.ids.size(), b->records.ids.size(),
              (unsigned long long)link.stats.comparisons, secs, link.model.prior);
  std::printf("blocking recall %.4f\n",
              BlockingRecallLists(link.a, link.b, a->entity, b->entity, o.max_block_size));
  const std::string at = std::to_string(o.match_probability).substr(0, 4);
  Print(("izde (mutual best, p >= " + at + ")").c_str(), ScoreLinks(links, a->entity, b->entity));
  Print(("izde (all pairs p >= " + at + ")").c_str(), ScoreLinks(all, a->entity, b->entity));
  if (verbose) {
    for (size_t f = 0; f < link.a.schema.fields.size(); ++f) {
      std::printf("%-14s", link.a.schema.fields[f].name.c_str());
      for (size_t l = 1; l < link.model.fields[f].m.size(); ++l)
        std::printf(
            " %s m=%.3f u=%.5f",
            std::string(LevelName(link.a.schema.fields[f].comparator, static_cast<int>(l))).c_str(),
            link.model.fields[f].m[l], link.model.fields[f].u[l]);
      std::printf("\n");
    }
  }
  return 0;
}

// Union-find components of the given pairs (single linkage).
std::vector<std::string> Components(size_t n, const std::vector<std::pair<uint32_t, uint32_t>>& e) {
  std::vector<uint32_t> parent(n);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (auto [a, b] : e) parent[find(a)] = find(b);
  std::vector<std::string> out(n);
  for (uint32_t i = 0; i < n; ++i) out[i] = std::to_string(find(i));
  return out;
}

struct Truth {
  RawRecords records;
  std::vector<std::string> person;
};

Truth ReadTruth(const std::string& path) {
  Truth t;
  auto people = ReadPersonRecords(path);
  if (!people.ok()) {
    std::fprintf(stderr, "%s\n", people.status().message().c_str());
    std::exit(1);
  }
  t.records = std::move(people->records);
  auto reader = izde::csv::Reader::Open(path);
  if (!reader.ok() || !reader->ReadHeader().ok()) std::exit(1);
  while (true) {
    auto row = reader->Next();
    if (!row.ok() || !row->has_value()) break;
    const std::string* p = (**row).Find("true_person");
    t.person.push_back(p ? *p : "");
  }
  return t;
}

void Show(const Linker& l, const RawRecords& raw, uint32_t a, uint32_t b) {
  std::printf("  p=%.3f  ", Probability(l.PairScore(a, b)));
  for (uint32_t r : {a, b}) {
    std::printf("[");
    for (size_t f = 0; f < raw.values[r].size(); ++f)
      std::printf("%s%s", f ? " | " : "", raw.values[r][f].c_str());
    std::printf("] ");
  }
  Levels lv = CompareRecords(l.prepared(), a, b);
  std::printf(" levels:");
  for (size_t f = 0; f < raw.schema.fields.size(); ++f)
    std::printf(" %s", std::string(LevelName(raw.schema.fields[f].comparator, lv[f])).c_str());
  std::printf("\n");
}

int Cross(const std::string& path, int threads, int examples) {
  double t0 = Now();
  Truth truth = ReadTruth(path);
  double t_read = Now() - t0;
  const size_t n = truth.records.ids.size();
  LinkOptions o;
  o.threads = threads;
  // IZDE_LINK_THRESHOLD=P: pairs and merges at p >= P instead of 0.5 (a threshold sweep).
  if (const char* th = std::getenv("IZDE_LINK_THRESHOLD")) {
    o.match_probability = std::atof(th);
    o.cluster.min_mean_probability = o.match_probability;
  }
  if (const char* th = std::getenv("IZDE_LINK_GROUP_THRESHOLD"))
    o.cluster.min_mean_probability = std::atof(th);
  double t1 = Now();
  Linker l = Linker::Build(truth.records, o);
  double t_link = Now() - t1;
  std::vector<std::string> cluster(n);
  for (uint32_t r = 0; r < n; ++r) cluster[r] = l.ClusterId(r);
  const auto& st = l.stats();
  std::printf(
      "%zu records: read %.2f s, link %.2f s (prepare %.2f, score %.2f, estimate %.2f, "
      "cluster %.2f), %llu comparisons, %.0f comparisons/s, EM prior %.5f\n",
      n, t_read, t_link, st.seconds_prepare, st.seconds_score, st.seconds_estimate,
      st.seconds_cluster, (unsigned long long)st.comparisons,
      double(st.comparisons) / st.seconds_score, l.model().prior);
  for (size_t f = 0; f < l.prepared().schema.fields.size(); ++f) {
    const auto& spec = l.prepared().schema.fields[f];
    std::printf("  %-12s", spec.name.c_str());
    for (size_t v = 1; v < l.model().fields[f].m.size(); ++v)
      std::printf(" %s m=%.3f u=%.5f",
                  std::string(LevelName(spec.comparator, static_cast<int>(v))).c_str(),
                  l.model().fields[f].m[v], l.model().fields[f].u[v]);
    std::printf("\n");
  }
  {
    // The m a labelled run would measure: level shares among true pairs kept.
    const auto& schema = l.prepared().schema;
    std::vector<std::vector<double>> m(schema.fields.size(), std::vector<double>(8, 0));
    double n_true = 0;
    for (const auto& p : l.pairs())
      if (truth.person[p.a] == truth.person[p.b]) {
        ++n_true;
        for (size_t f = 0; f < schema.fields.size(); ++f) m[f][p.levels[f]] += 1;
      }
    std::printf("  labelled m over %.0f kept true pairs:\n", n_true);
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      std::printf("  %-12s", schema.fields[f].name.c_str());
      double nm = 0;
      for (size_t v = 1; v < 8; ++v) nm += m[f][v];
      for (int v = 1; v < LevelCount(schema.fields[f].comparator); ++v)
        std::printf(" %s %.3f", std::string(LevelName(schema.fields[f].comparator, v)).c_str(),
                    nm ? m[f][static_cast<size_t>(v)] / nm : 0);
      std::printf("\n");
    }
  }
  // Calibration: among kept pairs by predicted probability, the share that are the
  // same person (a calibrated model has each bin's share inside the bin).
  {
    const double edges[] = {0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.01};
    uint64_t count[11] = {}, same[11] = {};
    for (const auto& p : l.pairs()) {
      const double q = Probability(p.score);
      for (int b = 0; b < 11; ++b)
        if (q < edges[b + 1]) {
          ++count[b];
          same[b] += truth.person[p.a] == truth.person[p.b];
          break;
        }
    }
    std::printf("calibration (kept pairs: p bin, pairs, share same person):");
    for (int b = 0; b < 11; ++b)
      if (count[b])
        std::printf(" [%.2f,%.2f) %llu %.3f;", edges[b], std::min(edges[b + 1], 1.0),
                    (unsigned long long)count[b], double(same[b]) / double(count[b]));
    std::printf("\n");
  }
  // Blocking recall: true pairs that share at least one usable block.
  BlockIndex index(DefaultRules(l.prepared().schema), o.max_block_size);
  index.Add(l.prepared(), 0, threads);
  {
    std::unordered_map<std::string, std::vector<uint32_t>> by_person;
    for (uint32_t r = 0; r < n; ++r) by_person[truth.person[r]].push_back(r);
    uint64_t total = 0, found = 0;
    std::vector<uint64_t> keys;
    std::vector<uint32_t> cands;
    for (uint32_t r = 0; r < n; ++r) {
      index.Keys(l.prepared(), r, keys);
      index.Candidates(keys, cands);
      for (uint32_t s : by_person[truth.person[r]]) {
        if (s <= r) continue;
        ++total;
        found += std::binary_search(cands.begin(), cands.end(), s);
      }
    }
    std::printf("blocking recall %.4f (%llu of %llu true pairs)\n", double(found) / double(total),
                (unsigned long long)found, (unsigned long long)total);
  }
  Print("izde (Fellegi-Sunter + anti-chaining)", ScoreClusters(cluster, truth.person));
  std::vector<std::pair<uint32_t, uint32_t>> edges, jw;
  for (const auto& p : l.pairs())
    if (Probability(p.score) >= o.match_probability) edges.emplace_back(p.a, p.b);
  const std::vector<std::string> single = Components(n, edges);
  Print("same scores, single linkage", ScoreClusters(single, truth.person));
  // Baseline: plain Jaro-Winkler >= 0.9 on the raw, lower-cased names, over the
  // same candidate pairs (kinder to it than comparing all pairs), single linkage.
  for (const auto& p : l.pairs()) {
    if (JaroWinkler(Fold(truth.records.values[p.a][0]), Fold(truth.records.values[p.b][0])) >= 0.9)
      jw.emplace_back(p.a, p.b);
  }
  Print("baseline: Jaro-Winkler >= 0.9 on raw names",
        ScoreClusters(Components(n, jw), truth.person));
  // IZDE_LINK_DUMP=FILE: every true pair and every false match, one a line
  // (kind, p, levels, both records, their ids and clusters, then whether blocking
  // put them together and whether single linkage at the threshold joins them), for
  // classifying errors beyond the examples.
  if (const char* dump = std::getenv("IZDE_LINK_DUMP")) {
    std::ofstream out(dump);
    std::unordered_map<std::string, std::vector<uint32_t>> by_person, members;
    for (uint32_t r = 0; r < n; ++r) {
      by_person[truth.person[r]].push_back(r);
      members[cluster[r]].push_back(r);
    }
    std::vector<uint64_t> keys;
    std::vector<uint32_t> cands;
    auto line = [&](const char* kind, uint32_t a, uint32_t b) {
      index.Keys(l.prepared(), a, keys);
      index.Candidates(keys, cands);
      const bool blocked = std::binary_search(cands.begin(), cands.end(), b);
      out << kind << '\t' << Probability(l.PairScore(a, b)) << '\t';
      Levels lv = CompareRecords(l.prepared(), a, b);
      for (size_t f = 0; f < truth.records.schema.fields.size(); ++f) out << int(lv[f]);
      for (uint32_t r : {a, b}) {
        out << '\t' << truth.person[r];
        for (const auto& v : truth.records.values[r]) out << '\t' << v;
      }
      out << '\t' << truth.records.ids[a] << '\t' << truth.records.ids[b] << '\t' << cluster[a]
          << '\t' << cluster[b] << '\t' << blocked << '\t' << (single[a] == single[b]) << '\n';
    };
    for (uint32_t r = 0; r < n; ++r) {
      for (uint32_t s : by_person[truth.person[r]])
        if (s > r) line(cluster[s] == cluster[r] ? "hit" : "miss", r, s);
      for (uint32_t s : members[cluster[r]])
        if (s > r && truth.person[s] != truth.person[r]) line("false", r, s);
    }
  }
  if (examples > 0) {
    std::unordered_map<std::string, std::vector<uint32_t>> members;
    for (uint32_t r = 0; r < n; ++r) members[cluster[r]].push_back(r);
    std::printf("False matches (same cluster, different people):\n");
    int shown = 0;
    for (uint32_t r = 0; r < n && shown < examples; ++r)
      for (uint32_t s : members[cluster[r]])
        if (s > r && truth.person[s] != truth.person[r] && shown < examples) {
          Show(l, truth.records, r, s);
          ++shown;
        }
    std::printf("Missed matches (same person, different clusters):\n");
    std::unordered_map<std::string, std::vector<uint32_t>> by_person;
    for (uint32_t r = 0; r < n; ++r) by_person[truth.person[r]].push_back(r);
    shown = 0;
    for (uint32_t r = 0; r < n && shown < examples; ++r)
      for (uint32_t s : by_person[truth.person[r]])
        if (s > r && cluster[s] != cluster[r] && shown < examples) {
          Show(l, truth.records, r, s);
          ++shown;
        }
  }
  return 0;
}

// What each blocking rule costs and brings: candidate pairs, true pairs, and true
// pairs that no other rule finds.
int Blocks(const std::string& path, size_t max_block) {
  Truth truth = ReadTruth(path);
  const size_t n = truth.records.ids.size();
  Prepared p = Prepare(truth.records, 2);
  const auto rules = DefaultRules(p.schema);
  std::vector<std::unique_ptr<BlockIndex>> index;
  for (const auto& rule : rules) {
    index.push_back(std::make_unique<BlockIndex>(std::vector<BlockingRule>{rule}, max_block));
    index.back()->Add(p, 0, 2);
  }
  std::unordered_map<std::string, std::vector<uint32_t>> by_person;
  for (uint32_t r = 0; r < n; ++r) by_person[truth.person[r]].push_back(r);
  std::vector<uint64_t> pairs(rules.size()), found(rules.size()), only(rules.size());
  uint64_t total = 0, any = 0, union_pairs = 0;
  std::vector<std::vector<uint32_t>> cands(rules.size());
  std::vector<uint64_t> keys;
  std::vector<uint32_t> all;
  // IZDE_SHOW_UNBLOCKED=N prints every Nth true pair no rule finds (97 when N is not
  // a number; 1 prints them all).
  const char* show = std::getenv("IZDE_SHOW_UNBLOCKED");
  const int show_every = !show ? 0 : std::atoi(show) > 0 ? std::atoi(show) : 97;
  for (uint32_t r = 0; r < n; ++r) {
    all.clear();
    for (size_t i = 0; i < rules.size(); ++i) {
      index[i]->Keys(p, r, keys);
      index[i]->Candidates(keys, cands[i]);
      for (uint32_t s : cands[i])
        if (s > r) {
          ++pairs[i];
          all.push_back(s);
        }
    }
    std::sort(all.begin(), all.end());
    union_pairs += static_cast<uint64_t>(std::unique(all.begin(), all.end()) - all.begin());
    for (uint32_t s : by_person[truth.person[r]]) {
      if (s <= r) continue;
      ++total;
      size_t hits = 0, last = 0;
      for (size_t i = 0; i < rules.size(); ++i)
        if (std::binary_search(cands[i].begin(), cands[i].end(), s)) {
          ++found[i];
          ++hits;
          last = i;
        }
      any += hits > 0;
      if (hits == 1) ++only[last];
      if (hits == 0 && show_every > 0 && total % show_every == 0)
        std::printf("unblocked: [%s | %s | %s | %s] [%s | %s | %s | %s]\n",
                    truth.records.values[r][0].c_str(), truth.records.values[r][2].c_str(),
                    truth.records.values[r][3].c_str(), truth.records.values[r][4].c_str(),
                    truth.records.values[s][0].c_str(), truth.records.values[s][2].c_str(),
                    truth.records.values[s][3].c_str(), truth.records.values[s][4].c_str());
    }
  }
  std::printf("%zu records, max block %zu: %llu candidate pairs (union), blocking recall %.4f\n", n,
              max_block, (unsigned long long)union_pairs, double(any) / double(total));
  std::printf("%-36s %12s %10s %10s\n", "rule", "pairs", "recall", "only");
  for (size_t i = 0; i < rules.size(); ++i)
    std::printf("%-36s %12llu %10.4f %10llu\n", rules[i].name.c_str(), (unsigned long long)pairs[i],
                double(found[i]) / double(total), (unsigned long long)only[i]);
  return 0;
}

int Incremental(const std::string& path, int fresh, int threads) {
  Truth truth = ReadTruth(path);
  RawRecords base = truth.records, more{truth.records.schema, {}, {}};
  const size_t keep = base.ids.size() - static_cast<size_t>(fresh);
  more.ids.assign(base.ids.begin() + static_cast<long>(keep), base.ids.end());
  more.values.assign(base.values.begin() + static_cast<long>(keep), base.values.end());
  base.ids.resize(keep);
  base.values.resize(keep);
  LinkOptions o;
  o.threads = threads;
  double t = Now();
  Linker l = Linker::Build(base, o);
  std::printf("built %zu records in %.2f s\n", keep, Now() - t);
  std::vector<std::string> before(keep);
  for (uint32_t r = 0; r < keep; ++r) before[r] = l.ClusterId(r);
  t = Now();
  l.Add(more);
  const double secs = Now() - t;
  size_t changed = 0;
  for (uint32_t r = 0; r < keep; ++r) changed += before[r] != l.ClusterId(r);
  std::printf("added %d records in %.3f s; %zu existing records changed cluster id\n", fresh, secs,
              changed);
  return 0;
}

int StateRun(const std::string& path, int fresh, int threads, std::string sealed) {
  Truth truth = ReadTruth(path);
  RawRecords base = truth.records, more{truth.records.schema, {}, {}};
  const size_t keep = base.ids.size() - static_cast<size_t>(fresh);
  more.ids.assign(base.ids.begin() + static_cast<long>(keep), base.ids.end());
  more.values.assign(base.values.begin() + static_cast<long>(keep), base.values.end());
  base.ids.resize(keep);
  base.values.resize(keep);
  LinkOptions o;
  o.threads = threads;
  // Sealed as izde dedupe --state seals it, with the cheapest passphrase stretching
  // (a fixed cost of milliseconds, not what is measured here).
  const char* pass = "bench passphrase";
  const bool reuse = !sealed.empty() && std::ifstream(sealed).good();
  const bool remove = sealed.empty();
  if (sealed.empty()) sealed = path + ".link-state-bench";
  std::vector<std::string> before(keep);
  if (!reuse) {
    double t = Now();
    Linker l = Linker::Build(base, o);
    std::printf("built %zu records in %.2f s\n", keep, Now() - t);
    t = Now();
    const std::clock_t e0 = std::clock();
    const std::string bytes = l.SaveState();
    const double encode = Now() - t, encode_cpu = double(std::clock() - e0) / CLOCKS_PER_SEC;
    t = Now();
    izde::Status s = izde::vault::SealWithPassphrase(bytes, sealed, pass,
                                                     izde::vault::KdfCost::kTestOnlyMinimum);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 1;
    }
    std::printf("state: %.1f MiB, encoded in %.2f s (%.2f s CPU), sealed and written in %.2f s\n",
                double(bytes.size()) / (1 << 20), encode, encode_cpu, Now() - t);
  }
  {
    auto bytes = izde::vault::OpenWithPassphrase(sealed, pass);
    auto l = bytes.ok() ? Linker::LoadState(std::move(*bytes), threads, sealed)
                        : izde::Result<Linker>(bytes.status());
    if (!l.ok()) {
      std::fprintf(stderr, "%s\n", l.status().message().c_str());
      return 1;
    }
    if (l->prepared().size() != keep) {
      std::fprintf(stderr, "%s holds %zu records, not %zu\n", sealed.c_str(), l->prepared().size(),
                   keep);
      return 1;
    }
    for (uint32_t r = 0; r < keep; ++r) before[r] = l->ClusterId(r);
  }
  const std::clock_t c0 = std::clock();
  const double t0 = Now();
  auto bytes = izde::vault::OpenWithPassphrase(sealed, pass);
  if (!bytes.ok()) {
    std::fprintf(stderr, "%s\n", bytes.status().message().c_str());
    return 1;
  }
  const double t1 = Now();
  const std::clock_t c1 = std::clock();
  auto l = Linker::LoadState(std::move(*bytes), threads, sealed);
  if (!l.ok()) {
    std::fprintf(stderr, "%s\n", l.status().message().c_str());
    return 1;
  }
  const double t2 = Now();
  const std::clock_t c2 = std::clock();
  l->Add(more);
  const double t3 = Now();
  const std::clock_t c3 = std::clock();
  const double cpu = double(c3 - c0) / CLOCKS_PER_SEC;
  if (remove) std::remove(sealed.c_str());
  size_t changed = 0;
  for (uint32_t r = 0; r < keep; ++r) changed += before[r] != l->ClusterId(r);
  std::printf(
      "load: open %.3f s + decode %.3f s; add %d records: %.3f s (%llu comparisons); "
      "total %.3f s wall, %.3f s CPU (all threads: open %.3f, decode %.3f, add %.3f); "
      "%zu existing records changed cluster id, %zu of them decoded\n",
      t1 - t0, t2 - t1, fresh, t3 - t2, (unsigned long long)l->stats().comparisons, t3 - t0, cpu,
      double(c1 - c0) / CLOCKS_PER_SEC, double(c2 - c1) / CLOCKS_PER_SEC,
      double(c3 - c2) / CLOCKS_PER_SEC, changed, l->prepared().values.decoded_records());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: bench_link febrl4 SHARED_DIR [-v] | cross FILE [threads] [examples] | "
                 "incremental FILE NEW [threads]\n");
    return 2;
  }
  bool verbose = argc > 3 && std::strcmp(argv[3], "-v") == 0;
  if (std::strcmp(argv[1], "febrl4") == 0) return Febrl4(argv[2], verbose);
  if (std::strcmp(argv[1], "cross") == 0)
    return Cross(argv[2], argc > 3 ? std::atoi(argv[3]) : 2, argc > 4 ? std::atoi(argv[4]) : 0);
  if (std::strcmp(argv[1], "blocks") == 0)
    return Blocks(argv[2], argc > 3 ? static_cast<size_t>(std::atoi(argv[3])) : 400);
  if (std::strcmp(argv[1], "state") == 0 && argc > 3)
    return StateRun(argv[2], std::atoi(argv[3]), argc > 4 ? std::atoi(argv[4]) : 2,
                    argc > 5 ? argv[5] : "");
  if (std::strcmp(argv[1], "incremental") == 0 && argc > 3)
    return Incremental(argv[2], std::atoi(argv[3]), argc > 4 ? std::atoi(argv[4]) : 2);
  return 2;
}
