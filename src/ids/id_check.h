// Identity numbers that appear in testimonies and leaked lists: the PRC resident
// identity number (GB 11643-1999) and the Kazakhstan IIN. Format notes:
// docs/formats/names-ids.md.
//   PRC, 18 characters: RRRRRR YYYYMMDD SSS C — region code (Xinjiang 65xxxx), birth
//     date, sequence (odd = male), ISO 7064 MOD 11-2 check character (X = 10).
//     The 15-digit form issued before 1999 (YYMMDD, no check character) is read too.
//   IIN, 12 digits: YYMMDD G NNNN C — birth date, century-and-sex digit G (1/2: 1800s,
//     3/4: 1900s, 5/6: 2000s; odd = male), serial, check digit (two weighting passes).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace izde::ids {

enum class IdKind { kUnknown, kPrc, kPrc15, kIin };

std::string_view KindName(IdKind kind);  // "unknown", "prc", "prc15", "iin"

struct IdCheck {
  IdKind kind = IdKind::kUnknown;
  std::string normalized;  // digits (and a final X) only
  bool valid = false;
  std::string reason;       // why it is invalid; empty when valid
  std::string birth_date;   // YYYY-MM-DD when the number encodes a real date
  std::string sex;          // "male", "female" or empty
  std::string region_code;  // PRC: the six-digit region code
  bool xinjiang = false;    // PRC region code 65xxxx
};

// Spaces, hyphens and dots between digits are ignored; a lower-case x is accepted.
// Never fails: an unusable number comes back with valid = false and a reason.
IdCheck Check(std::string_view id);

enum class IdAgreement {
  kEqual,      // the same number
  kOneTypo,    // one substituted digit or two swapped neighbours, and one side fails its
               // check: very likely the same number mistyped
  kDifferent,  // anything else, including two different valid numbers
};

std::string_view AgreementName(IdAgreement agreement);  // "equal", "one_typo", "different"

IdAgreement CompareIds(std::string_view a, std::string_view b);

nlohmann::json ToJson(const IdCheck& check);
std::string ToText(const IdCheck& check);

}  // namespace izde::ids
