// Benchmarks for src/estimate, each next to the baseline it is judged against:
//   loglinear: all models + profile intervals, warm-started refits vs cold starts;
//   lcmcr:     Gibbs sweeps per second, per-pattern class counts vs per-person draws;
//   dga:       streaming graph-by-graph posterior vs a dense graph × N matrix.
// Figures and the command line are in bench/estimate/RESULTS.md.
#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <string>

#include "estimate/dga.h"
#include "estimate/lcmcr.h"
#include "estimate/loglinear.h"
#include "estimate/profile_interval.h"
#include "estimate/test_data.h"
#include "per_person_lcmcr.h"

namespace izde::estimate {
namespace {

const CaptureTable& Table(const std::string& file) {
  static std::map<std::string, CaptureTable> cache;
  auto it = cache.find(file);
  if (it == cache.end())
    it = cache.emplace(file, ReadCaptureCounts(MseDataPath(file)).value()).first;
  return it->second;
}

// Eight lists drawn from three latent classes of 6,000 people, expected counts rounded.
const CaptureTable& EightLists() {
  static const CaptureTable table = [] {
    const double share[3] = {0.5, 0.3, 0.2};
    const double p[3][8] = {{0.10, 0.15, 0.05, 0.20, 0.10, 0.08, 0.12, 0.06},
                            {0.40, 0.30, 0.35, 0.25, 0.45, 0.30, 0.20, 0.40},
                            {0.70, 0.60, 0.65, 0.55, 0.60, 0.75, 0.50, 0.70}};
    std::vector<int64_t> counts(256, 0);
    for (uint32_t c = 1; c < 256; ++c) {
      double expected = 0;
      for (int k = 0; k < 3; ++k) {
        double prob = share[k];
        for (int j = 0; j < 8; ++j) prob *= (c >> j & 1) ? p[k][j] : 1 - p[k][j];
        expected += 6000 * prob;
      }
      counts[c] = std::llround(expected);
    }
    return MakeCaptureTable({"a", "b", "c", "d", "e", "f", "g", "h"}, counts).value();
  }();
  return table;
}

void AllModelsWithIntervals(benchmark::State& state, const std::string& file, Refit refit) {
  const CaptureTable& t = Table(file);
  const std::vector<HierarchicalModel> models = AllHierarchicalModels(t.num_lists());
  for (auto _ : state) {
    double sum = 0;
    for (const HierarchicalModel& m : models) {
      LoglinearFit f = FitLoglinearModel(t, m);
      if (!f.mle_exists) continue;
      ProfileInterval ci = ProfileLikelihoodInterval(t, m, f.estimate, f.se, 0.95, refit);
      sum += ci.low + ci.high;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["models"] = static_cast<double>(models.size());
}

void BM_Loglinear4AllIntervals(benchmark::State& s) {
  AllModelsWithIntervals(s, "kosovo.csv", Refit::kWarmStart);
}
void BM_Loglinear4AllIntervalsColdBaseline(benchmark::State& s) {
  AllModelsWithIntervals(s, "kosovo.csv", Refit::kColdStart);
}
void BM_Loglinear5AllIntervals(benchmark::State& s) {
  AllModelsWithIntervals(s, "madigan_york_5.csv", Refit::kWarmStart);
}
void BM_Loglinear5AllIntervalsColdBaseline(benchmark::State& s) {
  AllModelsWithIntervals(s, "madigan_york_5.csv", Refit::kColdStart);
}

// What `izde estimate` runs: every model, intervals for the chosen one and 4 runner-ups.
void BM_Loglinear5Default(benchmark::State& state) {
  const CaptureTable& t = Table("madigan_york_5.csv");
  for (auto _ : state) benchmark::DoNotOptimize(FitLoglinear(t, {}).value().ranked.size());
}

void Sweeps(benchmark::State& state, const CaptureTable& t, int classes) {
  LcmcrChain chain(t, classes, 0.25, 0.25, 1, 0);
  for (int i = 0; i < 1000; ++i) chain.Sweep();
  for (auto _ : state) {
    chain.Sweep();
    benchmark::DoNotOptimize(chain.population());
  }
  state.SetItemsProcessed(state.iterations());
}

void PerPersonSweeps(benchmark::State& state, const CaptureTable& t, int classes) {
  PerPersonLcmcr chain(t, classes, 1);
  for (int i = 0; i < 100; ++i) chain.Sweep();
  for (auto _ : state) {
    chain.Sweep();
    benchmark::DoNotOptimize(chain.population());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_LcmcrKosovoK10(benchmark::State& s) { Sweeps(s, Table("kosovo.csv"), 10); }
void BM_LcmcrKosovoK10PerPersonBaseline(benchmark::State& s) {
  PerPersonSweeps(s, Table("kosovo.csv"), 10);
}
void BM_LcmcrEightListsK20(benchmark::State& s) { Sweeps(s, EightLists(), 20); }
void BM_LcmcrEightListsK20PerPersonBaseline(benchmark::State& s) {
  PerPersonSweeps(s, EightLists(), 20);
}

DgaOptions FiveListRange() {
  DgaOptions o;
  o.delta = 0.5;
  o.min_missing = 0;
  o.max_missing = 100000 - 537;  // N up to 100,000
  return o;
}

void BM_Dga5Streaming(benchmark::State& state) {
  const CaptureTable& t = Table("madigan_york_5.csv");
  for (auto _ : state) benchmark::DoNotOptimize(RunDga(t, FiveListRange()).value().median);
}

void BM_Dga5DenseBaseline(benchmark::State& state) {
  const CaptureTable& t = Table("madigan_york_5.csv");
  for (auto _ : state) benchmark::DoNotOptimize(DgaDenseMedian(t, FiveListRange()));
}

BENCHMARK(BM_Loglinear4AllIntervals)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Loglinear4AllIntervalsColdBaseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Loglinear5Default)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Loglinear5AllIntervals)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Loglinear5AllIntervalsColdBaseline)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_LcmcrKosovoK10)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LcmcrKosovoK10PerPersonBaseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LcmcrEightListsK20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LcmcrEightListsK20PerPersonBaseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Dga5Streaming)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Dga5DenseBaseline)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace izde::estimate

BENCHMARK_MAIN();
