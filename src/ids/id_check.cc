#include "ids/id_check.h"

#include <array>
#include <cstdio>
#include <vector>

namespace izde::ids {
namespace {

int Digit(char c) { return c - '0'; }

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Empty when y-m-d is a real calendar date, else why not.
std::string DateProblem(int y, int m, int d) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return "month " + std::to_string(m) + " does not exist";
  const int days = kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
  if (d < 1 || d > days) {
    char buffer[80];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d has no day %d", y, m, d);
    return buffer;
  }
  return "";
}

std::string FormatDate(int y, int m, int d) {
  char buffer[48];  // sized for any int, though callers pass real dates
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
  return buffer;
}

int Number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + Digit(c);
  return n;
}

// ISO 7064 MOD 11-2 over the first 17 digits: weights are 2^(17-i) mod 11.
char PrcCheckCharacter(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += Digit(first17[i]) * kWeights[i];
  const int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

// -1 when no check digit exists (the second pass also gives 10: never issued).
int IinCheckDigit(std::string_view first11) {
  int sum = 0;
  for (int i = 0; i < 11; ++i) sum += Digit(first11[i]) * (i + 1);
  int check = sum % 11;
  if (check != 10) return check;
  static constexpr std::array<int, 11> kSecond = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
  sum = 0;
  for (int i = 0; i < 11; ++i) sum += Digit(first11[i]) * kSecond[i];
  check = sum % 11;
  return check == 10 ? -1 : check;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void CheckPrc(IdCheck& r) {
  const std::string& n = r.normalized;
  r.kind = IdKind::kPrc;
  if (!AllDigits(std::string_view(n).substr(0, 17))) {
    r.reason = "only the last character of a PRC ID may be X";
    return;
  }
  r.region_code = n.substr(0, 6);
  r.xinjiang = n.starts_with("65");
  const int y = Number(std::string_view(n).substr(6, 4));
  const int m = Number(std::string_view(n).substr(10, 2));
  const int d = Number(std::string_view(n).substr(12, 2));
  r.sex = Digit(n[16]) % 2 == 1 ? "male" : "female";
  if (y < 1850 || y > 2100) {
    r.reason = "birth year " + std::to_string(y) + " is impossible";
    return;
  }
  if (std::string problem = DateProblem(y, m, d); !problem.empty()) {
    r.reason = "birth date: " + problem;
    return;
  }
  r.birth_date = FormatDate(y, m, d);
  const char expected = PrcCheckCharacter(n);
  if (n[17] != expected) {
    r.reason = std::string("check character is ") + n[17] + " but the other digits require " +
               expected + ": a digit is probably mistyped";
    return;
  }
  r.valid = true;
}

void CheckPrc15(IdCheck& r) {
  const std::string& n = r.normalized;
  r.kind = IdKind::kPrc15;
  r.region_code = n.substr(0, 6);
  r.xinjiang = n.starts_with("65");
  const int y = 1900 + Number(std::string_view(n).substr(6, 2));
  const int m = Number(std::string_view(n).substr(8, 2));
  const int d = Number(std::string_view(n).substr(10, 2));
  r.sex = Digit(n[14]) % 2 == 1 ? "male" : "female";
  if (std::string problem = DateProblem(y, m, d); !problem.empty()) {
    r.reason = "birth date: " + problem;
    return;
  }
  r.birth_date = FormatDate(y, m, d);
  r.valid = true;  // the old 15-digit form has no check digit to test
}

void CheckIin(IdCheck& r) {
  const std::string& n = r.normalized;
  r.kind = IdKind::kIin;
  const int g = Digit(n[6]);
  if (g < 1 || g > 6) {
    r.reason = "the 7th digit (century and sex) is " + std::to_string(g) + "; it must be 1-6";
    return;
  }
  r.sex = g % 2 == 1 ? "male" : "female";
  const int century = 1800 + 100 * ((g - 1) / 2);
  const int y = century + Number(std::string_view(n).substr(0, 2));
  const int m = Number(std::string_view(n).substr(2, 2));
  const int d = Number(std::string_view(n).substr(4, 2));
  if (std::string problem = DateProblem(y, m, d); !problem.empty()) {
    r.reason = "birth date: " + problem;
    return;
  }
  r.birth_date = FormatDate(y, m, d);
  const int expected = IinCheckDigit(n);
  if (expected < 0) {
    r.reason = "no check digit exists for these first 11 digits, so no such IIN is issued";
    return;
  }
  if (Digit(n[11]) != expected) {
    r.reason = "check digit is " + std::string(1, n[11]) + " but the other digits require " +
               std::to_string(expected) + ": a digit is probably mistyped";
    return;
  }
  r.valid = true;
}

}  // namespace

std::string_view KindName(IdKind kind) {
  switch (kind) {
    case IdKind::kPrc:
      return "prc";
    case IdKind::kPrc15:
      return "prc15";
    case IdKind::kIin:
      return "iin";
    case IdKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view AgreementName(IdAgreement agreement) {
  switch (agreement) {
    case IdAgreement::kEqual:
      return "equal";
    case IdAgreement::kOneTypo:
      return "one_typo";
    case IdAgreement::kDifferent:
      return "different";
  }
  return "different";
}

IdCheck Check(std::string_view id) {
  IdCheck r;
  for (char c : id) {
    if (c == ' ' || c == '-' || c == '.' || c == '\t') continue;
    if (c == 'x') c = 'X';
    if ((c < '0' || c > '9') && c != 'X') {
      r.reason = "an ID number has only digits (and a final X for PRC IDs)";
      // Quote the character only when it is printable ASCII; a byte of a multi-byte
      // character on its own would be invalid UTF-8 in the message.
      if (c > ' ' && static_cast<unsigned char>(c) < 0x7F) {
        r.reason += "; found '" + std::string(1, c) + "'";
      }
      r.normalized.clear();
      return r;
    }
    if (r.normalized.size() > 32) {
      r.reason = "too long for an ID number";
      return r;
    }
    r.normalized.push_back(c);
  }
  const size_t x = r.normalized.find('X');
  if (r.normalized.size() == 18) {
    CheckPrc(r);
  } else if (x != std::string::npos) {
    r.reason = "X appears only as the 18th character of a PRC ID";
  } else if (r.normalized.size() == 15) {
    CheckPrc15(r);
  } else if (r.normalized.size() == 12) {
    CheckIin(r);
  } else if (r.normalized.empty()) {
    r.reason = "no ID number given";
  } else {
    r.reason = std::to_string(r.normalized.size()) +
               " digits: a PRC ID has 18 (or 15, before 1999), a Kazakh IIN 12";
  }
  return r;
}

IdAgreement CompareIds(std::string_view a, std::string_view b) {
  const IdCheck ca = Check(a);
  const IdCheck cb = Check(b);
  if (ca.normalized.empty() || cb.normalized.empty()) return IdAgreement::kDifferent;
  if (ca.normalized == cb.normalized) return IdAgreement::kEqual;
  if (ca.normalized.size() != cb.normalized.size()) return IdAgreement::kDifferent;
  // Two valid, different numbers are two people, however close the digits.
  if (ca.valid && cb.valid) return IdAgreement::kDifferent;
  const std::string& x = ca.normalized;
  const std::string& y = cb.normalized;
  std::vector<size_t> diff;
  for (size_t i = 0; i < x.size() && diff.size() <= 2; ++i) {
    if (x[i] != y[i]) diff.push_back(i);
  }
  if (diff.size() == 1) return IdAgreement::kOneTypo;
  if (diff.size() == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] &&
      x[diff[1]] == y[diff[0]]) {
    return IdAgreement::kOneTypo;
  }
  return IdAgreement::kDifferent;
}

nlohmann::json ToJson(const IdCheck& c) {
  nlohmann::json j = {{"kind", KindName(c.kind)}, {"normalized", c.normalized}, {"valid", c.valid}};
  if (!c.reason.empty()) j["reason"] = c.reason;
  if (!c.birth_date.empty()) j["birth_date"] = c.birth_date;
  if (!c.sex.empty()) j["sex"] = c.sex;
  if (!c.region_code.empty()) {
    j["region_code"] = c.region_code;
    j["xinjiang"] = c.xinjiang;
  }
  return j;
}

std::string ToText(const IdCheck& c) {
  std::string kind;
  switch (c.kind) {
    case IdKind::kPrc:
      kind = "PRC resident ID";
      break;
    case IdKind::kPrc15:
      kind = "PRC resident ID (15-digit form, before 1999)";
      break;
    case IdKind::kIin:
      kind = "Kazakhstan IIN";
      break;
    case IdKind::kUnknown:
      kind = "not a known ID number";
      break;
  }
  std::string out = c.normalized + ": " + kind + ", " + (c.valid ? "valid" : "INVALID") + "\n";
  if (!c.reason.empty()) out += "  why: " + c.reason + "\n";
  if (!c.birth_date.empty()) out += "  birth date: " + c.birth_date + "\n";
  if (!c.sex.empty()) out += "  sex: " + c.sex + "\n";
  if (!c.region_code.empty()) {
    out += "  region code: " + c.region_code + (c.xinjiang ? " (Xinjiang)" : "") + "\n";
  }
  return out;
}

}  // namespace izde::ids
