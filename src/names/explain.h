// `izde names explain NAME`: everything izde derives from a written name.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace izde::names {

struct TokenExplanation {
  std::string text;      // normalised token
  std::string script;    // latin, cyrillic, arabic, han, other, mixed
  std::string latin;     // romanisation (ULY for Uyghur, BGN for Kazakh, pinyin for Han)
  std::string reading;   // Turkic reading of a Chinese transcription, if any
  std::string key;       // phonetic key
  std::string stem;      // key without patronymic/surname ending
  std::string alt_stem;  // second reading, if any
  std::string role;      // given, family, patronymic, particle
};

struct NameExplanation {
  std::string input;
  std::string normalized;
  std::vector<std::string> scripts;  // distinct scripts, in order of appearance
  std::string latin;                 // the tokens' romanisations joined by spaces
  std::vector<TokenExplanation> tokens;
  // For a Chinese name written in characters without separators (王小明): the family
  // name and given name split; empty otherwise.
  std::string chinese_family;
  std::string chinese_given;
  std::vector<std::string> search_keys;
};

Result<NameExplanation> Explain(std::string_view name);

nlohmann::json ToJson(const NameExplanation& explanation);
std::string ToText(const NameExplanation& explanation);

}  // namespace izde::names
