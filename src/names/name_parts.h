// Which token of a name is the given name, the family name or the patronymic.
// Kazakh: Given Father+ұлы/қызы (uly, kyzy) or Given Father+ov/ova (Soviet surname),
// Russian official order Surname Given Patronymic(-ovich/-ovna); Uyghur: Given Father
// (the surname is the father's given name); Chinese: family name first, and Turkic
// names in Chinese documents joined with '·' in Given·Father order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "names/token_key.h"

namespace izde::names {

enum class PartRole {
  kGiven,
  kFamily,      // surname, or the father's name used as one
  kPatronymic,  // father's name with -uly/-kyzy/-ovich/-ovna, or before "uly"/"kyzy"
  kParticle,    // a separate "uly", "kyzy", "oglu" word: carries no identity
};

std::string_view RoleName(PartRole role);

// One role per token, in order.
std::vector<PartRole> ParseRoles(const std::vector<TokenKey>& tokens);

// Byte length of a common Chinese family name at the start of a single-token
// Chinese-character name of two to four characters (王小明 -> the bytes of 王), or 0.
size_t ChineseFamilyNameLength(std::string_view han_token);

}  // namespace izde::names
