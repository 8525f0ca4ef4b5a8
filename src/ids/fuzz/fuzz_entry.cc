#include "ids/fuzz/fuzz_entry.h"

#include <cstdlib>
#include <string_view>

#include "ids/id_check.h"

namespace izde::ids {

void FuzzIdsOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const IdCheck check = Check(input);
  if (check.valid != check.reason.empty()) std::abort();
  if (!check.normalized.empty() && CompareIds(input, input) != IdAgreement::kEqual) {
    std::abort();
  }
  if (ToJson(check).dump().empty() || ToText(check).empty()) std::abort();
}

}  // namespace izde::ids
