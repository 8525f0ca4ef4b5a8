// Places in Xinjiang under every name they go by: Chinese, pinyin, ULY, Uyghur Arabic
// script, Kazakh Cyrillic, English and historic names (伊宁 / Yining / Ghulja / Құлжа /
// غۇلجا), keyed by the PRC administrative region code that ID numbers start with.
// Data: data/places/xinjiang.tsv, compiled in; format docs/formats/names-gazetteer.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace izde::places {

enum class PlaceLevel { kRegion, kPrefecture, kCounty };
std::string_view LevelName(PlaceLevel level);

struct Place {
  std::string code;  // six-digit region code, e.g. 654002
  PlaceLevel level = PlaceLevel::kCounty;
  std::string chinese;
  std::string pinyin;
  std::string uly;
  std::string uyghur_arabic;
  std::string kazakh_cyrillic;
  std::vector<std::string> other;  // English, historic and variant names
};

struct PlaceMatch {
  const Place* place = nullptr;
  double score = 0;     // 1 exact, 0.99 exact without "city"/"county" words, lower fuzzy
  std::string matched;  // the form of the place the text matched
};

// How a place someone names agrees with the region code of their ID number.
enum class RegionAgreement { kSameCounty, kSamePrefecture, kSameRegion, kDifferent };
std::string_view AgreementName(RegionAgreement agreement);

class Gazetteer {
 public:
  // The compiled-in Xinjiang gazetteer.
  static const Gazetteer& Xinjiang();
  static Result<Gazetteer> Parse(std::string_view tsv);

  // All places the text may mean, best first; several when it is ambiguous (Yining is
  // both a city and a county). NotFound when nothing is close.
  Result<std::vector<PlaceMatch>> Resolve(std::string_view text) const;

  // The place with this code or, failing that, its prefecture or region (ID numbers
  // carry codes of counties that have since been renamed or merged).
  const Place* ByCode(std::string_view code) const;

  static RegionAgreement CheckIdRegion(const Place& place, std::string_view id_region_code);

  const std::vector<Place>& places() const { return places_; }

 private:
  void Index();
  std::vector<Place> places_;
  // normalised full form -> places; normalised form without generic words -> places;
  // phonetic key of the latter -> places.
  std::unordered_map<std::string, std::vector<size_t>> full_, core_, key_;
  std::vector<std::pair<std::string, size_t>> keys_;  // for fuzzy matching
};

nlohmann::json ToJson(const Place& place);

}  // namespace izde::places
