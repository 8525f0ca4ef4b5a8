#include "names/han_reading.h"

#include <unicode/utf8.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "names/han_turkic_data.h"
#include "names/transliterate.h"

namespace izde::names {
namespace {

struct HanTable {
  std::unordered_map<std::string, std::string> by_character;
  std::unordered_map<std::string, std::string> by_pinyin;  // first character listed wins
  size_t longest_pinyin = 0;
};

HanTable ParseTable() {
  HanTable table;
  std::string_view text = kHanTurkicTsv;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.empty() || line[0] == '#') continue;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) continue;
    std::string character(line.substr(0, tab1));
    std::string pinyin(line.substr(tab1 + 1, tab2 - tab1 - 1));
    std::string value(line.substr(tab2 + 1));
    table.longest_pinyin = std::max(table.longest_pinyin, pinyin.size());
    table.by_pinyin.emplace(pinyin, value);
    table.by_character.emplace(std::move(character), std::move(value));
  }
  return table;
}

const HanTable& Table() {
  static const HanTable table = ParseTable();
  return table;
}

// A syllable that is not in the table: keep its sounds, but respell the pinyin
// initials that stand for other Turkic consonants.
std::string GenericReading(const std::string& pinyin) {
  const auto& by_pinyin = Table().by_pinyin;
  if (auto it = by_pinyin.find(pinyin); it != by_pinyin.end()) return it->second;
  static const std::pair<std::string_view, std::string_view> kInitials[] = {
      {"zh", "j"}, {"ch", "ch"}, {"sh", "sh"}, {"x", "s"}, {"q", "ch"},
      {"c", "ts"}, {"h", "x"},   {"j", "j"},   {"z", "z"}};
  for (const auto& [from, to] : kInitials) {
    if (pinyin.starts_with(from)) return std::string(to) + pinyin.substr(from.size());
  }
  return pinyin;
}

}  // namespace

Result<std::string> TurkicReadingOfHan(std::string_view han) {
  const HanTable& table = Table();
  std::string reading;
  const auto* bytes = reinterpret_cast<const uint8_t*>(han.data());
  const int32_t length = static_cast<int32_t>(han.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) continue;
    std::string character(han.substr(start, i - start));
    if (auto it = table.by_character.find(character); it != table.by_character.end()) {
      reading += it->second;
      continue;
    }
    IZDE_ASSIGN_OR_RETURN(std::string pinyin, HanToPinyin(character));
    reading += GenericReading(pinyin);
  }
  return reading;
}

std::optional<std::string> TurkicReadingOfPinyin(std::string_view latin) {
  const HanTable& table = Table();
  const size_t n = latin.size();
  if (n < 4 || n > 64) return std::nullopt;
  for (char c : latin) {
    if (c < 'a' || c > 'z') return std::nullopt;
  }
  // Fewest-syllables segmentation: best[i] = syllable count of the best split of
  // latin[0, i); from[i] = where its last syllable starts.
  std::vector<int> best(n + 1, -1);
  std::vector<size_t> from(n + 1, 0);
  best[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    if (best[i] < 0) continue;
    for (size_t len = 1; len <= table.longest_pinyin && i + len <= n; ++len) {
      if (!table.by_pinyin.contains(std::string(latin.substr(i, len)))) continue;
      if (best[i + len] < 0 || best[i] + 1 < best[i + len]) {
        best[i + len] = best[i] + 1;
        from[i + len] = i;
      }
    }
  }
  if (best[n] < 2) return std::nullopt;
  std::vector<std::string_view> syllables;
  for (size_t end = n; end > 0; end = from[end]) {
    syllables.push_back(latin.substr(from[end], end - from[end]));
  }
  std::string reading;
  for (auto it = syllables.rbegin(); it != syllables.rend(); ++it) {
    reading += table.by_pinyin.at(std::string(*it));
  }
  return reading;
}

int HanTableSize() { return static_cast<int>(Table().by_character.size()); }

}  // namespace izde::names
