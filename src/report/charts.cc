#include "report/charts.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "estimate/png_plot.h"
#include "report/prefecture_map.h"
#include "report/svg_text.h"

namespace izde::report {
namespace {

constexpr int kWidth = 720;
constexpr double kTop = 58, kRowHeight = 22, kBottom = 34, kMargin = 12;
constexpr const char* kBarColour = "#3b6e96";

std::string Header(int height, const std::string& title, const std::string& subtitle) {
  std::ostringstream out;
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << height
      << "' viewBox='0 0 " << kWidth << " " << height << "' font-family='" << kChartFonts
      << "' font-size='12'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n"
      << "<text x='" << kMargin << "' y='22' font-size='16' font-weight='bold'>" << XmlEscape(title)
      << "</text>\n"
      << "<text x='" << kMargin << "' y='40' fill='#555'>" << XmlEscape(subtitle) << "</text>\n";
  return out.str();
}

std::string Subtitle(const Tally& t, const ChartWords& w) {
  return ChartWords::With(w.people, t.people_total);
}

// A round step near range/target for axis ticks.
double NiceStep(double range, double target) {
  const double raw = std::max(range / target, 1.0);
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

}  // namespace

std::string ChartWords::With(std::string text, int64_t n) {
  if (auto at = text.find("{n}"); at != std::string::npos) text.replace(at, 3, std::to_string(n));
  return text;
}

Svg BarChart(const Tally& tally, size_t max_rows, const ChartWords& words) {
  std::vector<TallyRow> rows = tally.rows;
  if (max_rows > 0 && rows.size() > max_rows) {
    TallyRow other{"other", "", 0};
    const size_t folded = rows.size() - (max_rows - 1);
    for (size_t i = max_rows - 1; i < rows.size(); ++i) other.people += rows[i].people;
    other.label = ChartWords::With(words.other, static_cast<int64_t>(folded));
    rows.resize(max_rows - 1);
    rows.push_back(other);
  }
  size_t longest = 4;
  for (const auto& r : rows) longest = std::max(longest, CodePoints(r.label));
  const double label_width = std::min(260.0, 7.0 * static_cast<double>(longest) + 10);
  const double left = kMargin + label_width, right = kWidth - 60;
  const int height = static_cast<int>(
      kTop + kRowHeight * static_cast<double>(std::max<size_t>(rows.size(), 1)) + kBottom);
  int64_t top = 0;
  for (const auto& r : rows) top = std::max(top, r.people);
  std::ostringstream out;
  out << Header(height, tally.title, Subtitle(tally, words));
  for (size_t i = 0; i < rows.size(); ++i) {
    const double y = kTop + kRowHeight * static_cast<double>(i);
    const double w =
        top > 0 ? (right - left) * static_cast<double>(rows[i].people) / static_cast<double>(top)
                : 0;
    out << "<text x='" << Coord(left - 6) << "' y='" << Coord(y + 15) << "' text-anchor='end'>"
        << XmlEscape(rows[i].label) << "</text>"
        << "<rect x='" << Coord(left) << "' y='" << Coord(y + 3) << "' width='"
        << Coord(std::max(w, rows[i].people > 0 ? 1.0 : 0.0)) << "' height='"
        << Coord(kRowHeight - 6) << "' fill='" << kBarColour << "'/>"
        << "<text x='" << Coord(left + w + 5) << "' y='" << Coord(y + 15) << "'>" << rows[i].people
        << "</text>\n";
  }
  if (rows.empty()) {
    out << "<text x='" << kMargin << "' y='" << Coord(kTop + 15) << "'>" << XmlEscape(words.nothing)
        << "</text>\n";
  }
  out << "<text x='" << kMargin << "' y='" << height - 10 << "' font-size='10' fill='#555'>"
      << XmlEscape(words.counted) << "</text>\n</svg>\n";
  return {out.str(), kWidth, height};
}

Svg Timeline(const Tally& tally, const ChartWords& words) {
  std::vector<TallyRow> points;
  std::vector<TallyRow> aside;  // rows with no place on the time axis
  for (const auto& r : tally.rows) {
    const bool dated = !r.key.empty() && std::isdigit(static_cast<unsigned char>(r.key[0]));
    (dated ? points : aside).push_back(r);
  }
  constexpr int kHeight = 360;
  constexpr double left = 56, right = kWidth - 20, base = kHeight - 70, top_y = kTop + 10;
  std::ostringstream out;
  out << Header(kHeight, tally.title, Subtitle(tally, words));
  int64_t top = 1;
  for (const auto& r : points) top = std::max(top, r.people);
  const double step = NiceStep(static_cast<double>(top), 5);
  const double axis_top = std::ceil(static_cast<double>(top) / step) * step;
  for (double v = 0; v <= axis_top + 1e-9; v += step) {
    const double y = base - (base - top_y) * v / axis_top;
    out << "<line x1='" << left << "' y1='" << Coord(y) << "' x2='" << right << "' y2='" << Coord(y)
        << "' stroke='#ddd'/>"
        << "<text x='" << left - 6 << "' y='" << Coord(y + 4) << "' text-anchor='end'>"
        << static_cast<int64_t>(v) << "</text>\n";
  }
  const double slot = points.empty() ? 0 : (right - left) / static_cast<double>(points.size());
  // Label every n-th column so that labels never overlap (about 44 units per label).
  const size_t every =
      std::max<size_t>(1, static_cast<size_t>(std::ceil(44 / std::max(slot, 1.0))));
  for (size_t i = 0; i < points.size(); ++i) {
    const double x = left + slot * static_cast<double>(i);
    const double h = (base - top_y) * static_cast<double>(points[i].people) / axis_top;
    out << "<rect x='" << Coord(x + slot * 0.1) << "' y='" << Coord(base - h) << "' width='"
        << Coord(std::max(slot * 0.8, 0.5)) << "' height='" << Coord(h) << "' fill='" << kBarColour
        << "'><title>" << XmlEscape(points[i].label) << ": " << points[i].people
        << "</title></rect>\n";
    // Dense monthly columns are labelled at each January only.
    const bool monthly = points[i].key.size() == 7;
    const bool january = monthly && points[i].key.substr(5) == "01";
    const bool label = every == 1 || (monthly && slot * 12 >= 44 ? january : i % every == 0);
    if (label) {
      out << "<text x='" << Coord(x + slot / 2) << "' y='" << Coord(base + 16)
          << "' text-anchor='middle' font-size='10'>" << XmlEscape(points[i].label) << "</text>\n";
    }
  }
  out << "<line x1='" << left << "' y1='" << base << "' x2='" << right << "' y2='" << base
      << "' stroke='black'/>\n";
  std::string note;
  for (const auto& r : aside) {
    note += (note.empty() ? "" : "; ") + r.label + ": " + std::to_string(r.people);
  }
  if (points.empty()) note = (note.empty() ? "" : note + "; ") + words.nothing;
  out << "<text x='" << kMargin << "' y='" << kHeight - 30 << "' fill='#555'>" << XmlEscape(note)
      << "</text>\n"
      << "<text x='" << kMargin << "' y='" << kHeight - 10 << "' font-size='10' fill='#555'>"
      << XmlEscape(words.counted) << "</text>\n</svg>\n";
  return {out.str(), kWidth, kHeight};
}

Svg ChartOf(const Tally& tally, const ChartWords& words) {
  switch (tally.by) {
    case Dimension::kMonth:
    case Dimension::kYear:
      return Timeline(tally, words);
    case Dimension::kPrefecture:
      return PrefectureMap(tally, words);
    default:
      return BarChart(tally, 20, words);
  }
}

Status WriteChart(const Svg& svg, const std::string& path) {
  auto ends = [&](const std::string& suffix) {
    return path.size() >= suffix.size() &&
           std::equal(suffix.rbegin(), suffix.rend(), path.rbegin(), [](char a, char b) {
             return a == std::tolower(static_cast<unsigned char>(b));
           });
  };
  if (ends(".png")) return estimate::WriteSvgAsPng(svg.text, svg.width, svg.height, path);
  if (!ends(".svg")) {
    return Status::InvalidInput("a chart file must end in .svg or .png: '" + path + "'");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io("cannot write the chart to '" + path + "'");
  out << svg.text;
  out.close();
  if (!out) return Status::Io("writing the chart to '" + path + "' failed");
  return Status::Ok();
}

}  // namespace izde::report
