// How alike two keyed names are: a weighted edit distance between phonetic keys
// (cheap for the substitutions romanisations actually make: vowels, k/q/kh, j/zh, ...),
// tokens aligned regardless of order, and a 0-1 score calibrated on the labelled
// pair set (data/names/pairs.csv, docs/names.md#accuracy).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "names/name_key.h"

namespace izde::names {

// The score at and above which two names are taken to be the same name. Chosen on
// the calibration half of data/names/pairs.csv; see docs/names.md#accuracy.
inline constexpr double kSameNameThreshold = 0.87;

// 1 for equal keys, 0 for nothing in common.
double KeySimilarity(std::string_view a, std::string_view b);

struct TokenMatch {
  int a = -1;  // token index in the first name, -1 when unmatched
  int b = -1;  // token index in the second name, -1 when unmatched
  double similarity = 0;
  bool alternative = false;  // matched through a token's alternative reading
};

struct NameScore {
  double score = 0;
  // Set when one name is a single token (a Chinese form written without '·', or a
  // name run together) and it matched the other name's parts joined.
  bool joined = false;
  std::vector<TokenMatch> matches;  // filled only by ScoreNamesExplained
};

// For a Han person's name (see docs/names.md), "family|given" in pinyin key letters
// for each way to read it: one for a name in characters, two for two Latin parts
// (either may be the family name). Empty for other names. Equal keys: the same
// Chinese name, whatever the script and order — a blocking key for linkage.
std::vector<std::string> HanNameKeys(const NameKey& key);

// The fast path: no allocation beyond the stack for names of up to kMaxKeyedTokens.
double ScoreNames(const NameKey& a, const NameKey& b);
NameScore ScoreNamesExplained(const NameKey& a, const NameKey& b);

}  // namespace izde::names
