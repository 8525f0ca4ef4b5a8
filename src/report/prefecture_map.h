// A map of Xinjiang's prefectures shaded by a count, as SVG. The regions are SCHEMATIC:
// data/geo/xinjiang-prefectures.geojson (compiled in; docs/formats/geo-prefectures.md) is
// made from a coarse hand-digitised outline and one point per prefecture, because no
// survey boundaries are available offline. The map says so on its face.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "report/charts.h"
#include "report/stats.h"

namespace izde::report {

struct PrefectureShape {
  std::string code;                             // "653100"
  std::vector<std::pair<double, double>> ring;  // (longitude, latitude), closed
  std::pair<double, double> label_point;        // where its name goes
};

struct PrefectureGeometry {
  std::vector<std::pair<double, double>> outline;  // Xinjiang, closed
  std::vector<PrefectureShape> prefectures;
};

// The compiled-in schematic geometry.
const PrefectureGeometry& SchematicPrefectures();
Result<PrefectureGeometry> ParsePrefectureGeoJson(std::string_view geojson);

// Shades each prefecture by its row in `tally` (a Dimension::kPrefecture tally; keys
// are prefecture codes); the "unknown" row is stated under the map.
Svg PrefectureMap(const Tally& tally, const ChartWords& words = {});

}  // namespace izde::report
