#include "estimate/data_warnings.h"

#include <set>

namespace izde::estimate {
namespace {

// Cells holding fewer people than this make the table "sparse".
constexpr int64_t kSmallCell = 5;

}  // namespace

std::vector<std::string> DataWarnings(const CaptureTable& table,
                                      const std::vector<ListCoverage>& coverage) {
  std::vector<std::string> out;
  const int k = table.num_lists();
  if (k < 3) {
    out.push_back("only " + std::to_string(k) +
                  " lists: the estimate assumes that being on one list does not change the "
                  "chance of being on the other, and with fewer than 3 lists this cannot be "
                  "checked; add a third independent list if you can");
  }
  std::vector<int64_t> size(k, 0);
  for (uint32_t c = 1; c < table.counts.size(); ++c) {
    for (int i = 0; i < k; ++i) {
      if (c >> i & 1) size[i] += table.counts[c];
    }
  }
  for (int i = 0; i < k; ++i) {
    if (size[i] == 0) {
      out.push_back("list '" + table.lists[i] +
                    "' has no records: it tells nothing about the others and breaks some "
                    "models; leave it out");
    }
  }
  for (int i = 0; i < k; ++i) {
    for (int j = i + 1; j < k; ++j) {
      if (size[i] == 0 || size[j] == 0) continue;
      int64_t both = 0;
      for (uint32_t c = 1; c < table.counts.size(); ++c) {
        if ((c >> i & 1) && (c >> j & 1)) both += table.counts[c];
      }
      if (both == 0) {
        out.push_back("lists '" + table.lists[i] + "' and '" + table.lists[j] +
                      "' have nobody in common: either they cover different people "
                      "(places, periods, groups) or record linkage missed the matches; "
                      "estimates that rely on their overlap are not reliable");
      }
    }
  }
  int empty = 0, small = 0;
  const int cells = static_cast<int>(table.counts.size()) - 1;
  for (uint32_t c = 1; c < table.counts.size(); ++c) {
    if (table.counts[c] == 0) ++empty;
    if (table.counts[c] < kSmallCell) ++small;
  }
  if (empty > 0 || 2 * small > cells) {
    out.push_back(std::to_string(empty) + " of the " + std::to_string(cells) +
                  " list combinations are empty and " + std::to_string(small) +
                  " hold fewer than " + std::to_string(kSmallCell) +
                  " people: the table is sparse, models with many interactions may have no "
                  "estimate and intervals may be too narrow");
  }
  std::set<std::string> populations, periods;
  for (const ListCoverage& c : coverage) {
    if (!c.population.empty()) populations.insert(c.population);
    if (!c.period.empty()) periods.insert(c.period);
  }
  if (populations.size() > 1 || periods.size() > 1) {
    std::string detail;
    for (const ListCoverage& c : coverage) {
      detail += (detail.empty() ? "" : "; ") + c.list + ": " +
                (c.population.empty() ? "?" : c.population) + ", " +
                (c.period.empty() ? "?" : c.period);
    }
    out.push_back("the lists do not cover the same population and period (" + detail +
                  "): the estimate counts a mixture of them; restrict every list to the "
                  "shared population and period (--where) first");
  }
  return out;
}

}  // namespace izde::estimate
