#include "estimate/png_plot.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>

#include "estimate/svg_plot.h"

namespace izde::estimate {
namespace {

struct CairoSurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectDeleter {
  void operator()(RsvgHandle* h) const { g_object_unref(h); }
};

std::string TakeMessage(GError* error) {
  std::string m = error && error->message ? error->message : "unknown error";
  if (error) g_error_free(error);
  return m;
}

}  // namespace

Status WritePngPlot(const EstimateReport& report, const std::string& path, double scale) {
  return WriteSvgAsPng(RenderSvg(report), kPlotWidth, kPlotHeight, path, scale);
}

Status WriteSvgAsPng(const std::string& svg, int svg_width, int svg_height, const std::string& path,
                     double scale) {
  if (!(scale > 0 && scale <= 8)) return Status::InvalidInput("the plot scale must be in (0, 8]");
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, GObjectDeleter> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) return Status::Corrupt("could not read the chart: " + TakeMessage(error));
  const int width = static_cast<int>(std::lround(svg_width * scale));
  const int height = static_cast<int>(std::lround(svg_height * scale));
  std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Io("could not allocate a " + std::to_string(width) + "×" +
                      std::to_string(height) + " image");
  }
  std::unique_ptr<cairo_t, CairoDeleter> cairo(cairo_create(surface.get()));
  const RsvgRectangle viewport{0, 0, static_cast<double>(width), static_cast<double>(height)};
  if (!rsvg_handle_render_document(handle.get(), cairo.get(), &viewport, &error)) {
    return Status::Corrupt("could not draw the chart: " + TakeMessage(error));
  }
  cairo_surface_flush(surface.get());
  const cairo_status_t written = cairo_surface_write_to_png(surface.get(), path.c_str());
  if (written != CAIRO_STATUS_SUCCESS) {
    return Status::Io("cannot write the plot to '" + path +
                      "': " + cairo_status_to_string(written));
  }
  return Status::Ok();
}

}  // namespace izde::estimate
