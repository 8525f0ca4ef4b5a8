// libFuzzer target: clang only. Run: names_fuzz -max_total_time=60 -max_len=2048
#include "names/fuzz/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  izde::names::FuzzNamesOneInput(data, size);
  return 0;
}
