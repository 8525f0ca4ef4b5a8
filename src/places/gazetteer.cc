#include "places/gazetteer.h"

#include <algorithm>
#include <set>

#include "names/normalize.h"
#include "names/phonetic_key.h"
#include "names/similarity.h"
#include "names/transliterate.h"
#include "places/gazetteer_data.h"

namespace izde::places {
namespace {

constexpr double kFuzzyFloor = 0.8;

std::vector<std::string_view> Split(std::string_view s, char by) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(by, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

// Words for "city", "county", "district", ... in the languages of the table: a
// hometown is written with or without them.
bool IsGenericWord(std::string_view w) {
  static const std::set<std::string, std::less<>> kWords = {
      "shi",      "xian",   "qu",         "city",   "county",   "district", "prefecture",
      "shehiri",  "shehri", "nahiyisi",   "nahiye", "nahiyesi", "rayoni",   "region",
      "ауданы",   "қаласы", "аудан",      "шәһири", "наһийиси", "шәһәр",    "شەھىرى",
      "ناھىيىسى", "ناھىيە", "autonomous", "town",   "oblast",   "wilayiti"};
  return kWords.contains(w);
}

// Chinese suffixes for the same.
std::string StripHanSuffix(std::string s) {
  for (std::string_view suffix : {"自治州", "地区", "市", "县", "区", "州"}) {
    if (s.size() > suffix.size() + 3 && s.ends_with(suffix)) {
      return s.substr(0, s.size() - suffix.size());
    }
  }
  return s;
}

std::string Core(const std::string& normalized) {
  std::string core;
  for (const std::string& token : names::Tokens(normalized)) {
    if (IsGenericWord(token)) continue;
    if (!core.empty()) core += ' ';
    core += token;
  }
  return StripHanSuffix(core.empty() ? normalized : core);
}

std::string KeyOf(const std::string& core) {
  std::string latin;
  for (const std::string& token : names::Tokens(core)) {
    auto l = names::ToLatin(token);
    if (!l.ok()) return "";
    latin += *l;
  }
  return names::PhoneticKey(latin);
}

}  // namespace

std::string_view LevelName(PlaceLevel level) {
  switch (level) {
    case PlaceLevel::kRegion:
      return "region";
    case PlaceLevel::kPrefecture:
      return "prefecture";
    case PlaceLevel::kCounty:
      return "county";
  }
  return "county";
}

std::string_view AgreementName(RegionAgreement agreement) {
  switch (agreement) {
    case RegionAgreement::kSameCounty:
      return "same_county";
    case RegionAgreement::kSamePrefecture:
      return "same_prefecture";
    case RegionAgreement::kSameRegion:
      return "same_region";
    case RegionAgreement::kDifferent:
      return "different";
  }
  return "different";
}

Result<Gazetteer> Gazetteer::Parse(std::string_view tsv) {
  Gazetteer g;
  int line_number = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != 8 || f[0].size() != 6) {
      return Status::Corrupt("gazetteer line " + std::to_string(line_number) +
                             ": expected 8 tab-separated fields starting with a 6-digit code");
    }
    Place p;
    p.code = f[0];
    if (f[1] == "region") {
      p.level = PlaceLevel::kRegion;
    } else if (f[1] == "prefecture") {
      p.level = PlaceLevel::kPrefecture;
    } else {
      p.level = PlaceLevel::kCounty;
    }
    p.chinese = f[2];
    p.pinyin = f[3];
    p.uly = f[4];
    p.uyghur_arabic = f[5];
    p.kazakh_cyrillic = f[6];
    if (!f[7].empty()) {
      for (std::string_view o : Split(f[7], '|')) p.other.emplace_back(o);
    }
    g.places_.push_back(std::move(p));
  }
  g.Index();
  return g;
}

void Gazetteer::Index() {
  for (size_t i = 0; i < places_.size(); ++i) {
    const Place& p = places_[i];
    std::vector<std::string> forms = {p.chinese, p.pinyin, p.uly, p.uyghur_arabic,
                                      p.kazakh_cyrillic};
    forms.insert(forms.end(), p.other.begin(), p.other.end());
    for (const std::string& form : forms) {
      auto normalized = names::Normalize(form);
      if (!normalized.ok()) continue;  // an empty column
      auto add = [i](std::vector<size_t>& v) {
        if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
      };
      add(full_[*normalized]);
      const std::string core = Core(*normalized);
      add(core_[core]);
      const std::string key = KeyOf(core);
      if (key.empty()) continue;
      add(key_[key]);
      keys_.emplace_back(key, i);
    }
  }
}

const Gazetteer& Gazetteer::Xinjiang() {
  static const Gazetteer* gazetteer = [] {
    auto parsed = Parse(kXinjiangTsv);
    // The table is compiled in and checked by the tests; an empty gazetteer is the
    // safe fallback should it ever fail to parse.
    return new Gazetteer(parsed.ok() ? std::move(parsed).value() : Gazetteer());
  }();
  return *gazetteer;
}

Result<std::vector<PlaceMatch>> Gazetteer::Resolve(std::string_view text) const {
  IZDE_ASSIGN_OR_RETURN(std::string normalized, names::Normalize(text));
  std::vector<PlaceMatch> matches;
  auto take = [&](const std::vector<size_t>& found, double score) {
    for (size_t i : found) matches.push_back({&places_[i], score, ""});
  };
  if (auto it = full_.find(normalized); it != full_.end()) {
    take(it->second, 1.0);
  } else {
    const std::string core = Core(normalized);
    if (auto c = core_.find(core); c != core_.end()) {
      take(c->second, 0.99);
    } else {
      const std::string key = KeyOf(core);
      if (auto k = key_.find(key); k != key_.end()) {
        take(k->second, 0.95);
      } else if (!key.empty()) {
        // Fuzzy: best similarity per place, kept when close enough.
        std::unordered_map<size_t, double> best;
        for (const auto& [place_key, i] : keys_) {
          const double s = names::KeySimilarity(key, place_key);
          if (s >= kFuzzyFloor && s > best[i]) best[i] = s;
        }
        for (const auto& [i, s] : best) matches.push_back({&places_[i], 0.9 * s, ""});
      }
    }
  }
  if (matches.empty()) {
    return Status::NotFound("no place in the Xinjiang gazetteer is called '" + normalized +
                            "' or anything close");
  }
  std::sort(matches.begin(), matches.end(), [](const PlaceMatch& a, const PlaceMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.place->code < b.place->code;
  });
  for (PlaceMatch& m : matches) {
    m.matched = m.place->uly.empty() ? m.place->pinyin : m.place->uly;
  }
  return matches;
}

const Place* Gazetteer::ByCode(std::string_view code) const {
  if (code.size() != 6) return nullptr;
  for (const std::string& candidate : {std::string(code), std::string(code.substr(0, 4)) + "00",
                                       std::string(code.substr(0, 2)) + "0000"}) {
    for (const Place& p : places_) {
      if (p.code == candidate) return &p;
    }
  }
  return nullptr;
}

RegionAgreement Gazetteer::CheckIdRegion(const Place& place, std::string_view id_region_code) {
  if (id_region_code.size() != 6) return RegionAgreement::kDifferent;
  const std::string_view code = place.code;
  if (code.substr(0, 2) != id_region_code.substr(0, 2)) return RegionAgreement::kDifferent;
  if (place.level == PlaceLevel::kRegion) return RegionAgreement::kSameRegion;
  if (code.substr(0, 4) != id_region_code.substr(0, 4)) return RegionAgreement::kSameRegion;
  if (place.level == PlaceLevel::kPrefecture) return RegionAgreement::kSamePrefecture;
  return code == id_region_code ? RegionAgreement::kSameCounty : RegionAgreement::kSamePrefecture;
}

nlohmann::json ToJson(const Place& p) {
  return {{"code", p.code},
          {"level", LevelName(p.level)},
          {"chinese", p.chinese},
          {"pinyin", p.pinyin},
          {"uly", p.uly},
          {"uyghur_arabic", p.uyghur_arabic},
          {"kazakh_cyrillic", p.kazakh_cyrillic},
          {"other", p.other}};
}

}  // namespace izde::places
