#include "names/name_key.h"

#include "names/normalize.h"

namespace izde::names {

Result<KeyedName> MakeKeyedName(std::string_view name, TokenCache& cache) {
  KeyedName keyed;
  IZDE_ASSIGN_OR_RETURN(keyed.normalized, Normalize(name));
  for (const std::string& token : Tokens(keyed.normalized)) {
    IZDE_ASSIGN_OR_RETURN(auto token_key, cache.Get(token));
    keyed.tokens.push_back(*token_key);
  }
  keyed.roles = ParseRoles(keyed.tokens);
  std::vector<size_t> kept;  // token index of each key part
  for (size_t i = 0; i < keyed.tokens.size(); ++i) {
    if (keyed.roles[i] == PartRole::kParticle) continue;
    if (keyed.tokens[i].stem.empty()) continue;  // e.g. a token of apostrophes only
    if (keyed.key.tokens.size() == kMaxKeyedTokens) break;
    keyed.key.tokens.push_back({keyed.tokens[i].stem, keyed.tokens[i].alt_stem, keyed.roles[i],
                                keyed.tokens[i].script == Script::kHan});
    kept.push_back(i);
  }
  if (kept.size() == 2) {
    const TokenKey& first = keyed.tokens[kept[0]];
    const TokenKey& second = keyed.tokens[kept[1]];
    auto marked = [&](size_t k) {
      return keyed.tokens[kept[k]].ending != KeyEnding::kNone ||
             keyed.roles[kept[k]] == PartRole::kPatronymic;
    };
    if (marked(0) != marked(1))
      keyed.key.father = marked(0) ? 0 : 1;
    else if (!marked(0) && first.script == Script::kHan && second.script == Script::kHan)
      keyed.key.father = 1;
  }
  if (keyed.key.tokens.empty()) {
    return Status::InvalidInput("the name '" + keyed.normalized +
                                "' has no letters that can be compared");
  }
  return keyed;
}

Result<NameKey> MakeNameKey(std::string_view name, TokenCache& cache) {
  IZDE_ASSIGN_OR_RETURN(KeyedName keyed, MakeKeyedName(name, cache));
  return std::move(keyed.key);
}

}  // namespace izde::names
