#include "link/febrl.h"

#include <fstream>
#include <sstream>

namespace izde::link {
namespace {

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

}  // namespace

Schema FebrlSchema() {
  return {{{"given_name", Comparator::kName, true},
           {"surname", Comparator::kName, true},
           {"street_number", Comparator::kCode, false},
           {"address_1", Comparator::kText, false},
           {"address_2", Comparator::kText, false},
           {"suburb", Comparator::kText, true},
           {"postcode", Comparator::kCode, false},
           {"state", Comparator::kCategory, false},
           {"date_of_birth", Comparator::kDate, false},
           {"soc_sec_id", Comparator::kCode, false}}};
}

Result<FebrlFile> ReadFebrl(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open the FEBRL file " + path);
  FebrlFile out;
  out.records.schema = FebrlSchema();
  const size_t nf = out.records.schema.fields.size();
  std::string line;
  size_t row = 0;
  while (std::getline(in, line)) {
    if (++row == 1 || Trim(line).empty()) continue;
    // FEBRL fields never contain commas: the files are plain comma-separated.
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(Trim(cell));
    if (line.back() == ',') cells.push_back("");
    if (cells.size() != nf + 1)
      return Status::InvalidInput(path + " row " + std::to_string(row) + ": expected " +
                                  std::to_string(nf + 1) + " columns, found " +
                                  std::to_string(cells.size()));
    const std::string& id = cells[0];
    size_t dash = id.find('-'), dash2 = id.find('-', dash + 1);
    if (dash == std::string::npos || dash2 == std::string::npos)
      return Status::InvalidInput(path + " row " + std::to_string(row) + ": rec_id '" + id +
                                  "' is not rec-N-org or rec-N-dup-K");
    out.entity.push_back(id.substr(dash + 1, dash2 - dash - 1));
    out.records.ids.push_back(id);
    out.records.values.emplace_back(cells.begin() + 1, cells.end());
  }
  return out;
}

}  // namespace izde::link
