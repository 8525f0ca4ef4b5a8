// Name keys and comparison speed. Baselines in the same run: keys without the token
// cache (an ICU call per token), and comparison by plain Levenshtein distance on the
// romanised strings (what a matcher without phonetic keys does).
//
// The names are synthetic: common Kazakh and Uyghur name parts written in Latin,
// Cyrillic, Arabic script and Chinese characters, a fifth of the Latin parts with one
// letter changed, so a million names hold tens of thousands of distinct tokens.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "names/name_key.h"
#include "names/similarity.h"

namespace izde::names {
namespace {

const std::vector<std::string> kGiven = {
    "Nurlan",   "Nurbol",   "Erlan",  "Serik",  "Baurzhan", "Askar",   "Daulet",  "Kairat",
    "Murat",    "Bakyt",    "Bolat",  "Qalida", "Aigul",    "Ainur",   "Gulnar",  "Zhanar",
    "Saule",    "Dinara",   "Ilham",  "Memet",  "Tursun",   "Erkin",   "Qurban",  "Yusup",
    "Adil",     "Alim",     "Perhat", "Aygul",  "Reyhan",   "Gulnisa", "Patigul", "Amine",
    "Нұрлан",   "Ерлан",    "Серік",  "Қайрат", "Мұрат",    "Бақыт",   "Қалида",  "Айгүл",
    "Гүлнар",   "Жанар",    "Динара", "Илһам",  "Әркин",    "ئىلھام",  "مەمەت",   "تۇرسۇن",
    "ئەركىن",   "قۇربان",   "ئايگۈل", "رەيھان", "买买提",   "吐尔逊",  "努尔兰",  "阿依古丽",
    "古丽娜尔", "伊力哈木", "艾尔肯", "库尔班"};
const std::vector<std::string> kFather = {
    "Akytkhan", "Tursunov", "Serikbay", "Zhumabaev", "Ospanuly", "Qasymova", "Toxti",
    "Tohti",    "Abdulla",  "Niyaz",    "Hoshur",    "Yasin",    "Osman",    "Qadir",
    "Ақытхан",  "Тұрсынов", "Жұмабай",  "Оспанқызы", "Тохти",    "Абдулла",  "توختى",
    "ئابدۇللا", "نىياز",    "ياسىن",    "阿克提汗",  "托合提",   "阿不都拉", "尼亚孜"};

std::vector<std::string> MakeNames(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> names;
  names.reserve(n);
  auto mutate = [&rng](std::string s) {
    if (static_cast<unsigned char>(s[0]) < 0x80 && rng() % 5 == 0) {
      s[1 + rng() % (s.size() - 1)] = static_cast<char>('a' + rng() % 26);
    }
    return s;
  };
  for (size_t i = 0; i < n; ++i) {
    std::string given = mutate(kGiven[rng() % kGiven.size()]);
    std::string father = mutate(kFather[rng() % kFather.size()]);
    names.push_back(rng() % 2 ? given + " " + father : given + "·" + father);
  }
  return names;
}

// Keys for every name, split over `threads` threads.
void KeyAll(const std::vector<std::string>& names, TokenCache& cache, int threads) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t i = t; i < names.size(); i += threads) {
        auto key = MakeNameKey(names[i], cache);
        benchmark::DoNotOptimize(key);
      }
    });
  }
  for (auto& w : workers) w.join();
}

void BM_KeysCached(benchmark::State& state) {
  const auto names = MakeNames(state.range(0), 1);
  const int threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    TokenCache cache;  // starts cold in every iteration
    KeyAll(names, cache, threads);
  }
  state.SetItemsProcessed(state.iterations() * names.size());
  state.counters["threads"] = threads;
}
BENCHMARK(BM_KeysCached)
    ->Args({1000000, 2})
    ->Args({100000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_KeysUncached(benchmark::State& state) {
  const auto names = MakeNames(state.range(0), 1);
  TokenCache no_cache(0);
  for (auto _ : state) KeyAll(names, no_cache, 1);
  state.SetItemsProcessed(state.iterations() * names.size());
}
BENCHMARK(BM_KeysUncached)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr size_t kPool = 4096;

void BM_CompareKeys(benchmark::State& state) {
  const auto names = MakeNames(kPool, 2);
  std::vector<NameKey> keys;
  for (const auto& n : names) keys.push_back(*MakeNameKey(n));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ScoreNames(keys[i % kPool], keys[(i * 7 + 1) % kPool]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompareKeys);

// Baseline: unit-cost Levenshtein on the romanised names.
int Levenshtein(const std::string& a, const std::string& b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

void BM_CompareLevenshteinBaseline(benchmark::State& state) {
  const auto names = MakeNames(kPool, 2);
  std::vector<std::string> latin;
  for (const auto& n : names) {
    auto keyed = MakeKeyedName(n);
    std::string joined;
    for (const auto& t : keyed->tokens) joined += t.latin + " ";
    latin.push_back(joined);
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Levenshtein(latin[i % kPool], latin[(i * 7 + 1) % kPool]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompareLevenshteinBaseline);

}  // namespace
}  // namespace izde::names

BENCHMARK_MAIN();
