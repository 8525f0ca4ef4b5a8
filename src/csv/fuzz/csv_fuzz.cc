// libFuzzer entry point: any bytes, read as people.csv, must end in rows or a Status.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "csv/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  izde::csv::Options options;
  options.max_field_bytes = 4096;
  izde::csv::Reader reader = izde::csv::Reader::FromStream(in, "fuzz.csv", options);
  if (!reader.ReadHeader().ok()) return 0;
  std::string last_error;
  for (;;) {
    auto row = reader.Next();
    if (!row.ok()) {
      if (row.status().message() == last_error) return 0;  // a final error repeats
      last_error = row.status().message();
      continue;
    }
    last_error.clear();
    if (!row->has_value()) return 0;
    if ((*row)->fields.size() != reader.columns()->names.size()) __builtin_trap();
  }
}
