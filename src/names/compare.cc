#include "names/compare.h"

#include <cstdio>

#include "names/name_key.h"
#include "names/similarity.h"

namespace izde::names {
namespace {

// Below this a token pair is reported as different rather than as a variant.
constexpr double kVariantFloor = 0.75;

std::string Describe(const TokenMatch& m, const std::string& a_key, const std::string& b_key) {
  if (m.a < 0 || m.b < 0) return "no counterpart in the other name";
  if (m.similarity >= 1.0) {
    if (m.alternative) return "same key through the Chinese transcription reading";
    return "same key";
  }
  if (m.similarity >= kVariantFloor) {
    if (m.alternative) return "close through the Chinese transcription reading";
    return a_key == b_key ? "same key" : "spelling variant";
  }
  return "different";
}

std::string Fixed(double v) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.3f", v);
  return buffer;
}

}  // namespace

Result<NameComparison> Compare(std::string_view a, std::string_view b) {
  auto keyed_a = MakeKeyedName(a);
  if (!keyed_a.ok()) return keyed_a.status().Within("first name");
  auto keyed_b = MakeKeyedName(b);
  if (!keyed_b.ok()) return keyed_b.status().Within("second name");
  NameComparison c;
  c.a_normalized = keyed_a->normalized;
  c.b_normalized = keyed_b->normalized;
  const NameScore score = ScoreNamesExplained(keyed_a->key, keyed_b->key);
  c.score = score.score;
  c.threshold = kSameNameThreshold;
  c.same = c.score >= kSameNameThreshold;
  c.joined = score.joined;
  // NameKey drops particles; map its token positions back to the written tokens.
  auto positions = [](const KeyedName& k) {
    std::vector<size_t> at;
    for (size_t i = 0; i < k.tokens.size() && at.size() < k.key.tokens.size(); ++i) {
      if (k.roles[i] != PartRole::kParticle && !k.tokens[i].stem.empty()) at.push_back(i);
    }
    return at;
  };
  const std::vector<size_t> at_a = positions(*keyed_a);
  const std::vector<size_t> at_b = positions(*keyed_b);
  for (const TokenMatch& m : score.matches) {
    PartComparison p;
    if (m.a >= 0) {
      const size_t i = at_a[m.a];
      p.a = keyed_a->tokens[i].text;
      p.a_key = keyed_a->tokens[i].stem;
      p.a_role = keyed_a->roles[i];
    }
    if (m.b >= 0) {
      const size_t j = at_b[m.b];
      p.b = keyed_b->tokens[j].text;
      p.b_key = keyed_b->tokens[j].stem;
      p.b_role = keyed_b->roles[j];
    }
    p.similarity = m.similarity;
    p.how = Describe(m, p.a_key, p.b_key);
    c.parts.push_back(std::move(p));
  }
  return c;
}

nlohmann::json ToJson(const NameComparison& c) {
  nlohmann::json parts = nlohmann::json::array();
  for (const PartComparison& p : c.parts) {
    parts.push_back({{"a", p.a},
                     {"b", p.b},
                     {"a_key", p.a_key},
                     {"b_key", p.b_key},
                     {"a_role", RoleName(p.a_role)},
                     {"b_role", RoleName(p.b_role)},
                     {"similarity", p.similarity},
                     {"how", p.how}});
  }
  return {
      {"a", c.a_normalized}, {"b", c.b_normalized}, {"score", c.score}, {"threshold", c.threshold},
      {"same", c.same},      {"joined", c.joined},  {"parts", parts}};
}

std::string ToText(const NameComparison& c) {
  std::string out = "score " + Fixed(c.score) + " (threshold " + Fixed(c.threshold) +
                    "): " + (c.same ? "same name" : "not the same name") + "\n";
  if (c.joined) {
    out +=
        "one name is a single run-together part; it was compared with the other's "
        "parts joined\n";
  }
  for (const PartComparison& p : c.parts) {
    out += "  " + (p.a.empty() ? std::string("-") : p.a) + " [" + p.a_key + "] ~ " +
           (p.b.empty() ? std::string("-") : p.b) + " [" + p.b_key + "]: " + Fixed(p.similarity) +
           ", " + p.how + "\n";
  }
  return out;
}

}  // namespace izde::names
