#include "estimate/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "estimate/report.h"

namespace izde::estimate {
namespace {

constexpr double kWidth = kPlotWidth, kHeight = kPlotHeight;
constexpr double kLeft = 150, kRight = 30, kTop = 64, kBottom = 60;
constexpr int kBins = 40;

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

std::string Label(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", x);
  return buf;
}

// Maps population sizes to the horizontal axis and draws it with round-number ticks.
class Axis {
 public:
  Axis(double lo, double hi) : lo_(lo), hi_(hi > lo ? hi : lo + 1) {}
  double X(double v) const { return kLeft + (v - lo_) / (hi_ - lo_) * (kWidth - kLeft - kRight); }

  void Draw(std::ostream& out, const std::string& title) const {
    const double y = kHeight - kBottom;
    out << "<line x1='" << kLeft << "' y1='" << y << "' x2='" << kWidth - kRight << "' y2='" << y
        << "' stroke='black'/>\n";
    const double raw = (hi_ - lo_) / 6;
    const double mag = std::pow(10, std::floor(std::log10(raw)));
    const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
    const double first = std::ceil(lo_ / step);
    for (int i = 0; (first + i) * step <= hi_; ++i) {
      const double t = (first + i) * step;
      out << "<line x1='" << Num(X(t)) << "' y1='" << y << "' x2='" << Num(X(t)) << "' y2='"
          << y + 5 << "' stroke='black'/>"
          << "<text x='" << Num(X(t)) << "' y='" << y + 20 << "' text-anchor='middle'>" << Label(t)
          << "</text>\n";
    }
    out << "<text x='" << (kLeft + kWidth - kRight) / 2 << "' y='" << kHeight - 15
        << "' text-anchor='middle'>" << Escape(title) << "</text>\n";
  }

  void Marker(std::ostream& out, double v, const std::string& label,
              const std::string& colour) const {
    out << "<line x1='" << Num(X(v)) << "' y1='" << kTop << "' x2='" << Num(X(v)) << "' y2='"
        << kHeight - kBottom << "' stroke='" << colour << "' stroke-dasharray='4 3'/>"
        << "<text x='" << Num(X(v) + 3) << "' y='" << kTop - 4 << "' fill='" << colour << "'>"
        << Escape(label) << "</text>\n";
  }

 private:
  double lo_, hi_;
};

void Header(std::ostream& out, const EstimateReport& r, const std::string& title) {
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << kHeight
      << "' font-family='sans-serif' font-size='12'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n"
      << "<text x='10' y='20' font-size='15' font-weight='bold'>" << Escape(title) << "</text>\n"
      << "<text x='10' y='38' fill='#555'>" << r.lists.size() << " lists, "
      << FormatCount(static_cast<double>(r.n_observed)) << " people documented</text>\n";
}

struct Row {
  std::string label;
  double low, estimate, high;
};

// One row per model or stratum: a dot at the estimate on a line across its interval.
void ForestChart(const EstimateReport& r, const std::vector<Row>& rows, std::ostream& out) {
  double lo = static_cast<double>(r.n_observed), hi = lo;
  for (const Row& row : rows) {
    lo = std::min(lo, row.low);
    hi = std::max(hi, row.high);
  }
  const double pad = 0.05 * (hi - lo);
  Axis axis(lo - pad, hi + pad);
  if (r.strata.empty()) axis.Marker(out, static_cast<double>(r.n_observed), "documented", "#888");
  const double step =
      (kHeight - kTop - kBottom) / static_cast<double>(std::max<size_t>(rows.size(), 1));
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double y = kTop + step * (static_cast<double>(i) + 0.5);
    const char* colour = i == 0 ? "#c0392b" : "#2c3e50";
    out << "<text x='" << kLeft - 8 << "' y='" << Num(y + 4) << "' text-anchor='end'>"
        << Escape(row.label) << "</text>\n"
        << "<line x1='" << Num(axis.X(row.low)) << "' y1='" << Num(y) << "' x2='"
        << Num(axis.X(row.high)) << "' y2='" << Num(y) << "' stroke='" << colour
        << "' stroke-width='2'/>\n"
        << "<circle cx='" << Num(axis.X(row.estimate)) << "' cy='" << Num(y) << "' r='5' fill='"
        << colour << "'/>\n";
  }
  axis.Draw(out, "estimated total N, with " + Label(100 * r.options.confidence) + "% interval");
}

std::vector<Row> ModelRows(const EstimateReport& r) {
  const LoglinearResult& l = *r.loglinear;
  const size_t shown = std::min<size_t>(l.ranked.size(), 1 + std::max(0, r.options.runner_ups));
  std::vector<Row> rows;
  for (size_t i = 0; i < shown; ++i) {
    const LoglinearFit& f = l.ranked[i];
    // Without a profile interval, or with no upper limit, fall back to ± 1.96 SE.
    const double low = f.has_interval ? f.ci_low : f.estimate - 1.96 * f.se;
    const double high =
        f.has_interval && !f.ci_high_unbounded ? f.ci_high : f.estimate + 1.96 * f.se;
    rows.push_back({f.brackets, low, f.estimate, high});
  }
  return rows;
}

std::vector<Row> StrataRows(const EstimateReport& r) {
  std::vector<Row> rows;
  if (r.estimate && r.ci_low && r.ci_high) {
    rows.push_back({"total", *r.ci_low, *r.estimate, *r.ci_high});
  }
  for (const auto& [name, s] : r.strata) {
    if (s.estimate && s.ci_low && s.ci_high) {
      rows.push_back({name, *s.ci_low, *s.estimate, *s.ci_high});
    }
  }
  return rows;
}

// Bars over [lo, hi] with the given heights, scaled to the plot area.
void Bars(std::ostream& out, const Axis& axis, double lo, double width,
          const std::vector<double>& height) {
  const double top = *std::max_element(height.begin(), height.end());
  if (top <= 0) return;
  const double base = kHeight - kBottom, span = kHeight - kTop - kBottom;
  for (size_t b = 0; b < height.size(); ++b) {
    const double x0 = axis.X(lo + width * static_cast<double>(b));
    const double x1 = axis.X(lo + width * static_cast<double>(b + 1));
    const double h = height[b] / top * span;
    out << "<rect x='" << Num(x0) << "' y='" << Num(base - h) << "' width='"
        << Num(std::max(0.5, x1 - x0 - 1)) << "' height='" << Num(h) << "' fill='#5d8aa8'/>\n";
  }
}

void PosteriorChart(const EstimateReport& r, std::ostream& out) {
  std::vector<double> height(kBins, 0.0);
  double lo = 0, hi = 0;
  if (r.lcmcr) {
    std::vector<double> all;
    for (const auto& d : r.lcmcr->draws) all.insert(all.end(), d.begin(), d.end());
    std::sort(all.begin(), all.end());
    lo = all[static_cast<size_t>(0.001 * static_cast<double>(all.size() - 1))];
    hi = all[static_cast<size_t>(0.999 * static_cast<double>(all.size() - 1))] + 1;
    for (double x : all) {
      int b = static_cast<int>((x - lo) / (hi - lo) * kBins);
      if (b >= 0 && b < kBins) height[b] += 1;
    }
  } else {
    const DgaResult& g = *r.dga;
    const double first = static_cast<double>(r.n_observed + g.min_missing);
    double cdf = 0;
    bool lo_set = false;
    hi = first + static_cast<double>(g.posterior.size());
    for (size_t i = 0; i < g.posterior.size(); ++i) {
      cdf += g.posterior[i];
      if (!lo_set && cdf >= 0.001) {
        lo = first + static_cast<double>(i);
        lo_set = true;
      }
      if (cdf >= 0.999) {
        hi = first + static_cast<double>(i) + 1;
        break;
      }
    }
    for (size_t i = 0; i < g.posterior.size(); ++i) {
      const double x = first + static_cast<double>(i);
      int b = static_cast<int>((x - lo) / (hi - lo) * kBins);
      if (b >= 0 && b < kBins) height[b] += g.posterior[i];
    }
  }
  Axis axis(lo, hi);
  Bars(out, axis, lo, (hi - lo) / kBins, height);
  if (r.estimate) axis.Marker(out, *r.estimate, "median", "#c0392b");
  if (r.ci_low) axis.Marker(out, *r.ci_low, "", "#888");
  if (r.ci_high) axis.Marker(out, *r.ci_high, "", "#888");
  axis.Draw(out, "posterior distribution of the total N (dashed: median and " +
                     Label(100 * r.options.confidence) + "% interval)");
}

}  // namespace

std::string RenderSvg(const EstimateReport& r) {
  std::ostringstream out;
  Header(out, r, "Estimated total, method " + MethodName(r.method));
  if (!r.strata.empty() && r.estimate) {
    ForestChart(r, StrataRows(r), out);
  } else if (r.strata.empty() && r.loglinear && !r.loglinear->ranked.empty()) {
    ForestChart(r, ModelRows(r), out);
  } else if (r.strata.empty() &&
             ((r.lcmcr && !r.lcmcr->draws.empty()) || (r.dga && !r.dga->posterior.empty()))) {
    PosteriorChart(r, out);
  } else {
    out << "<text x='" << kLeft << "' y='" << kHeight / 2
        << "'>No estimate: see the warnings in the report.</text>\n";
  }
  out << "</svg>\n";
  return out.str();
}

Status WriteSvgPlot(const EstimateReport& report, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io("cannot write the plot to '" + path + "'");
  out << RenderSvg(report);
  out.close();
  if (!out) return Status::Io("writing the plot to '" + path + "' failed");
  return Status::Ok();
}

}  // namespace izde::estimate
