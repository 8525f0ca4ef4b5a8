// Measures csv::Reader throughput on generated people rows held in memory, so the figure
// is the parser's, not the disk's. Usage: csv_reader_perftest [megabytes]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "csv/csv_reader.h"

int main(int argc, char** argv) {
  const size_t megabytes = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
  std::string text = "id,name,birth_date,place,notes\n";
  for (size_t i = 0; text.size() < megabytes << 20; ++i) {
    text += std::to_string(i) + ",Person " + std::to_string(i % 977) +
            ",1975-03-15,Ghulja,\"seen in camp, 2018\"\n";
  }
  std::istringstream in(text);
  auto start = std::chrono::steady_clock::now();
  izde::csv::Reader reader = izde::csv::Reader::FromStream(in, "generated.csv");
  if (!reader.ReadHeader().ok()) return 1;
  size_t rows = 0;
  for (;;) {
    auto row = reader.Next();
    if (!row.ok()) {
      std::fprintf(stderr, "%s\n", row.status().message().c_str());
      return 1;
    }
    if (!row->has_value()) break;
    ++rows;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("csv::Reader: %zu rows, %.1f MB in %.3f s = %.0f MB/s\n", rows, text.size() / 1e6,
              seconds, text.size() / 1e6 / seconds);
  return 0;
}
