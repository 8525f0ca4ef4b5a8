#include "report/prefecture_map.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/prefecture_geojson.h"
#include "report/svg_text.h"

namespace izde::report {
namespace {

constexpr int kWidth = 720, kHeight = 500;
constexpr double kMapLeft = 12, kMapTop = 56, kMapWidth = 520, kMapHeight = 390;
// Equirectangular projection with longitude shrunk by cos(42°), Xinjiang's middle.
const double kLonScale = std::cos(42.0 * 3.14159265358979 / 180.0);
// Light to dark; zero gets its own grey so that "none documented" is not "few".
constexpr const char* kShades[] = {"#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"};
constexpr const char* kZero = "#f0f0f0";

std::vector<std::pair<double, double>> Ring(const nlohmann::json& coordinates) {
  std::vector<std::pair<double, double>> ring;
  for (const auto& p : coordinates) ring.emplace_back(p.at(0).get<double>(), p.at(1).get<double>());
  return ring;
}

class Projection {
 public:
  explicit Projection(const std::vector<std::pair<double, double>>& outline) {
    for (const auto& [lon, lat] : outline) {
      min_lon_ = std::min(min_lon_, lon), max_lon_ = std::max(max_lon_, lon);
      min_lat_ = std::min(min_lat_, lat), max_lat_ = std::max(max_lat_, lat);
    }
    scale_ = std::min(kMapWidth / ((max_lon_ - min_lon_) * kLonScale),
                      kMapHeight / (max_lat_ - min_lat_));
  }
  double X(double lon) const { return kMapLeft + (lon - min_lon_) * kLonScale * scale_; }
  double Y(double lat) const { return kMapTop + (max_lat_ - lat) * scale_; }
  std::string Path(const std::vector<std::pair<double, double>>& ring) const {
    std::string d;
    for (size_t i = 0; i < ring.size(); ++i) {
      d += (i == 0 ? "M" : "L") + Coord(X(ring[i].first)) + " " + Coord(Y(ring[i].second)) + " ";
    }
    return d + "Z";
  }

 private:
  double min_lon_ = 1e9, max_lon_ = -1e9, min_lat_ = 1e9, max_lat_ = -1e9, scale_ = 1;
};

}  // namespace

Result<PrefectureGeometry> ParsePrefectureGeoJson(std::string_view geojson) {
  try {
    const auto doc = nlohmann::json::parse(geojson);
    PrefectureGeometry g;
    g.outline = Ring(doc.at("properties").at("outline"));
    for (const auto& f : doc.at("features")) {
      PrefectureShape s;
      s.code = f.at("properties").at("code").get<std::string>();
      const auto& lp = f.at("properties").at("label_point");
      s.label_point = {lp.at(0).get<double>(), lp.at(1).get<double>()};
      s.ring = Ring(f.at("geometry").at("coordinates").at(0));
      g.prefectures.push_back(std::move(s));
    }
    if (g.outline.size() < 3 || g.prefectures.empty()) {
      return Status::Corrupt("the prefecture map has no outline or no prefectures");
    }
    return g;
  } catch (const std::exception& e) {
    return Status::Corrupt(std::string("the prefecture map is not the expected GeoJSON: ") +
                           e.what());
  }
}

const PrefectureGeometry& SchematicPrefectures() {
  static const PrefectureGeometry kGeometry = [] {
    auto parsed = ParsePrefectureGeoJson(kPrefectureGeoJson);
    // The file is compiled in and checked by its test; an empty map is the safe failure.
    return parsed.ok() ? *parsed : PrefectureGeometry{};
  }();
  return kGeometry;
}

Svg PrefectureMap(const Tally& tally, const ChartWords& words) {
  const PrefectureGeometry& g = SchematicPrefectures();
  std::map<std::string, const TallyRow*> by_code;
  int64_t top = 0, unknown = 0;
  for (const auto& r : tally.rows) {
    if (r.key == "unknown") {
      unknown = r.people;
      continue;
    }
    by_code[r.key] = &r;
    top = std::max(top, r.people);
  }
  // Five classes of equal width from 1 to the largest count.
  auto shade = [&](int64_t n) -> const char* {
    if (n <= 0 || top <= 0) return kZero;
    const size_t cls =
        std::min<size_t>(4, static_cast<size_t>((n - 1) * 5 / std::max<int64_t>(top, 1)));
    return kShades[cls];
  };
  const Projection proj(g.outline);
  std::ostringstream out;
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << kHeight
      << "' viewBox='0 0 " << kWidth << " " << kHeight << "' font-family='" << kChartFonts
      << "' font-size='11'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n"
      << "<text x='12' y='22' font-size='16' font-weight='bold'>" << XmlEscape(tally.title)
      << "</text>\n"
      << "<text x='12' y='40' fill='#555'>"
      << XmlEscape(ChartWords::With(words.people, tally.people_total) + ". " + words.schematic)
      << "</text>\n";
  for (const auto& p : g.prefectures) {
    auto it = by_code.find(p.code);
    const int64_t n = it == by_code.end() ? 0 : it->second->people;
    out << "<path d='" << proj.Path(p.ring) << "' fill='" << shade(n)
        << "' stroke='white' stroke-width='1.5'><title>" << XmlEscape(PrefectureLabel(p.code))
        << ": " << n << "</title></path>\n";
  }
  out << "<path d='" << proj.Path(g.outline) << "' fill='none' stroke='#444' stroke-width='1'/>\n";
  for (const auto& p : g.prefectures) {
    auto it = by_code.find(p.code);
    const int64_t n = it == by_code.end() ? 0 : it->second->people;
    const std::string label = it == by_code.end() ? PrefectureLabel(p.code) : it->second->label;
    const double x = proj.X(p.label_point.first), y = proj.Y(p.label_point.second);
    // Dark text with a white halo reads on every shade and across borders.
    constexpr const char* kHalo =
        "fill='#111' stroke='white' stroke-width='3' paint-order='stroke'";
    out << "<text x='" << Coord(x) << "' y='" << Coord(y) << "' text-anchor='middle' " << kHalo
        << ">" << XmlEscape(label) << "</text>"
        << "<text x='" << Coord(x) << "' y='" << Coord(y + 13)
        << "' text-anchor='middle' font-weight='bold' " << kHalo << ">" << n << "</text>\n";
  }
  // Legend: the count range of each shade.
  const double lx = kMapLeft + kMapWidth + 30;
  out << "<text x='" << lx << "' y='" << kMapTop + 10 << "' font-weight='bold'>"
      << XmlEscape(words.legend) << "</text>\n";
  std::vector<std::pair<std::string, const char*>> legend = {{"0", kZero}};
  for (int c = 0; c < 5 && top > 0; ++c) {
    const int64_t lo = c * top / 5 + 1, hi = (c + 1) * top / 5;
    if (hi < lo) continue;
    legend.push_back({lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi),
                      kShades[c]});
  }
  for (size_t i = 0; i < legend.size(); ++i) {
    const double y = kMapTop + 22 + 20 * static_cast<double>(i);
    out << "<rect x='" << lx << "' y='" << y << "' width='16' height='14' fill='"
        << legend[i].second << "' stroke='#999'/><text x='" << lx + 22 << "' y='" << y + 11 << "'>"
        << legend[i].first << "</text>\n";
  }
  out << "<text x='12' y='" << kHeight - 30 << "' fill='#555'>"
      << XmlEscape(ChartWords::With(words.prefecture_unknown, unknown)) << "</text>\n"
      << "<text x='12' y='" << kHeight - 12 << "' font-size='10' fill='#555'>"
      << XmlEscape(words.schematic_source + " " + words.counted) << "</text>\n</svg>\n";
  return {out.str(), kWidth, kHeight};
}

}  // namespace izde::report
