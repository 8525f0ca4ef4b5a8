// The same chart as svg_plot.h, rasterised to PNG (`izde estimate --plot FILE.png`) with
// librsvg and cairo, so list names in any script render with the system's fonts. Built as
// its own library, izde_estimate_png, only when librsvg-2.0 is installed (Debian:
// librsvg2-dev), to keep that dependency out of everything else.
#pragma once

#include <string>

#include "base/status.h"
#include "estimate/estimate.h"

namespace izde::estimate {

// `scale` 2 gives a 1440×800 image, sharp on a slide or a printed press file.
Status WritePngPlot(const EstimateReport& report, const std::string& path, double scale = 2);

// Any SVG of `width`×`height` user units, rasterised the same way (the charts of
// src/report use it).
Status WriteSvgAsPng(const std::string& svg, int width, int height, const std::string& path,
                     double scale = 2);

}  // namespace izde::estimate
