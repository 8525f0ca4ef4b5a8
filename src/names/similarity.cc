#include "names/similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "names/phonetic_key.h"

namespace izde::names {
namespace {

// Costs in hundredths of one full edit.
constexpr int kFull = 100;
constexpr size_t kMaxKeyLength = 48;

struct CostTable {
  std::array<std::array<uint8_t, 128>, 128> substitute;
  std::array<uint8_t, 128> indel;
  std::array<uint8_t, 128> weight;
};

CostTable MakeCostTable() {
  CostTable t;
  for (auto& row : t.substitute) row.fill(kFull);
  for (int c = 0; c < 128; ++c) t.substitute[c][c] = 0;
  t.indel.fill(kFull);
  t.weight.fill(kFull);
  auto pair = [&t](char x, char y, int cost) {
    t.substitute[static_cast<int>(x)][static_cast<int>(y)] = cost;
    t.substitute[static_cast<int>(y)][static_cast<int>(x)] = cost;
  };
  const std::string_view vowels = "aeiou";
  for (char x : vowels) {
    for (char y : vowels) {
      if (x != y) pair(x, y, 40);
    }
    t.indel[static_cast<int>(x)] = 30;
    t.weight[static_cast<int>(x)] = 60;
  }
  // Vowels that romanisations and Chinese transcription trade most often:
  // ä/e/a (Mämet, Memet, Mamet), ı/i/e, ö/o/u, Tursun/Tursyn.
  pair('a', 'e', 20);
  pair('e', 'i', 25);
  pair('o', 'u', 20);
  pair('i', 'u', 30);
  pair('i', 'y', 20);
  pair('u', 'v', 40);  // Kazakh у read as w
  // Consonants that one script or transcription writes for another's.
  pair('k', 'g', 30);
  pair('k', 'x', 25);  // Akytkhan / Akytkan; 汗 han / khan
  pair('g', 'x', 30);
  pair('b', 'p', 30);
  pair('t', 'd', 30);
  pair('s', 'z', 35);
  pair('s', 'S', 30);  // 逊 xun read as sun / shun
  pair('j', 'C', 35);
  pair('j', 'z', 40);
  pair('S', 'C', 40);
  pair('j', 'y', 40);  // Jusup / Yusup
  pair('v', 'b', 45);
  pair('v', 'f', 35);
  pair('f', 'p', 40);  // 甫 -p / -f
  pair('n', 'N', 20);
  pair('g', 'N', 50);
  pair('m', 'n', 60);
  pair('l', 'r', 45);  // Chinese writes Turkic r with 拉 la, 力 li, 丽 li
  pair('k', 'C', 50);  // Yengi Yeziq q = ch
  t.indel[static_cast<int>('y')] = 30;
  t.indel[static_cast<int>('x')] = 40;  // Mehmet / Memet
  t.indel[static_cast<int>('n')] = 70;  // 江 jiang for -jan, nasal finals in pinyin
  t.indel[static_cast<int>('N')] = 60;
  t.weight[static_cast<int>('y')] = 60;
  return t;
}

const CostTable& Costs() {
  static const CostTable table = MakeCostTable();
  return table;
}

int Weight(std::string_view s) {
  const CostTable& t = Costs();
  int w = 0;
  for (char c : s) w += t.weight[static_cast<unsigned char>(c) & 0x7F];
  return w;
}

// A vowel at the very end of a key is cheaper to add or drop: Chinese transcription
// closes final consonants with one (买买提 maimaiti for Memet, 阿迪力 adili for Adil).
constexpr int kFinalVowelIndel = 12;

int Indel(const CostTable& t, std::string_view s, size_t i) {
  const int c = static_cast<unsigned char>(s[i]) & 0x7F;
  if (i + 1 == s.size() && IsKeyVowel(static_cast<char>(c))) return kFinalVowelIndel;
  return t.indel[c];
}

int Distance(std::string_view a, std::string_view b) {
  const CostTable& t = Costs();
  a = a.substr(0, kMaxKeyLength);
  b = b.substr(0, kMaxKeyLength);
  std::array<int, kMaxKeyLength + 1> previous, current, insert_b;
  previous[0] = 0;
  for (size_t j = 0; j < b.size(); ++j) {
    insert_b[j] = Indel(t, b, j);
    previous[j + 1] = previous[j] + insert_b[j];
  }
  for (size_t i = 0; i < a.size(); ++i) {
    const int ca = static_cast<unsigned char>(a[i]) & 0x7F;
    const int delete_a = Indel(t, a, i);
    current[0] = previous[0] + delete_a;
    const auto& row = t.substitute[ca];
    for (size_t j = 0; j < b.size(); ++j) {
      const int cb = static_cast<unsigned char>(b[j]) & 0x7F;
      int best = previous[j] + row[cb];
      best = std::min(best, previous[j + 1] + delete_a);
      best = std::min(best, current[j] + insert_b[j]);
      current[j + 1] = best;
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

struct Similarity {
  double value;
  bool alternative;
};

// The next consonant of a key at or after `i` (vowels and y skipped, repeats
// collapsed), advancing `i` past it; 0 at the end.
char NextConsonant(std::string_view key, size_t& i) {
  while (i < key.size() && (IsKeyVowel(key[i]) || key[i] == 'y')) ++i;
  if (i == key.size()) return 0;
  const char c = key[i++];
  while (i < key.size() && (key[i] == c || IsKeyVowel(key[i]) || key[i] == 'y')) {
    if (key[i] != c) {
      size_t j = i;
      while (j < key.size() && (IsKeyVowel(key[j]) || key[j] == 'y')) ++j;
      if (j == key.size() || key[j] != c) break;
      i = j;
    }
    ++i;
  }
  return c;
}

// Whether two keys have the same consonants in the same order: they differ, if at
// all, only in vowels.
bool SameConsonants(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (true) {
    const char x = NextConsonant(a, i), y = NextConsonant(b, j);
    if (x != y) return false;
    if (!x) return true;
  }
}

// Two tokens in Chinese characters whose readings differ in a consonant differ in
// a character, and a different character is a different name (古丽扎尔 Gülzar /
// 古丽娜尔 Gülnar, 张 / 王), not a spelling variant: characters have no typos of the
// kind romanisations have. Readings that differ only in vowels are variant
// transcriptions of one name (托合提 / 吐合提, Toxti).
constexpr double kOtherCharacter = 0.6;

Similarity TokenSimilarity(const KeyedToken& a, const KeyedToken& b) {
  Similarity best{KeySimilarity(a.stem, b.stem), false};
  if (best.value >= 1.0) return best;
  auto consider = [&best](std::string_view x, std::string_view y) {
    if (x.empty() || y.empty()) return;
    const double s = KeySimilarity(x, y);
    if (s > best.value) best = {s, true};
  };
  consider(a.alt_stem, b.stem);
  consider(a.stem, b.alt_stem);
  consider(a.alt_stem, b.alt_stem);
  if (a.han && b.han && best.value > kOtherCharacter && best.value < 1.0 &&
      !SameConsonants(a.stem, b.stem) &&
      !(!a.alt_stem.empty() && !b.alt_stem.empty() && SameConsonants(a.alt_stem, b.alt_stem)))
    best.value = kOtherCharacter;
  return best;
}

// Weight of a part the other name lacks: a missing patronymic is normal (Chinese and
// Uyghur forms drop it), a missing given or family name much less so.
double MissingWeight(PartRole role) { return role == PartRole::kPatronymic ? 0.3 : 0.6; }

// `parts` joined in order (or reversed), each part by its stem or, with
// `alternative`, by its alternative reading where it has one.
double JoinedSimilarity(std::string_view single, const NameKey& parts, bool reversed,
                        bool alternative) {
  std::string joined;
  const size_t n = parts.tokens.size();
  for (size_t i = 0; i < n; ++i) {
    const KeyedToken& t = parts.tokens[reversed ? n - 1 - i : i];
    joined += alternative && !t.alt_stem.empty() ? t.alt_stem : t.stem;
  }
  return KeySimilarity(single, joined);
}

double Joined(const NameKey& single, const NameKey& parts) {
  if (parts.tokens.size() > 4) return 0;
  double best = 0;
  for (std::string_view s :
       {std::string_view(single.tokens[0].stem), std::string_view(single.tokens[0].alt_stem)}) {
    if (s.empty()) continue;
    for (bool alternative : {false, true}) {
      best = std::max(best, JoinedSimilarity(s, parts, false, alternative));
      if (parts.tokens.size() == 2) {
        best = std::max(best, JoinedSimilarity(s, parts, true, alternative));
      }
    }
  }
  return best;
}

NameScore Score(const NameKey& a, const NameKey& b, bool explain) {
  NameScore result;
  // MakeNameKey keeps at most kMaxKeyedTokens parts; a hand-built key may not.
  const size_t n = std::min(a.tokens.size(), kMaxKeyedTokens);
  const size_t m = std::min(b.tokens.size(), kMaxKeyedTokens);
  if (n == 0 || m == 0) return result;
  std::array<Similarity, kMaxKeyedTokens * kMaxKeyedTokens> sims;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) sims[i * m + j] = TokenSimilarity(a.tokens[i], b.tokens[j]);
  }
  // Greedy alignment, best pair first: names have few parts and a clear best pair.
  // When both names say which part is the father's, the parts are aligned by role:
  // "Nurlan Bekxanuly" (Nurlan, son of Bekxan) is not "Bekxan Nurlanuly".
  const bool by_role = n == 2 && m == 2 && a.father >= 0 && b.father >= 0;
  uint32_t used_a = 0, used_b = 0;
  double sum = 0, lowest = 1;
  size_t matched = 0;
  while (matched < std::min(n, m)) {
    int bi = -1, bj = -1;
    double bv = -1;
    if (by_role) {
      bi = static_cast<int>(matched);
      bj = bi == a.father ? b.father : 1 - b.father;
      bv = sims[bi * m + bj].value;
    }
    for (size_t i = 0; i < n && !by_role; ++i) {
      if (used_a & (1u << i)) continue;
      for (size_t j = 0; j < m; ++j) {
        if (used_b & (1u << j)) continue;
        if (sims[i * m + j].value > bv) bv = sims[i * m + j].value, bi = i, bj = j;
      }
    }
    used_a |= 1u << bi;
    used_b |= 1u << bj;
    sum += bv;
    lowest = std::min(lowest, bv);
    ++matched;
    if (explain) result.matches.push_back({bi, bj, bv, sims[bi * m + bj].alternative});
  }
  double missing = 0;
  for (size_t i = 0; i < n; ++i) {
    if (used_a & (1u << i)) continue;
    missing += MissingWeight(a.tokens[i].role);
    if (explain) result.matches.push_back({static_cast<int>(i), -1, 0, false});
  }
  for (size_t j = 0; j < m; ++j) {
    if (used_b & (1u << j)) continue;
    missing += MissingWeight(b.tokens[j].role);
    if (explain) result.matches.push_back({-1, static_cast<int>(j), 0, false});
  }
  // The mean says how much of the name agrees; the weakest part keeps a sibling with
  // the same surname and a different given name (Nurlan / Nurbol) below the line.
  const double mean = sum / (matched + missing);
  result.score = 0.5 * mean + 0.5 * lowest;
  if (n != m && (n == 1 || m == 1)) {
    const double joined = n == 1 ? Joined(a, b) : Joined(b, a);
    if (joined > result.score) {
      result.score = joined;
      result.joined = true;
    }
  }
  return result;
}

}  // namespace

double KeySimilarity(std::string_view a, std::string_view b) {
  if (a == b) return a.empty() ? 0 : 1;
  const int longest =
      std::max(Weight(a.substr(0, kMaxKeyLength)), Weight(b.substr(0, kMaxKeyLength)));
  if (longest == 0) return 0;
  const double s = 1.0 - static_cast<double>(Distance(a, b)) / longest;
  return std::max(0.0, s);
}

double ScoreNames(const NameKey& a, const NameKey& b) { return Score(a, b, false).score; }

NameScore ScoreNamesExplained(const NameKey& a, const NameKey& b) { return Score(a, b, true); }

}  // namespace izde::names
