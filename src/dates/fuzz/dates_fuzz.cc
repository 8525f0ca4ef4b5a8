// libFuzzer entry point: any text given as a date must parse to a well-formed interval
// (valid days, earliest <= latest) or be refused with a Status.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dates/partial_date.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto date = izde::dates::Parse(text, 2025);
  if (!date.ok()) return 0;
  if (!izde::dates::IsValid(date->earliest) || !izde::dates::IsValid(date->latest) ||
      date->latest < date->earliest) {
    __builtin_trap();
  }
  return 0;
}
