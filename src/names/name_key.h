// A whole name reduced to what Compare needs: per token its phonetic stem, an
// alternative stem and its role. Built once per name (e.g. at index time) so that
// comparing two names touches no ICU and allocates nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "names/name_parts.h"
#include "names/token_key.h"

namespace izde::names {

// Names with more parts than this are compared on their first kMaxKeyedTokens parts.
inline constexpr size_t kMaxKeyedTokens = 8;

struct KeyedToken {
  std::string stem;
  std::string alt_stem;  // empty when the token has only one reading
  PartRole role = PartRole::kGiven;
  bool han = false;  // written in Chinese characters
};

struct NameKey {
  std::vector<KeyedToken> tokens;  // particles ("uly", "kyzy") left out
  // In a name of two parts, the one that is known to be the father's name, -1 when
  // the name does not say: the part with a patronymic or surname ending (Nurlanuly,
  // Nurlanova, "Nurlan uly"), else the second of two parts in Chinese characters
  // (Chinese lists write Turkic names Given·Father). Names that both say are
  // compared part by role, not in whichever order matches best.
  int father = -1;
};

// Normalises, tokenises and keys `name`, using `cache` for the tokens.
Result<NameKey> MakeNameKey(std::string_view name, TokenCache& cache = SharedTokenCache());

// The same, returning also the full per-token detail (for Explain and Compare).
struct KeyedName {
  std::string normalized;
  std::vector<TokenKey> tokens;
  std::vector<PartRole> roles;
  NameKey key;
};
Result<KeyedName> MakeKeyedName(std::string_view name, TokenCache& cache = SharedTokenCache());

}  // namespace izde::names
