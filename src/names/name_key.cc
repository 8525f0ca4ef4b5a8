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
  for (size_t i = 0; i < keyed.tokens.size(); ++i) {
    if (keyed.roles[i] == PartRole::kParticle) continue;
    if (keyed.tokens[i].stem.empty()) continue;  // e.g. a token of apostrophes only
    if (keyed.key.tokens.size() == kMaxKeyedTokens) break;
    keyed.key.tokens.push_back({keyed.tokens[i].stem, keyed.tokens[i].alt_stem, keyed.roles[i]});
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
