#include "publish/search_index.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <vector>

#include "names/normalize.h"
#include "names/search_keys.h"
#include "publish/site_pages.h"

namespace izde::publish {
namespace {

std::string HexOfCodePoints(std::string_view s, int count) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  std::string out;
  char buf[16];
  for (int32_t i = 0, n = 0; i < u.length() && n < count; i = u.moveIndex32(i, 1), ++n) {
    if (n) out += "-";
    std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>(u.char32At(i)));
    out += buf;
  }
  return out.empty() ? "0" : out;
}

std::string Script(const std::string& name, const nlohmann::json& data) {
  return "izdeIndex(" + nlohmann::json(name).dump() + "," +
         data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ");\n";
}

std::string JsonText(const nlohmann::json& fields, const char* key) {
  auto it = fields.find(key);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string FoldTerm(std::string_view token) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  if (U_FAILURE(err)) return std::string(token);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(token.data(), token.size()));
  u.toLower(icu::Locale::getRoot());
  icu::UnicodeString d = nfd->normalize(u, err);
  if (U_FAILURE(err)) return std::string(token);
  icu::UnicodeString out;
  for (int32_t i = 0; i < d.length(); i = d.moveIndex32(i, 1)) {
    UChar32 c = d.char32At(i);
    if (U_GET_GC_MASK(c) & U_GC_M_MASK) continue;
    out.append(c);
  }
  std::string s;
  out.toUTF8String(s);
  return s;
}

std::string TermShard(std::string_view term) { return HexOfCodePoints(term, 1); }
std::string KeyShard(std::string_view key) { return HexOfCodePoints(key, 2); }

SearchIndexFiles BuildSearchIndex(const PublicDataset& data) {
  // term -> keys, key -> entries
  std::unordered_map<std::string, std::vector<std::string>> token_keys;  // cache per token
  std::map<std::string, std::set<std::string>> terms;
  std::map<std::string, std::vector<uint32_t>> keys;
  auto add_key = [&](const std::string& key, uint32_t entry) {
    auto& list = keys[key];
    if (list.empty() || list.back() != entry) list.push_back(entry);
  };
  // Entry numbers follow the name: people whose first name form has the same search keys
  // are neighbours, so the best hits of a query (ties go to the lower number) sit in few
  // entry shards instead of one shard each. Unnamed entries go last.
  std::vector<const PersonEntry*> people;
  {
    std::vector<std::pair<std::string, const PersonEntry*>> keyed;
    keyed.reserve(data.people.size());
    for (const auto& e : data.people) {
      std::string key;
      if (e.display_name != e.person->id)
        if (auto norm = names::Normalize(e.display_name); norm.ok())
          for (const auto& token : names::Tokens(*norm)) {
            auto [cached, fresh] = token_keys.try_emplace(token);
            if (fresh) cached->second = names::SearchKeys(token);
            key += (cached->second.empty() ? "=" + FoldTerm(token) : cached->second.front()) + " ";
          }
      keyed.emplace_back(key.empty() ? std::string(1, '\x7f') : std::move(key), &e);
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [k, e] : keyed) people.push_back(e);
  }
  token_keys.clear();
  for (uint32_t i = 0; i < people.size(); ++i) {
    const auto& fields = people[i]->person->fields;
    if (auto it = fields.find("names"); it != fields.end() && it->is_array())
      for (const auto& n : *it) {
        if (!n.is_object() || !n.contains("text") || !n["text"].is_string()) continue;
        auto norm = names::Normalize(n["text"].get<std::string>());
        if (!norm.ok()) continue;
        for (const auto& token : names::Tokens(*norm)) {
          auto [cached, fresh] = token_keys.try_emplace(token);
          if (fresh) {
            cached->second = names::SearchKeys(token);
            auto& t = terms[FoldTerm(token)];
            t.insert(cached->second.begin(), cached->second.end());
            // A token with no skeleton (digits only, say) is found by itself.
            if (cached->second.empty()) {
              cached->second.push_back("=" + FoldTerm(token));
              t.insert(cached->second.back());
            }
          }
          for (const auto& k : cached->second) add_key(k, i);
        }
      }
    // Hometowns are found word by word, exactly (after folding).
    if (auto home = JsonText(fields, "hometown"); !home.empty()) {
      auto norm = names::Normalize(home);
      if (norm.ok())
        for (const auto& token : names::Tokens(*norm)) {
          std::string f = FoldTerm(token);
          terms[f].insert("@" + f);
          add_key("@" + f, i);
        }
    }
  }
  SearchIndexFiles out;
  out.terms = terms.size();
  out.keys = keys.size();
  std::map<std::string, nlohmann::json> term_shards, key_shards;
  for (const auto& [t, ks] : terms) term_shards[TermShard(t)][t] = ks;
  for (const auto& [k, es] : keys) key_shards[KeyShard(k)][k] = es;
  for (const auto& [shard, j] : term_shards)
    out.files["search/t/" + shard + ".js"] = Script("t/" + shard, j);
  for (const auto& [shard, j] : key_shards)
    out.files["search/k/" + shard + ".js"] = Script("k/" + shard, j);
  for (size_t s = 0; s * kEntriesPerShard < people.size(); ++s) {
    nlohmann::json rows = nlohmann::json::array();
    for (size_t i = s * kEntriesPerShard; i < std::min(people.size(), (s + 1) * kEntriesPerShard);
         ++i) {
      const auto& e = *people[i];
      rows.push_back({e.person->id, FileNameOf(e.person->id), e.display_name, e.status,
                      JsonText(e.person->fields, "hometown"),
                      JsonText(e.person->fields, "birth_date")});
    }
    out.files["search/e/" + std::to_string(s) + ".js"] = Script("e/" + std::to_string(s), rows);
  }
  // The shards that exist, so that the browser asks for no file that is not there.
  nlohmann::json t = nlohmann::json::array(), k = nlohmann::json::array();
  for (const auto& [shard, j] : term_shards) t.push_back(shard);
  for (const auto& [shard, j] : key_shards) k.push_back(shard);
  nlohmann::json meta = {
      {"entries", people.size()}, {"per_shard", kEntriesPerShard}, {"t", t}, {"k", k}};
  out.files["search/meta.js"] = Script("meta", meta);
  return out;
}

}  // namespace izde::publish
