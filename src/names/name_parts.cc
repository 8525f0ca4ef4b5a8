#include "names/name_parts.h"

#include <unicode/utf8.h>

namespace izde::names {
namespace {

bool IsParticle(const TokenKey& t) {
  return t.key == "uli" || t.key == "ulu" || t.key == "kizi" || t.key == "gizi" ||
         t.key == "ogli" || t.key == "oglu";
}

int CountCodePoints(std::string_view s) {
  int n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

std::string_view RoleName(PartRole role) {
  switch (role) {
    case PartRole::kGiven:
      return "given";
    case PartRole::kFamily:
      return "family";
    case PartRole::kPatronymic:
      return "patronymic";
    case PartRole::kParticle:
      return "particle";
  }
  return "given";
}

size_t ChineseFamilyNameLength(std::string_view han_token) {
  // The most common Han family names. Turkic names in characters rarely start with
  // one of these, except 马 (Ma-), which is why this only informs the parse shown to
  // users and never the keys.
  static constexpr std::string_view kFamilyNames[] = {
      "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
      "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
      "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
      "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
      "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟"};
  const int length = CountCodePoints(han_token);
  if (length < 2 || length > 4) return 0;
  for (std::string_view family : kFamilyNames) {
    if (han_token.starts_with(family)) return family.size();
  }
  return 0;
}

std::vector<PartRole> ParseRoles(const std::vector<TokenKey>& tokens) {
  const size_t n = tokens.size();
  std::vector<PartRole> roles(n, PartRole::kGiven);
  if (n == 0) return roles;
  for (size_t i = 0; i < n; ++i) {
    if (IsParticle(tokens[i]) && i > 0) {
      roles[i] = PartRole::kParticle;
      roles[i - 1] = PartRole::kPatronymic;
    } else if (tokens[i].ending == KeyEnding::kPatronymic) {
      roles[i] = PartRole::kPatronymic;
    }
  }
  if (n == 1) {
    if (tokens[0].ending == KeyEnding::kSurname) roles[0] = PartRole::kFamily;
    return roles;
  }
  const bool first_is_surname = tokens[0].ending == KeyEnding::kSurname;
  const bool last_is_surname = tokens[n - 1].ending == KeyEnding::kSurname;
  if (first_is_surname && !last_is_surname) {
    // Russian official order: Surname Given [Patronymic].
    roles[0] = PartRole::kFamily;
    return roles;
  }
  // Given first; the last name-bearing token is the family name (a surname, or the
  // father's name as Uyghurs and Chinese lists use it) unless it is a patronymic.
  size_t last = n;
  while (last > 0 && roles[last - 1] == PartRole::kParticle) --last;
  if (last >= 2 && roles[last - 1] == PartRole::kGiven) roles[last - 1] = PartRole::kFamily;
  for (size_t i = 0; i + 1 < last; ++i) {
    if (tokens[i].ending == KeyEnding::kSurname) roles[i] = PartRole::kFamily;
  }
  return roles;
}

}  // namespace izde::names
