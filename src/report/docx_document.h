// A Word document (Office Open XML, WordprocessingML in a zip: docs/formats/docx.md),
// drawn through the same interface as PdfDocument (report/document.h), so that one form
// can be drawn as either.
// The XML is written here; libzip packs it. Text is split into runs by script: Arabic-
// script runs (Uyghur) are right-to-left (w:rtl) and a paragraph that starts in one is a
// right-to-left paragraph (w:bidi); CJK runs are marked East Asian (w:hint, w:lang
// zh-CN) so that Word takes the East-Asian font (Noto Sans CJK SC). Like the PDF, the
// document is built in memory and written only when complete.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "report/document.h"

namespace izde::report {

struct DocxOptions {
  std::string footer;  // every page's footer, left; "Page N" is added
  std::string banner;  // every page's header, in red (confidentiality)
  // Document properties; never a person's name (file managers and indexers show it).
  std::string title = "izde report";
};

class DocxDocument final : public Document {
 public:
  explicit DocxDocument(DocxOptions options);
  ~DocxDocument() override;
  DocxDocument(const DocxDocument&) = delete;
  DocxDocument& operator=(const DocxDocument&) = delete;

  void Title(const std::string& text) override;
  void Heading(const std::string& text) override;
  void Paragraph(const std::string& text, double size = 10, bool muted = false) override;
  void Code(const std::string& text) override;
  void Fields(const std::vector<std::pair<std::string, std::string>>& rows) override;
  void Table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows,
             const std::vector<double>& widths) override;
  void SignatureBlock(const std::string& role, const std::string& name_word,
                      const std::string& signature_word, const std::string& date_word) override;

  // The .docx bytes.
  Result<std::string> Finish() override;
  // Writes the .docx file.
  Status Save(const std::string& path) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// How a run looks, besides its script.
struct DocxRunStyle {
  bool bold = false;
  bool mono = false;
  std::string color;    // "595959"; empty: the default
  int half_points = 0;  // size in half points; 0: the default (10 pt)
};

// Text as WordprocessingML runs (<w:r>...</w:r>), split by script as described above.
// Characters XML cannot carry become U+FFFD; bidi controls are shown as "[U+202E]", as
// on the web pages (server/html_escape.h); a line break is <w:br/>. Exposed for tests.
std::string DocxRuns(const std::string& text, const DocxRunStyle& style = {});
// Whether the first strongly directional character of `text` is right-to-left.
bool StartsRightToLeft(const std::string& text);

}  // namespace izde::report
