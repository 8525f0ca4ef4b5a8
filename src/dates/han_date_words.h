// Dates written in Chinese ("2018年3月15日", "2018年春", "约1975年", "2019年以前",
// "2017年至2018年") spelled out in the words the date parser reads ("2018-03-15",
// "2018 spring", "about 1975", "2019 before", "2017 - 2018"). Internal to the parser.
#pragma once

#include <string>
#include <string_view>

namespace izde::dates {

// True if `text` has a character the Chinese forms use (CJK ideographs, full-width
// digits); other text goes to the parser unchanged.
bool HasHanDateWords(std::string_view text);

// The text with full-width digits made ASCII, "Y年M月D日" written as ISO 8601 and the
// Chinese date words replaced by English ones, each between spaces. Characters it does
// not know are kept, so the parser still refuses them by name.
std::string SpellOutHanDate(std::string_view text);

}  // namespace izde::dates
