#include "report/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <fstream>

#include "report/report_language.h"

namespace izde::report {
namespace {

// A4 in points, and the frame text flows in.
constexpr double kPageWidth = 595.28, kPageHeight = 841.89;
constexpr double kLeft = 50, kRight = kPageWidth - 50, kTop = 62, kBottom = kPageHeight - 52;
constexpr double kTextWidth = kRight - kLeft;
constexpr double kCellPad = 4;

// Fonts by language, first choice first; fontconfig falls back per character for names
// in other scripts, and to any installed font when Noto is missing.
std::string Families(const std::string& lang) {
  if (lang == "ug") return "Noto Sans Arabic, Noto Sans, Noto Sans CJK SC";
  if (lang == "zh") return "Noto Sans CJK SC, Noto Sans, Noto Naskh Arabic";
  return "Noto Sans, Noto Sans CJK SC, Noto Naskh Arabic";
}
constexpr const char* kMonoFamilies = "DejaVu Sans Mono, Noto Sans Mono CJK SC, monospace";

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct FontDeleter {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using Font = std::unique_ptr<PangoFontDescription, FontDeleter>;

Font MakeFont(const std::string& families, double size, bool bold) {
  Font f(pango_font_description_from_string(families.c_str()));
  pango_font_description_set_size(f.get(), static_cast<gint>(size * PANGO_SCALE));
  if (bold) pango_font_description_set_weight(f.get(), PANGO_WEIGHT_BOLD);
  return f;
}

}  // namespace

struct PdfDocument::Impl {
  PdfOptions options;
  bool rtl = false;
  std::string bytes;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  double y = kTop;
  int page = 1;
  bool finished = false;

  explicit Impl(PdfOptions o) : options(std::move(o)) {
    rtl = IsRightToLeft(options.lang);
    surface = cairo_pdf_surface_create_for_stream(Append, &bytes, kPageWidth, kPageHeight);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, options.title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "izde");
    cr = cairo_create(surface);
    StartPage();
  }
  ~Impl() {
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }

  // A layout of `text` wrapped at `width`, in the document's language.
  PangoLayout* Layout(const std::string& text, double width, const Font& font,
                      PangoAlignment align = PANGO_ALIGN_LEFT) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    pango_context_set_language(pango_layout_get_context(layout),
                               pango_language_from_string(ShapingLanguage(options.lang).c_str()));
    pango_layout_context_changed(layout);
    pango_layout_set_font_description(layout, font.get());
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    // A right-to-left document is right-to-left throughout, so that a Latin place name in
    // a Uyghur table still aligns right; otherwise each paragraph finds its direction.
    if (rtl) {
      // Alignment is not mirrored without automatic direction: mirror it here.
      if (align == PANGO_ALIGN_LEFT)
        align = PANGO_ALIGN_RIGHT;
      else if (align == PANGO_ALIGN_RIGHT)
        align = PANGO_ALIGN_LEFT;
      pango_layout_set_auto_dir(layout, FALSE);
      pango_context_set_base_dir(pango_layout_get_context(layout), PANGO_DIRECTION_RTL);
      pango_layout_context_changed(layout);
    } else {
      pango_layout_set_auto_dir(layout, TRUE);
    }
    pango_layout_set_alignment(layout, align);
    pango_layout_set_text(layout, text.c_str(), static_cast<int>(text.size()));
    return layout;
  }
  static double Height(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  void Show(PangoLayout* layout, double x, double at_y) {
    cairo_move_to(cr, x, at_y);
    pango_cairo_show_layout(cr, layout);
  }
  // x of a column that starts `offset` points from the start edge and is `width` wide.
  double StartX(double offset, double width) const {
    return rtl ? kRight - offset - width : kLeft + offset;
  }

  void StartPage() {
    y = kTop;
    if (options.banner.empty()) return;
    Font font = MakeFont(Families(options.lang), 7.5, true);
    PangoLayout* layout = Layout(options.banner, kTextWidth, font, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(cr, 0.7, 0.1, 0.1);
    Show(layout, kLeft, 22);
    cairo_set_source_rgb(cr, 0, 0, 0);
    g_object_unref(layout);
  }
  void EndPage() {
    Font font = MakeFont(Families(options.lang), 7.5, false);
    std::string number = options.page_word;
    if (auto at = number.find("{n}"); at != std::string::npos)
      number.replace(at, 3, std::to_string(page));
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    PangoLayout* left = Layout(options.footer, kTextWidth * 0.75, font);
    Show(left, StartX(0, kTextWidth * 0.75), kPageHeight - 36);
    PangoLayout* right = Layout(number, kTextWidth * 0.2, font, PANGO_ALIGN_RIGHT);
    Show(right, StartX(kTextWidth * 0.8, kTextWidth * 0.2), kPageHeight - 36);
    g_object_unref(left);
    g_object_unref(right);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_show_page(cr);
  }
  void Break() {
    EndPage();
    ++page;
    StartPage();
  }
  void Ensure(double height) {
    if (y + height > kBottom && y > kTop) Break();
  }

  // Draws a paragraph-like layout across the text width, breaking pages between lines
  // when it does not fit.
  void Flow(PangoLayout* layout, double gap_after) {
    const double h = Height(layout);
    if (y + h <= kBottom || h > kBottom - kTop) {
      if (y + h > kBottom) Break();
      Show(layout, kLeft, y);
      y += h + gap_after;
      return;
    }
    // Line by line, so a long paragraph continues on the next page.
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    double origin = y;
    double page_offset = 0;
    do {
      PangoRectangle line;
      pango_layout_iter_get_line_extents(it, nullptr, &line);
      const double top = static_cast<double>(line.y) / PANGO_SCALE;
      const double height = static_cast<double>(line.height) / PANGO_SCALE;
      if (origin + top - page_offset + height > kBottom) {
        Break();
        page_offset = top;
        origin = y;
      }
      const int baseline = pango_layout_iter_get_baseline(it);
      PangoLayoutLine* l = pango_layout_iter_get_line_readonly(it);
      cairo_move_to(cr, kLeft + static_cast<double>(line.x) / PANGO_SCALE,
                    origin - page_offset + static_cast<double>(baseline) / PANGO_SCALE);
      pango_cairo_show_layout_line(cr, l);
      y = origin - page_offset + top + height;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    y += gap_after;
  }

  void Rule(double at_y, double grey, double width = 0.5) {
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, kLeft, at_y);
    cairo_line_to(cr, kRight, at_y);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
  }
};

PdfDocument::PdfDocument(PdfOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
PdfDocument::~PdfDocument() = default;

void PdfDocument::Title(const std::string& text) {
  Font font = MakeFont(Families(impl_->options.lang), 18, true);
  PangoLayout* layout = impl_->Layout(text, kTextWidth, font);
  impl_->Flow(layout, 6);
  g_object_unref(layout);
}

void PdfDocument::Heading(const std::string& text) {
  Font font = MakeFont(Families(impl_->options.lang), 12.5, true);
  PangoLayout* layout = impl_->Layout(text, kTextWidth, font);
  // Keep a heading with at least a few lines of what follows.
  impl_->Ensure(Impl::Height(layout) + 60);
  impl_->y += 8;
  impl_->Flow(layout, 2);
  impl_->Rule(impl_->y, 0.6);
  impl_->y += 6;
  g_object_unref(layout);
}

void PdfDocument::Paragraph(const std::string& text, double size, bool muted) {
  Font font = MakeFont(Families(impl_->options.lang), size, false);
  PangoLayout* layout = impl_->Layout(text, kTextWidth, font);
  if (muted) cairo_set_source_rgb(impl_->cr, 0.3, 0.3, 0.3);
  impl_->Flow(layout, 5);
  cairo_set_source_rgb(impl_->cr, 0, 0, 0);
  g_object_unref(layout);
}

void PdfDocument::Code(const std::string& text) {
  Font font = MakeFont(kMonoFamilies, 7.5, false);
  PangoLayout* layout = impl_->Layout(text, kTextWidth, font);
  // Code is left to right whatever the language around it.
  pango_layout_set_auto_dir(layout, FALSE);
  pango_context_set_base_dir(pango_layout_get_context(layout), PANGO_DIRECTION_LTR);
  pango_layout_set_wrap(layout, PANGO_WRAP_CHAR);
  pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
  pango_layout_context_changed(layout);
  impl_->Flow(layout, 5);
  g_object_unref(layout);
}

void PdfDocument::Fields(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<std::vector<std::string>> table;
  for (const auto& [k, v] : rows) table.push_back({k, v});
  Table({}, table, {0.28, 0.72});
}

void PdfDocument::Table(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        const std::vector<double>& widths) {
  Impl& d = *impl_;
  const std::string families = Families(d.options.lang);
  Font body = MakeFont(families, 9, false), bold = MakeFont(families, 9, true);
  const bool label_column = header.empty();  // Fields(): the first column is the label
  auto layouts_of = [&](const std::vector<std::string>& cells, bool is_header, double& height) {
    std::vector<PangoLayout*> layouts;
    height = 0;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string text = c < cells.size() ? cells[c] : "";
      const bool strong = is_header || (label_column && c == 0);
      PangoLayout* l = d.Layout(text, widths[c] * kTextWidth - 2 * kCellPad, strong ? bold : body);
      height = std::max(height, Impl::Height(l));
      layouts.push_back(l);
    }
    height += 2 * kCellPad;
    return layouts;
  };
  auto draw = [&](std::vector<PangoLayout*>& layouts, double height, bool is_header) {
    if (is_header) {
      cairo_set_source_rgb(d.cr, 0.92, 0.94, 0.96);
      cairo_rectangle(d.cr, kLeft, d.y, kTextWidth, height);
      cairo_fill(d.cr);
      cairo_set_source_rgb(d.cr, 0, 0, 0);
    }
    double offset = 0;
    for (size_t c = 0; c < layouts.size(); ++c) {
      const double w = widths[c] * kTextWidth;
      d.Show(layouts[c], d.StartX(offset, w) + kCellPad, d.y + kCellPad);
      offset += w;
      g_object_unref(layouts[c]);
    }
    d.y += height;
    d.Rule(d.y, 0.8);
  };
  auto draw_header = [&] {
    if (header.empty()) return;
    double h = 0;
    auto l = layouts_of(header, true, h);
    draw(l, h, true);
  };
  d.Ensure(48);
  draw_header();
  for (const auto& row : rows) {
    double h = 0;
    auto l = layouts_of(row, false, h);
    if (d.y + h > kBottom) {
      d.Break();
      draw_header();  // every page of a table starts with its header
    }
    draw(l, h, false);
  }
  d.y += 8;
}

void PdfDocument::Chart(const Svg& svg, double width_fraction, bool fit, double reserve_below) {
  Impl& d = *impl_;
  GError* error = nullptr;
  RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.text.data()),
                                                 svg.text.size(), &error);
  if (!handle) {
    Paragraph(std::string("[chart could not be drawn: ") +
              (error && error->message ? error->message : "unknown error") + "]");
    if (error) g_error_free(error);
    return;
  }
  double w = kTextWidth * std::clamp(width_fraction, 0.1, 1.0);
  double h = w * svg.height / std::max(svg.width, 1);
  const double room = kBottom - d.y - reserve_below - 8;
  if (fit && h > room && room >= h / 3) {
    w *= room / h;
    h = room;
  }
  d.Ensure(h + 6);
  // Centred: a chart narrower than the text reads as a figure in either direction.
  const RsvgRectangle viewport{kLeft + (kTextWidth - w) / 2, d.y, w, h};
  if (!rsvg_handle_render_document(handle, d.cr, &viewport, &error)) {
    if (error) g_error_free(error);
  }
  g_object_unref(handle);
  d.y += h + 8;
}

void PdfDocument::ChartRow(const std::vector<std::pair<Svg, double>>& charts) {
  Impl& d = *impl_;
  double row = 0, total = 0;
  for (const auto& [svg, fraction] : charts) {
    const double w = kTextWidth * fraction;
    row = std::max(row, w * svg.height / std::max(svg.width, 1));
    total += w;
  }
  d.Ensure(row + 6);
  const double gap =
      charts.size() > 1
          ? std::max(0.0, (kTextWidth - total) / static_cast<double>(charts.size() - 1))
          : 0;
  double offset = 0;
  for (const auto& [svg, fraction] : charts) {
    const double w = kTextWidth * fraction, h = w * svg.height / std::max(svg.width, 1);
    GError* error = nullptr;
    RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.text.data()),
                                                   svg.text.size(), &error);
    if (handle) {
      const RsvgRectangle viewport{d.StartX(offset, w), d.y + (row - h) / 2, w, h};
      if (!rsvg_handle_render_document(handle, d.cr, &viewport, &error) && error)
        g_error_free(error);
      g_object_unref(handle);
    } else if (error) {
      g_error_free(error);
    }
    offset += w + gap;
  }
  d.y += row + 8;
}

void PdfDocument::SignatureBlock(const std::string& role, const std::string& name_word,
                                 const std::string& signature_word, const std::string& date_word) {
  Impl& d = *impl_;
  d.Ensure(124);
  const std::string families = Families(d.options.lang);
  Font bold = MakeFont(families, 10, true), body = MakeFont(families, 8.5, false);
  PangoLayout* title = d.Layout(role, kTextWidth, bold);
  d.Show(title, kLeft, d.y);
  d.y += Impl::Height(title) + 14;
  g_object_unref(title);
  // Name on its own line; signature and date side by side.
  auto line = [&](double offset, double width, const std::string& word) {
    const double x = d.StartX(offset, width);
    cairo_set_source_rgb(d.cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(d.cr, 0.6);
    cairo_move_to(d.cr, x, d.y + 14);
    cairo_line_to(d.cr, x + width, d.y + 14);
    cairo_stroke(d.cr);
    PangoLayout* l = d.Layout(word, width, body);
    cairo_set_source_rgb(d.cr, 0.35, 0.35, 0.35);
    d.Show(l, x, d.y + 16);
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    g_object_unref(l);
  };
  line(0, kTextWidth, name_word);
  d.y += 40;
  line(0, kTextWidth * 0.6, signature_word);
  line(kTextWidth * 0.68, kTextWidth * 0.32, date_word);
  d.y += 44;
}

void PdfDocument::Space(double points) { impl_->y += points; }

void PdfDocument::NewPage() { impl_->Break(); }

Result<std::string> PdfDocument::Finish() {
  Impl& d = *impl_;
  if (d.finished) return Status::InvalidInput("the PDF was already finished");
  d.finished = true;
  d.EndPage();
  cairo_destroy(d.cr);
  d.cr = nullptr;
  cairo_surface_finish(d.surface);
  const cairo_status_t status = cairo_surface_status(d.surface);
  cairo_surface_destroy(d.surface);
  d.surface = nullptr;
  if (status != CAIRO_STATUS_SUCCESS) {
    return Status::Io(std::string("could not make the PDF: ") + cairo_status_to_string(status));
  }
  return std::move(d.bytes);
}

Status PdfDocument::Save(const std::string& path) {
  IZDE_ASSIGN_OR_RETURN(std::string bytes, Finish());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io("cannot write the PDF to '" + path + "'");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::Io("writing the PDF to '" + path + "' failed");
  return Status::Ok();
}

}  // namespace izde::report
