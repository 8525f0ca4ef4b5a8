#include "report/charts.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "demo/synthetic_people.h"
#include "places/gazetteer.h"
#include "report/prefecture_map.h"

// Fontconfig keeps its caches for the life of the process (see png_plot_test.cc). For
// every test of report_test: charts and PDFs both use it. Cairo keeps the glyph caches of
// the fonts pango hands it for the life of the process as well.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

namespace izde::report {
namespace {

size_t Occurrences(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

Tally Demo(Dimension d) {
  Holdings h = HoldingsOf(demo::SyntheticVault({.people = 150, .seed = 5}));
  return Count(h, AllFacts(h), d);
}

bool Inside(const std::vector<std::pair<double, double>>& ring, double x, double y) {
  bool in = false;
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const auto [xi, yi] = ring[i];
    const auto [xj, yj] = ring[j];
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
  }
  return in;
}

TEST(PrefectureGeometry, OneShapePerPrefectureOfTheGazetteerEachAroundItsLabel) {
  const PrefectureGeometry& g = SchematicPrefectures();
  size_t prefectures = 0;
  for (const auto& p : places::Gazetteer::Xinjiang().places()) {
    if (p.level != places::PlaceLevel::kPrefecture) continue;
    ++prefectures;
    auto it = std::find_if(g.prefectures.begin(), g.prefectures.end(),
                           [&](const PrefectureShape& s) { return s.code == p.code; });
    ASSERT_NE(it, g.prefectures.end()) << p.code;
    EXPECT_GE(it->ring.size(), 4u);
    EXPECT_TRUE(Inside(it->ring, it->label_point.first, it->label_point.second)) << p.code;
    EXPECT_TRUE(Inside(g.outline, it->label_point.first, it->label_point.second)) << p.code;
  }
  EXPECT_EQ(g.prefectures.size(), prefectures);
  EXPECT_FALSE(ParsePrefectureGeoJson("{\"type\": \"FeatureCollection\"}").ok());
  EXPECT_FALSE(ParsePrefectureGeoJson("not json").ok());
}

TEST(Charts, BarChartHasABarAndALabelPerRow) {
  Tally t = Demo(Dimension::kStatus);
  Svg svg = BarChart(t);
  EXPECT_EQ(svg.text.rfind("<svg xmlns='http://www.w3.org/2000/svg'", 0), 0u);
  EXPECT_EQ(Occurrences(svg.text, "<rect"), t.rows.size() + 1);  // + the background
  for (const auto& r : t.rows) EXPECT_NE(svg.text.find(">" + r.label + "<"), std::string::npos);
  EXPECT_GT(svg.height, static_cast<int>(20 * t.rows.size()));
}

TEST(Charts, LongTalliesFoldIntoOther) {
  Tally t;
  t.title = "Many <places> & more";
  for (int i = 0; i < 30; ++i)
    t.rows.push_back({std::to_string(i), "place " + std::to_string(i), 1});
  Svg svg = BarChart(t, 10);
  EXPECT_NE(svg.text.find("other (21)"), std::string::npos);
  EXPECT_NE(svg.text.find("Many &lt;places&gt; &amp; more"), std::string::npos);
  EXPECT_EQ(svg.text.find("place 12"), std::string::npos);
}

TEST(Charts, TimelineHasAColumnPerMonthAndStatesTheUndated) {
  Tally t = Demo(Dimension::kMonth);
  Svg svg = ChartOf(t);
  size_t months = 0;
  int64_t unknown = -1;
  for (const auto& r : t.rows) {
    if (r.key == "unknown")
      unknown = r.people;
    else
      ++months;
  }
  ASSERT_GT(months, 12u);
  EXPECT_EQ(Occurrences(svg.text, "<title>"), months);
  ASSERT_GE(unknown, 0);
  EXPECT_NE(svg.text.find("month unknown: " + std::to_string(unknown)), std::string::npos);
}

TEST(Charts, MapShadesEveryPrefectureAndSaysItIsSchematic) {
  Tally t = Demo(Dimension::kPrefecture);
  Svg svg = ChartOf(t);
  EXPECT_EQ(Occurrences(svg.text, "<path"), SchematicPrefectures().prefectures.size() + 1);
  EXPECT_NE(svg.text.find("Schematic"), std::string::npos);
  // Kashgar's count appears in its tooltip.
  for (const auto& r : t.rows) {
    if (r.key == "653100") {
      EXPECT_NE(svg.text.find("<title>Kashgar: " + std::to_string(r.people) + "</title>"),
                std::string::npos);
    }
  }
}

TEST(Charts, WritesSvgAndPngAndRefusesOtherEndings) {
  Svg svg = ChartOf(Demo(Dimension::kPrefecture));
  const std::string dir = testing::TempDir();
  ASSERT_TRUE(WriteChart(svg, dir + "/map.svg").ok());
  ASSERT_TRUE(WriteChart(svg, dir + "/map.PNG").ok());
  std::ifstream in(dir + "/map.PNG", std::ios::binary);
  const std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_FALSE(WriteChart(svg, dir + "/map.pdf").ok());
  std::remove((dir + "/map.svg").c_str());
  std::remove((dir + "/map.PNG").c_str());
}

}  // namespace
}  // namespace izde::report
