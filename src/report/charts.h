// Charts of counts as SVG strings (a library API: the public site embeds them too).
// Plain SVG 1.1 with no scripts, links or external resources. Text is in the tally's
// labels, so a caller that translates the labels gets a translated chart.
#pragma once

#include <string>

#include "base/status.h"
#include "report/stats.h"

namespace izde::report {

struct Svg {
  std::string text;
  int width = 0, height = 0;  // user units (pixels at 1:1)
};

// Horizontal bars, one per row, largest first as the tally orders them; at most
// `max_rows` rows, the rest summed into one "other" row.
Svg BarChart(const Tally& tally, size_t max_rows = 20);
// Columns along time, for Dimension::kMonth and kYear: the rows in order, with the
// rows that have no place in time ("month unknown") stated under the axis.
Svg Timeline(const Tally& tally);
// The chart that suits the tally: Timeline for month and year, PrefectureMap for
// prefecture, BarChart otherwise.
Svg ChartOf(const Tally& tally);

// Writes the chart as SVG, or as PNG when `path` ends in ".png" (librsvg + cairo, at
// twice the size). Other endings are refused, so a typo cannot write the wrong format.
Status WriteChart(const Svg& svg, const std::string& path);

}  // namespace izde::report
