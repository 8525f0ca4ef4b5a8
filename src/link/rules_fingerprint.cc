#include "link/rules_fingerprint.h"

#include <string>
#include <string_view>
#include <vector>

#include "link/blocking.h"

namespace izde::link {
namespace {

// Synthetic probes, several per comparator, in the scripts and spellings the names,
// dates, places and ids modules read. None describes a real person.
const std::vector<std::string_view>& Probes(Comparator c) {
  static const std::vector<std::string_view> names = {"Memet Tursun",
                                                      "Мәмет Тұрсынұлы",
                                                      "مەمەت تۇرسۇن",
                                                      "买买提·吐尔逊",
                                                      "Maimaiti Tuerxun",
                                                      "Mamut Tursun",
                                                      "Gulnar Abdirakhman",
                                                      "Гүлнар Әбдірахманқызы",
                                                      "古丽娜尔·阿不都热合曼",
                                                      "Gülzar Abdurehim",
                                                      "Zhang Wei",
                                                      "张伟",
                                                      "Wei Zhang",
                                                      "Li Yongwei",
                                                      "李勇伟",
                                                      "Nurlan Serikuly",
                                                      "Нурлан Серикович",
                                                      "Nurlan Serikov",
                                                      "Mutellip Ablimit",
                                                      "Mutalifujiang Abulimiti",
                                                      "Erkin",
                                                      "Ekrin Tursun",
                                                      "Aygul Tahir",
                                                      "阿依古丽·塔依尔",
                                                      "ئايگۈل تاھىر",
                                                      "Sultanbol Bekenuly",
                                                      "Sultanbolat Bekkhan",
                                                      "Ilham Nijat",
                                                      "Ilham Niat",
                                                      "阿扎马提·努尔兰",
                                                      "Timwr Kwanyshuly",
                                                      "阿依古丽塔依尔",
                                                      "Nurlan Serikuil"};
  static const std::vector<std::string_view> dates = {
      "1975-03-15",  "1975",          "about 1980", "1976", "1980-12-01",
      "spring 1990", "2018年3月15日", "1975 жылы",  "",     "before 1970"};
  static const std::vector<std::string_view> places = {
      "Ghulja", "伊宁市", "Құлжа", "غۇلجا", "Kashgar", "喀什地区", "Hotan", "Altay", "", "Aksu"};
  static const std::vector<std::string_view> ids = {
      "650102197503150010", "650102197503150017", "65010219750315001X", "", "123",
      "654101198012010023"};
  static const std::vector<std::string_view> categories = {"m", "f", "", "男", "女", "M"};
  static const std::vector<std::string_view> texts = {"Memet", "memet", "Mémet", "", "12 Main St"};
  switch (c) {
    case Comparator::kName:
      return names;
    case Comparator::kDate:
      return dates;
    case Comparator::kPlace:
      return places;
    case Comparator::kIdNumber:
      return ids;
    case Comparator::kCategory:
      return categories;
    default:
      return texts;
  }
}

struct Fnv {
  uint64_t h = 1469598103934665603ULL;
  void Byte(uint8_t b) { h = (h ^ b) * 1099511628211ULL; }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Text(std::string_view s) {
    U64(s.size());
    for (unsigned char c : s) Byte(c);
  }
};

}  // namespace

uint64_t RulesFingerprint(const Schema& schema) {
  RawRecords raw;
  raw.schema = schema;
  const size_t nf = schema.fields.size();
  size_t count = 0;
  for (const auto& f : schema.fields) count = std::max(count, Probes(f.comparator).size());
  // Record r takes probe (r + 3f) of field f: every probe appears, in varied company.
  for (size_t r = 0; r < count; ++r) {
    raw.ids.push_back("probe-" + std::to_string(r));
    std::vector<std::string> row;
    for (size_t f = 0; f < nf; ++f) {
      const auto& probes = Probes(schema.fields[f].comparator);
      row.emplace_back(probes[(r + 3 * f) % probes.size()]);
    }
    raw.values.push_back(std::move(row));
  }
  const Prepared p = Prepare(raw, 1);
  Fnv fp;
  fp.U64(kRulesRevision);
  for (const auto& f : schema.fields) {
    fp.Text(f.name);
    fp.Byte(static_cast<uint8_t>(f.comparator));
    fp.Byte(f.term_frequency);
  }
  const auto rules = DefaultRules(schema);
  std::vector<uint64_t> keys;
  for (size_t r = 0; r < p.size(); ++r) {
    for (size_t i = 0; i < rules.size(); ++i) {
      keys.clear();
      RuleKeys(p, r, rules[i], i, keys);
      fp.U64(keys.size());
      for (uint64_t k : keys) fp.U64(k);
    }
    for (size_t s = r + 1; s < p.size(); ++s)
      for (size_t f = 0; f < nf; ++f)
        fp.Byte(CompareValues(schema.fields[f].comparator, p.at(r, f), p.at(s, f)));
  }
  for (const auto& rule : rules) {
    fp.Text(rule.name);
    fp.U64(rule.max_block);
  }
  return fp.h;
}

}  // namespace izde::link
