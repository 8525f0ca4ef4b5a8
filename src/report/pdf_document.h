// A printable A4 document drawn with cairo (PDF surface) and pango (text shaping: Arabic
// script for Uyghur, CJK for Chinese, right-to-left paragraphs), in the Noto fonts.
// Content flows top to bottom and breaks onto new pages; charts are drawn as vectors
// from their SVG with librsvg. The PDF is built in memory and written to the file only
// when complete, so a failure leaves no half-written case file behind.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "report/charts.h"
#include "report/document.h"

namespace izde::report {

struct PdfOptions {
  std::string lang = "en";  // paragraphs of this language set the reading direction
  std::string footer;       // left part of every page's footer ("page N" is added)
  std::string page_word = "Page {n}";
  std::string banner;  // printed at the top of every page, in red (confidentiality)
  // PDF metadata; never a person's name (file managers and indexers show it).
  std::string title = "izde report";
};

// The calls of report/document.h, and charts, spacing and page breaks besides.
class PdfDocument final : public Document {
 public:
  explicit PdfDocument(PdfOptions options);
  ~PdfDocument() override;
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  void Title(const std::string& text) override;
  void Heading(const std::string& text) override;
  void Paragraph(const std::string& text, double size = 10, bool muted = false) override;
  void Code(const std::string& text) override;
  void Fields(const std::vector<std::pair<std::string, std::string>>& rows) override;
  void Table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows,
             const std::vector<double>& widths) override;
  // A chart, scaled to `width_fraction` of the text width. With `fit`, it is made smaller
  // (down to a third) rather than moved to a new page, leaving `reserve_below` points free.
  void Chart(const Svg& svg, double width_fraction = 1.0, bool fit = false,
             double reserve_below = 0);
  // Charts side by side, each at its fraction of the text width, in reading order.
  void ChartRow(const std::vector<std::pair<Svg, double>>& charts);
  void SignatureBlock(const std::string& role, const std::string& name_word,
                      const std::string& signature_word, const std::string& date_word) override;
  void Space(double points);
  void NewPage();

  // Writes the PDF.
  Status Save(const std::string& path) override;
  // The PDF bytes (tests).
  Result<std::string> Finish() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace izde::report
