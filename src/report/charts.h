// Charts of counts as SVG strings (a library API: the public site embeds them too).
// Plain SVG 1.1 with no scripts, links or external resources. Text is in the tally's
// labels, so a caller that translates the labels gets a translated chart.
#pragma once

#include <string>

#include "base/status.h"
#include "report/stats.h"

namespace izde::report {

// The fixed words of a chart, English by default; the press summary passes its language's.
struct ChartWords {
  std::string people = "{n} people";
  std::string counted = "counted: people, not records";
  std::string other = "other ({n})";
  std::string nothing = "no people to count";
  std::string legend = "people";
  std::string schematic = "Schematic map: region shapes are approximate";
  std::string schematic_source =
      "Schematic regions (data/geo/xinjiang-prefectures.geojson), not survey boundaries.";
  std::string prefecture_unknown = "prefecture unknown: {n}";

  // `text` with "{n}" replaced.
  static std::string With(std::string text, int64_t n);
};

struct Svg {
  std::string text;
  int width = 0, height = 0;  // user units (pixels at 1:1)
};

// Horizontal bars, one per row, largest first as the tally orders them; at most
// `max_rows` rows, the rest summed into one "other" row.
Svg BarChart(const Tally& tally, size_t max_rows = 20, const ChartWords& words = {});
// Columns along time, for Dimension::kMonth and kYear: the rows in order, with the
// rows that have no place in time ("month unknown") stated under the axis.
Svg Timeline(const Tally& tally, const ChartWords& words = {});
// The chart that suits the tally: Timeline for month and year, PrefectureMap for
// prefecture, BarChart otherwise.
Svg ChartOf(const Tally& tally, const ChartWords& words = {});

// Writes the chart as SVG, or as PNG when `path` ends in ".png" (librsvg + cairo, at
// twice the size). Other endings are refused, so a typo cannot write the wrong format.
Status WriteChart(const Svg& svg, const std::string& path);

}  // namespace izde::report
