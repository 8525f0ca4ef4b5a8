// What a report is drawn on, whatever the file format: PdfDocument (cairo + pango) and
// DocxDocument (WordprocessingML) take the same calls, so a form drawn through this
// interface (the WGEID submission, wgeid.cc) comes out the same in both. Content flows
// top to bottom; the file is produced only when the document is complete.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace izde::report {

class Document {
 public:
  virtual ~Document() = default;

  virtual void Title(const std::string& text) = 0;
  virtual void Heading(const std::string& text) = 0;
  virtual void Paragraph(const std::string& text, double size = 10, bool muted = false) = 0;
  // Monospaced, small, broken anywhere (hashes, signed notes).
  virtual void Code(const std::string& text) = 0;
  // Label: value rows.
  virtual void Fields(const std::vector<std::pair<std::string, std::string>>& rows) = 0;
  // A table with a header row; `widths` are fractions of the text width.
  virtual void Table(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows,
                     const std::vector<double>& widths) = 0;
  // A box with lines to write a name, a signature and a date on.
  virtual void SignatureBlock(const std::string& role, const std::string& name_word,
                              const std::string& signature_word, const std::string& date_word) = 0;

  // The file's bytes. The document cannot be used afterwards.
  virtual Result<std::string> Finish() = 0;
  // Writes the file. The document cannot be used afterwards.
  virtual Status Save(const std::string& path) = 0;
};

}  // namespace izde::report
