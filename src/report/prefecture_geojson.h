// data/geo/xinjiang-prefectures.geojson, compiled in by CMake (prefecture_geojson.cc.in).
#pragma once

namespace izde::report {
extern const char kPrefectureGeoJson[];
}  // namespace izde::report
