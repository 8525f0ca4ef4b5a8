// Text checks shared by the model: UTF-8 validity, script of a name form,
// and Unicode normalisation (NFC) so that the same name typed on two
// keyboards is stored the same way.
#pragma once

#include <string>
#include <string_view>

namespace izde::model {

bool IsValidUtf8(std::string_view s);

// ISO 15924 code of the dominant script of `text`: "Cyrl", "Latn", "Arab",
// "Hani", ... ; "Zyyy" when no letter has a script; "Mixed" is never returned:
// the script with most letters wins.
std::string DetectScript(std::string_view text);

// NFC form with surrounding whitespace trimmed; input must be valid UTF-8.
std::string NormalizeText(std::string_view text);

}  // namespace izde::model
