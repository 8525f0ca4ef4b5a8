// Romanisation of one name token into lower-case Latin, using the transliterator that
// fits its script: ICU Kazakh-Latin/BGN (Kazakh and Russian Cyrillic), izde's own
// Uyghur rules (uyghur_rules.h), Han-Latin/Names (Chinese, as toneless pinyin) and
// Any-Latin for anything else. Mixed-script tokens are romanised run by run.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace izde::names {

// `token` must be normalised (names::Normalize). Never throws; fails only when ICU
// data is missing from the installation.
Result<std::string> ToLatin(std::string_view token);

// Toneless pinyin of Chinese characters, syllables joined without spaces ("aketihan").
Result<std::string> HanToPinyin(std::string_view han);

}  // namespace izde::names
