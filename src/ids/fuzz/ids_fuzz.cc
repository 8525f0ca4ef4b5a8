// libFuzzer target: clang only. Run: ids_fuzz -max_total_time=60
#include "ids/fuzz/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  izde::ids::FuzzIdsOneInput(data, size);
  return 0;
}
