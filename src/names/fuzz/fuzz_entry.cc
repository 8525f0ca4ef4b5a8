#include "names/fuzz/fuzz_entry.h"

#include <cmath>
#include <cstdlib>
#include <string_view>

#include "names/compare.h"
#include "names/explain.h"
#include "names/normalize.h"
#include "names/search_keys.h"

namespace izde::names {
namespace {

void Require(bool condition) {
  if (!condition) std::abort();  // the fuzzer reports an abort as a crash
}

}  // namespace

void FuzzNamesOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto normalized = Normalize(input);
  if (normalized.ok()) {
    // Normalising twice changes nothing.
    auto again = Normalize(*normalized);
    Require(again.ok() && *again == *normalized);
  }
  auto explanation = Explain(input);
  if (explanation.ok()) {
    Require(!ToText(*explanation).empty());
    Require(!ToJson(*explanation).dump().empty());
  }
  (void)SearchKeys(input);
  auto self = Compare(input, input);
  if (self.ok()) Require(self->score >= 0.999);  // a name is the same as itself
  auto other = Compare(input, "Qalida Akytkhan");
  if (other.ok()) {
    Require(other->score >= 0 && other->score <= 1);
    auto swapped = Compare("Qalida Akytkhan", input);
    Require(swapped.ok());
    Require(std::abs(swapped->score - other->score) < 1e-9);  // symmetric
  }
}

}  // namespace izde::names
