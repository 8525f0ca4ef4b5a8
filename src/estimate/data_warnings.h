// Warnings about the capture table itself, whatever the method: problems a coordinator
// must see before trusting any estimate from these lists.
#pragma once

#include <string>
#include <vector>

#include "estimate/capture_table.h"
#include "estimate/estimate.h"

namespace izde::estimate {

std::vector<std::string> DataWarnings(const CaptureTable& table,
                                      const std::vector<ListCoverage>& coverage);

}  // namespace izde::estimate
