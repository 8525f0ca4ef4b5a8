// Turkic readings of Chinese transcriptions. Chinese documents write Kazakh and Uyghur
// names syllable by syllable (买买提 maimaiti = Memet, 吐尔逊 tuerxun = Tursun), so a
// character-level table (data/names/han_turkic.tsv) recovers a form that compares well
// with the Latin, Cyrillic and Arabic spellings of the same name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace izde::names {

// 买买提 -> "memeti"; characters missing from the table are read from their pinyin.
Result<std::string> TurkicReadingOfHan(std::string_view han);

// "maimaiti" -> "memeti", when the lower-case ASCII token splits wholly into at least
// two transcription syllables; nullopt when it does not look like such pinyin.
std::optional<std::string> TurkicReadingOfPinyin(std::string_view latin);

// Number of characters in the compiled table (for tests and `names explain`).
int HanTableSize();

}  // namespace izde::names
