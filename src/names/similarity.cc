#include "names/similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

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
  // but not a or e for u: Mamut (Mahmud) is not Memet (Muhammad), Aynar not Aynur.
  pair('a', 'u', 60);
  pair('e', 'u', 60);
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
// A vowel at the very start is dearer: no transcription adds or drops one (Aqnar is
// not Kunnar, Aknur not Kunnur), while inside a name vowels come and go (Abdurehim,
// Abudureyimu).
constexpr int kFirstVowelIndel = 70;

int Indel(const CostTable& t, std::string_view s, size_t i) {
  const int c = static_cast<unsigned char>(s[i]) & 0x7F;
  if (i + 1 == s.size() && IsKeyVowel(static_cast<char>(c))) return kFinalVowelIndel;
  if (i == 0 && IsKeyVowel(static_cast<char>(c))) return kFirstVowelIndel;
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

// One typing error, as opposed to a spelling that another script or transcription
// makes: two letters swapped (Mtualif, Ynag), a consonant dropped or added inside
// the key (Quban for Qurban), a vowel typed for a consonant or back (Tursrn). A list
// clerk makes one such slip in a name now and then; two names that need two are
// different names. Costs in hundredths of an edit; the other letters of the pair are
// compared as Distance does.
constexpr int kTypoSwap = 45;
constexpr int kTypoIndel = 55;
constexpr int kTypoSubstitute = 55;

bool IsVowelOrGlide(char c) { return IsKeyVowel(c) || c == 'y'; }

// Whether a key has a letter sequence that names in none of the scripts izde reads
// have: three consonants in a row (Tursrn, Mtualif), two at the start (Mmaut), or two
// at the end other than st, nt, rt, lt (Nurgl, Erkinajn). A v after a consonant is
// Kazakh Latin w for u (Timwr, Aysulw, Kwanysh) and counts as a vowel. Such a key is
// likely mistyped; two well-formed keys that differ are different names.
bool Mistyped(std::string_view key) {
  int run = 0;
  bool previous_vowel = true;
  for (size_t i = 0; i < key.size(); ++i) {
    const bool vowel = IsVowelOrGlide(key[i]) || (key[i] == 'v' && !previous_vowel);
    run = vowel ? 0 : run + 1;
    previous_vowel = vowel;
    if (run >= 3 || (run == 2 && i == 1)) return true;
  }
  if (run >= 2 && key.size() >= 3) {
    const std::string_view end = key.substr(key.size() - 2);
    return end != "st" && end != "nt" && end != "rt" && end != "lt";
  }
  return false;
}

// Distance with at most one typing error. Layer 0 has used none, layer 1 one. A
// consonant counts as dropped only inside the key: a missing last consonant is
// another name ending (Sultanbola / Sultanbolat), not a slip. The first letter is
// never substituted: Serik and Berik are two names. With `swaps_only`, the one error
// may only be two neighbouring letters swapped.
int TypoDistance(std::string_view a, std::string_view b, bool swaps_only = false) {
  const CostTable& t = Costs();
  a = a.substr(0, kMaxKeyLength);
  b = b.substr(0, kMaxKeyLength);
  constexpr int kFar = 1 << 20;
  std::array<int, kMaxKeyLength + 1> p0, c0, p1, c1, pp0, insert_b, typo_insert_b;
  auto inner = [](std::string_view s, size_t i) {
    return i + 1 < s.size() && !IsVowelOrGlide(s[i]);
  };
  p0[0] = 0;
  p1[0] = kFar;
  pp0.fill(kFar);
  for (size_t j = 0; j < b.size(); ++j) {
    insert_b[j] = Indel(t, b, j);
    typo_insert_b[j] = !swaps_only && inner(b, j) ? std::min(kTypoIndel, insert_b[j]) : insert_b[j];
    p0[j + 1] = p0[j] + insert_b[j];
    p1[j + 1] = std::min(p1[j] + insert_b[j], p0[j] + typo_insert_b[j]);
  }
  for (size_t i = 0; i < a.size(); ++i) {
    const int ca = static_cast<unsigned char>(a[i]) & 0x7F;
    const int delete_a = Indel(t, a, i);
    const int typo_delete_a =
        !swaps_only && inner(a, i) ? std::min(kTypoIndel, delete_a) : delete_a;
    c0[0] = p0[0] + delete_a;
    c1[0] = std::min(p1[0] + delete_a, p0[0] + typo_delete_a);
    const auto& row = t.substitute[ca];
    for (size_t j = 0; j < b.size(); ++j) {
      const int cb = static_cast<unsigned char>(b[j]) & 0x7F;
      const int sub = row[cb];
      int best0 = p0[j] + sub;
      best0 = std::min(best0, p0[j + 1] + delete_a);
      best0 = std::min(best0, c0[j] + insert_b[j]);
      c0[j + 1] = best0;
      int best1 = p1[j] + sub;
      best1 = std::min(best1, p1[j + 1] + delete_a);
      best1 = std::min(best1, c1[j] + insert_b[j]);
      // The typing error, from layer 0.
      best1 = std::min(best1, p0[j + 1] + typo_delete_a);
      best1 = std::min(best1, c0[j] + typo_insert_b[j]);
      if (!swaps_only && i > 0 && j > 0 && IsVowelOrGlide(a[i]) != IsVowelOrGlide(b[j]))
        best1 = std::min(best1, p0[j] + std::min(sub, kTypoSubstitute));
      if (i > 0 && j > 0 && a[i] != a[i - 1] && a[i] == b[j - 1] && a[i - 1] == b[j])
        best1 = std::min(best1, pp0[j - 1] + kTypoSwap);
      c1[j + 1] = best1;
    }
    pp0 = p0;
    std::swap(p0, c0);
    std::swap(p1, c1);
  }
  return std::min(p0[b.size()], p1[b.size()]);
}

double Relative(std::string_view a, std::string_view b, int distance) {
  const int longest =
      std::max(Weight(a.substr(0, kMaxKeyLength)), Weight(b.substr(0, kMaxKeyLength)));
  if (longest == 0) return 0;
  return std::max(0.0, 1.0 - static_cast<double>(distance) / longest);
}

// KeySimilarity allowing one typing error. Keys of Chinese characters have none.
double TypoSimilarity(std::string_view a, std::string_view b, bool swaps_only = false) {
  if (a == b) return a.empty() ? 0 : 1;
  return Relative(a, b, TypoDistance(a, b, swaps_only));
}

// Whether two neighbouring letters of `x` stand in `y` the other way round: without
// that, allowing a swap cannot bring them nearer.
bool HasSwappedPair(std::string_view x, std::string_view y) {
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    if (x[i] == x[i + 1]) continue;
    const char swapped[2] = {x[i + 1], x[i]};
    if (y.find(std::string_view(swapped, 2)) != std::string_view::npos) return true;
  }
  return false;
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

// Below this, a typing error allowed cannot bring two parts near each other.
constexpr double kTypoFloor = 0.5;
// The same for two swapped letters in a well-formed part, kept higher (the check runs
// on most pairs of similar names) unless the parts are as long as each other, as a
// swap leaves them (Ekrin / Erkin: 0.52 without it).
constexpr double kSwapFloor = 0.6;

// One unit edit apart: a letter added, dropped, changed, or two neighbours swapped.
bool OneEdit(std::string_view a, std::string_view b) {
  if (a == b) return false;
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > 1) return false;
  size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (a.size() != b.size()) return a.substr(i + 1) == b.substr(i);
  if (a.substr(i + 1) == b.substr(i + 1)) return true;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

// The similarity of a part one typing slip away from the other's (see OneSlip).
constexpr double kOneSlip = 0.87;

// Whether `longer` is `shorter` with a patronymic or surname ending that has one
// typing slip in it (Erlanuıl, Armankıız, Bekjaunlı, Galimva for Erlan, Arman,
// Bekjan, Galim): the slip hid the ending from StemOfKey.
bool SlipOfEnding(std::string_view longer, std::string_view shorter) {
  static constexpr std::string_view kEndingsOfKeys[] = {
      "uli", "kizi", "gizi", "ogli", "oglu", "ova", "eva", "ovna", "evna", "oviC", "eviC"};
  if (shorter.size() < 3 || longer.size() <= shorter.size() + 1 ||
      longer.size() > shorter.size() + 5 || longer.size() > kMaxKeyLength)
    return false;
  // The one slip is in the ending, or swaps it with the stem's last letter: the stem
  // but its last letter is intact.
  if (longer.compare(0, shorter.size() - 1, shorter, 0, shorter.size() - 1) != 0) return false;
  std::array<char, kMaxKeyLength + 8> buffer;
  std::copy(shorter.begin(), shorter.end(), buffer.begin());
  for (std::string_view e : kEndingsOfKeys) {
    const size_t size = shorter.size() + e.size();
    if (size + 1 < longer.size() || size > longer.size() + 1) continue;
    std::copy(e.begin(), e.end(), buffer.begin() + static_cast<long>(shorter.size()));
    if (OneEdit(longer, std::string_view(buffer.data(), size))) return true;
  }
  return false;
}

Similarity TokenSimilarity(const KeyedToken& a, const KeyedToken& b) {
  Similarity best{KeySimilarity(a.stem, b.stem), false};
  if (best.value >= 1.0) return best;
  auto consider = [&best](std::string_view x, std::string_view y, bool alternative, auto score) {
    if (x.empty() || y.empty()) return;
    const double s = score(x, y);
    if (s > best.value) best = {s, alternative};
  };
  const auto plain = [](std::string_view x, std::string_view y) { return KeySimilarity(x, y); };
  consider(a.alt_stem, b.stem, true, plain);
  consider(a.stem, b.alt_stem, true, plain);
  consider(a.alt_stem, b.alt_stem, true, plain);
  // One typing error is allowed where a part written in letters looks mistyped.
  if (best.value < 1.0 && best.value >= kTypoFloor &&
      ((!a.han && Mistyped(a.stem)) || (!b.han && Mistyped(b.stem)))) {
    const auto typo = [](std::string_view x, std::string_view y) { return TypoSimilarity(x, y); };
    consider(a.stem, b.stem, false, typo);
    consider(a.alt_stem, b.stem, true, typo);
    consider(a.stem, b.alt_stem, true, typo);
    consider(a.alt_stem, b.alt_stem, true, typo);
  } else if (best.value < 1.0 && !(a.han && b.han) &&
             (best.value >= kSwapFloor ||
              (best.value >= kTypoFloor && a.stem.size() == b.stem.size()))) {
    // Two letters swapped is a slip in any part: no script or transcription swaps
    // letters, and swapping them rarely makes another name (Ekrin, Tusrun, Ebker).
    const auto swap = [](std::string_view x, std::string_view y) {
      return HasSwappedPair(x, y) ? TypoSimilarity(x, y, true) : 0.0;
    };
    consider(a.stem, b.stem, false, swap);
    consider(a.alt_stem, b.stem, true, swap);
    consider(a.stem, b.alt_stem, true, swap);
    consider(a.alt_stem, b.alt_stem, true, swap);
  }
  if (best.value < kOneSlip && best.value >= kTypoFloor && !a.han && !b.han &&
      (SlipOfEnding(a.stem, b.stem) || SlipOfEnding(b.stem, a.stem)))
    best = {kOneSlip, false};
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

// Chinese names of Han people: a common family name and one or two syllables of
// given name, in characters (one part) or in pinyin (two parts, either order). Unlike
// a Turkic name in Chinese transcription, such a name has one spelling: a different
// syllable is a different character and a different name (Li / Liu Wei, Yang Jun /
// 杨娟, 张伟丽 / 郑伟丽), however close the sounds.
const std::vector<std::string>& FamilyNameKeys() {
  static const std::vector<std::string> keys = [] {
    // Pinyin of the family names ChineseFamilyNameLength knows.
    static constexpr std::string_view kPinyin[] = {
        "wang", "li",    "zhang", "liu",   "chen", "yang",  "huang", "zhao", "wu",
        "zhou", "xu",    "sun",   "ma",    "zhu",  "hu",    "guo",   "he",   "gao",
        "lin",  "luo",   "zheng", "liang", "xie",  "song",  "tang",  "han",  "feng",
        "deng", "cao",   "peng",  "zeng",  "xiao", "tian",  "dong",  "yuan", "pan",
        "yu",   "jiang", "cai",   "du",    "ye",   "cheng", "su",    "wei",  "lu",
        "ding", "ren",   "shen",  "yao",   "cui",  "zhong", "tan",   "fan",  "jin",
        "shi",  "liao",  "jia",   "xia",   "fu",   "fang",  "bai",   "zou",  "meng"};
    std::vector<std::string> out;
    for (std::string_view p : kPinyin) out.push_back(PhoneticKey(p));
    return out;
  }();
  return keys;
}

bool IsFamilyNameKey(std::string_view key) {
  const auto& keys = FamilyNameKeys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

int Syllables(std::string_view key) {
  int count = 0;
  for (size_t i = 0; i < key.size(); ++i)
    count += IsKeyVowel(key[i]) && (i == 0 || !IsKeyVowel(key[i - 1]));
  return count;
}

// Whether a key reads as pinyin syllables (an initial and a final each, in the key
// alphabet: zh and c are j, q is k, h is x, w is v, ng is N). A pinyin spelling that
// does not (Yaag, Linaln, Zho) was mistyped.
bool IsPinyinKey(std::string_view key) {
  static constexpr std::string_view kInitials = "bpmfdtnlgkxjCSrzsyv";
  static constexpr std::string_view kFinals[] = {
      "iaN", "ioN", "uaN", "iao", "ian", "uai", "uan", "ai", "ei", "ui", "ao",
      "ou",  "iu",  "ie",  "ue",  "er",  "an",  "en",  "in", "un", "aN", "eN",
      "iN",  "oN",  "ia",  "ua",  "uo",  "a",   "o",   "e",  "i",  "u"};
  const size_t n = key.size();
  if (n == 0 || n > kMaxKeyLength) return false;
  std::array<bool, kMaxKeyLength + 1> reach{};
  reach[0] = true;
  for (size_t i = 0; i < n; ++i) {
    if (!reach[i]) continue;
    const size_t at = kInitials.find(key[i]) != std::string_view::npos ? i + 1 : i;
    for (size_t from : {i, at}) {
      for (std::string_view f : kFinals)
        if (key.substr(from).starts_with(f)) reach[from + f.size()] = true;
    }
  }
  return reach[n];
}

struct ChineseName {
  std::string family, given;
};

// The ways to read a name as a Han person's (family name, given name): one part in
// characters starting with a common family name; or two parts in Latin letters of
// one or two syllables each, either of them the family name. Empty when the name is
// not one.
std::vector<ChineseName> ChineseReadings(const NameKey& k, bool& known_family) {
  std::vector<ChineseName> out;
  known_family = false;
  if (k.tokens.size() == 1 && k.tokens[0].han) {
    const KeyedToken& t = k.tokens[0];
    const std::string& pinyin = t.alt_stem.empty() ? t.stem : t.alt_stem;
    size_t family = 0;
    for (const std::string& f : FamilyNameKeys())
      if (f.size() > family && pinyin.size() > f.size() && pinyin.starts_with(f)) family = f.size();
    if (family == 0) return out;
    const int syllables = Syllables(std::string_view(pinyin).substr(family));
    if (syllables < 1 || syllables > 2) return out;
    known_family = true;
    out.push_back({pinyin.substr(0, family), pinyin.substr(family)});
    return out;
  }
  if (k.tokens.size() == 2 && !k.tokens[0].han && !k.tokens[1].han) {
    const std::string& x = k.tokens[0].stem;
    const std::string& y = k.tokens[1].stem;
    for (const std::string* s : {&x, &y})
      if (Syllables(*s) < 1 || Syllables(*s) > 2) return out;
    known_family = IsFamilyNameKey(x) || IsFamilyNameKey(y);
    out.push_back({x, y});
    out.push_back({y, x});
  }
  return out;
}

}  // namespace

std::vector<std::string> HanNameKeys(const NameKey& key) {
  std::vector<std::string> out;
  bool known_family = false;
  const auto readings = ChineseReadings(key, known_family);
  if (!known_family) return out;
  for (const ChineseName& r : readings) out.push_back(r.family + '|' + r.given);
  return out;
}

namespace {

// Two names of Han people that are not one name: neither the same family and given
// name, nor one of them a slip of typing away from the other's (one edit, leaving
// something that is not pinyin).
// The shapes ChineseReadings accepts, without building the readings: most pairs of
// names in a list are not two Han names, and this runs on every near pair.
bool HanShaped(const NameKey& k, bool& known_family) {
  known_family = false;
  if (k.tokens.size() == 1) return k.tokens[0].han;
  if (k.tokens.size() != 2 || k.tokens[0].han || k.tokens[1].han) return false;
  for (const KeyedToken& t : k.tokens) {
    const int syllables = Syllables(t.stem);
    if (syllables < 1 || syllables > 2) return false;
  }
  known_family = IsFamilyNameKey(k.tokens[0].stem) || IsFamilyNameKey(k.tokens[1].stem);
  return true;
}

bool DifferentChineseNames(const NameKey& a, const NameKey& b) {
  bool a_known = false, b_known = false;
  if (!HanShaped(a, a_known) || !HanShaped(b, b_known)) return false;
  // A name in characters knows its family name only once read; two Latin names that
  // neither has one are not Han names.
  if (!a_known && !b_known && !a.tokens[0].han && !b.tokens[0].han) return false;
  const auto ra = ChineseReadings(a, a_known);
  if (ra.empty()) return false;
  const auto rb = ChineseReadings(b, b_known);
  if (rb.empty() || !(a_known || b_known)) return false;
  auto slip = [](const std::string& x, const std::string& y) {
    return OneEdit(x, y) && (!IsPinyinKey(x) || !IsPinyinKey(y));
  };
  for (const ChineseName& x : ra)
    for (const ChineseName& y : rb) {
      const bool family = x.family == y.family, given = x.given == y.given;
      if (family && given) return false;
      if (family && slip(x.given, y.given)) return false;
      if (given && slip(x.family, y.family)) return false;
    }
  return true;
}

// A part one typing error away from the other name's part, when the names' other
// parts agree exactly, counts kOneSlip: with two parts, 0.5 * mean + 0.5 * lowest
// puts such a name at 0.90, "same name" but not "close".

// One unit edit between two parts written in letters, of four letters or more, that
// start alike: a letter dropped, two swapped or one replaced.
bool OneSlip(const KeyedToken& a, const KeyedToken& b) {
  if (a.han || b.han) return false;
  if (a.stem.size() < 4 || b.stem.size() < 4 || a.stem[0] != b.stem[0]) return false;
  std::string_view x = a.stem, y = b.stem;
  if (!OneEdit(x, y)) return false;
  if (x.size() < y.size()) std::swap(x, y);
  size_t i = 0;
  while (i < y.size() && x[i] == y[i]) ++i;
  // A letter dropped inside the part (Nijat / Niat, Nurtay / Nuray): a dropped last
  // letter is another ending (Alim / Ali, Sultanbolat / Sultanbola).
  if (x.size() != y.size()) return i + 1 < x.size();
  // Two letters swapped, or a vowel typed for a consonant or back (Erkin / Eruin):
  // not one consonant for another, which makes another name (Nurlan / Nurjan).
  if (x.substr(i + 1) != y.substr(i + 1)) return true;
  return IsVowelOrGlide(x[i]) != IsVowelOrGlide(y[i]);
}

// The highest score two different Han names get: what their sounds share is no
// evidence that they are one name.
constexpr double kOtherChineseName = 0.8;

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
  size_t matched = 0, inexact = 0;
  int lowest_i = -1, lowest_j = -1;
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
    if (bv < lowest) lowest = bv, lowest_i = bi, lowest_j = bj;
    inexact += bv < 1.0;
    ++matched;
    if (explain) result.matches.push_back({bi, bj, bv, sims[bi * m + bj].alternative});
  }
  // One typing error that leaves a well-formed part (Muxtar / Muxsar, Yalqun /
  // Yalqul, Erkin / Eruin) in a name whose other parts agree exactly.
  if (n == m && n >= 2 && inexact == 1 && lowest < kOneSlip &&
      OneSlip(a.tokens[lowest_i], b.tokens[lowest_j])) {
    sum += kOneSlip - lowest;
    lowest = kOneSlip;
    if (explain)
      for (TokenMatch& t : result.matches)
        if (t.a == lowest_i && t.b == lowest_j) t.similarity = kOneSlip;
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
  if (result.score > kOtherChineseName && DifferentChineseNames(a, b))
    result.score = kOtherChineseName;
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
