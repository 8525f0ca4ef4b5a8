// A chart of an estimate for `izde estimate --plot FILE.svg`: the leading log-linear
// models with their intervals, or the posterior of N for lcmcr and dga. Plain SVG, no
// scripts or external resources, so it opens anywhere and can go into a press file.
#pragma once

#include <string>

#include "base/status.h"
#include "estimate/estimate.h"

namespace izde::estimate {

// The chart's size in SVG user units (pixels at 1:1).
inline constexpr int kPlotWidth = 720;
inline constexpr int kPlotHeight = 400;

std::string RenderSvg(const EstimateReport& report);
Status WriteSvgPlot(const EstimateReport& report, const std::string& path);

}  // namespace izde::estimate
