// `izde names compare A B`: are two written names the same name, and why.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "names/name_parts.h"

namespace izde::names {

struct PartComparison {
  std::string a;  // token of the first name; empty when the second name's part is unmatched
  std::string b;
  std::string a_key;
  std::string b_key;
  PartRole a_role = PartRole::kGiven;
  PartRole b_role = PartRole::kGiven;
  double similarity = 0;
  std::string how;  // "same key", "spelling variant", "Chinese transcription reading", ...
};

struct NameComparison {
  std::string a_normalized;
  std::string b_normalized;
  double score = 0;
  double threshold = 0;
  bool same = false;
  bool joined = false;  // one name was a single run-together token matched against parts
  std::vector<PartComparison> parts;
};

Result<NameComparison> Compare(std::string_view a, std::string_view b);

nlohmann::json ToJson(const NameComparison& comparison);
std::string ToText(const NameComparison& comparison);

}  // namespace izde::names
