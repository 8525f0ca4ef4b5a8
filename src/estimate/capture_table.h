// A capture table: how many people appear on exactly each combination of lists.
//
// File format (docs/estimation.md, "Input"): a CSV with header `pattern,count`, one row per
// capture pattern. A pattern is a string of 0/1 digits, one per list, in list order (digit i
// is 1 when the person is on list i). The all-zero pattern is never observed and must be
// absent; patterns that are absent count as zero. An optional first line
// `# lists: EXH,ABA,OSCE,HRW` names the lists; without it they are called 1, 2, 3, ...
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "base/status.h"

namespace izde::estimate {

// The most lists a table may hold: 2^kMaxLists cells stay small enough to enumerate.
inline constexpr int kMaxLists = 16;

struct CaptureTable {
  std::vector<std::string> lists;
  // counts[mask]: people whose pattern has bit i set exactly for the lists i they are on.
  // counts[0] (never observed) is always 0. Size is 2^lists.size().
  std::vector<int64_t> counts;

  int num_lists() const { return static_cast<int>(lists.size()); }
  int64_t observed() const;
  // The pattern for a cell, digit i standing for list i ("1010").
  std::string Pattern(uint32_t mask) const;
};

Result<CaptureTable> ReadCaptureCounts(std::istream& in, const std::string& source_name);
Result<CaptureTable> ReadCaptureCounts(const std::string& path);

// Builds a table from counts indexed by mask, for callers (the vault, tests) that already
// hold the cells. Applies the same checks as the CSV reader.
Result<CaptureTable> MakeCaptureTable(std::vector<std::string> lists, std::vector<int64_t> counts);

}  // namespace izde::estimate
