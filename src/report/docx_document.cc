#include "report/docx_document.h"

#include <zip.h>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace izde::report {
namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr int kTextWidth = 9638;  // twips: A4 (11906) less two 2 cm margins (1134 each)

enum class Script { kNone, kLtr, kRtl, kCjk };

// The next code point of UTF-8 `s` at `i` (advanced); U+FFFD for a malformed sequence.
char32_t Next(const std::string& s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
  if (extra < 0 || i + extra >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    const unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  i += extra + 1;
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  return cp;
}

void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsBidiControl(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

Script ScriptOf(char32_t cp) {
  if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
      (cp >= 0xFE70 && cp <= 0xFEFF))
    return Script::kRtl;
  if ((cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3000 && cp <= 0x9FFF) ||
      (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
      (cp >= 0x20000 && cp <= 0x3FFFF))
    return Script::kCjk;
  // Digits, spaces and punctuation take the direction of the text around them.
  if (cp < 0x80 && !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) return Script::kNone;
  if ((cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) || cp == 0xFFFD)
    return Script::kNone;
  return Script::kLtr;
}

// Escaped for XML text; characters XML 1.0 cannot carry become U+FFFD.
void EscapeInto(std::string& out, char32_t cp) {
  switch (cp) {
    case '&':
      out += "&amp;";
      return;
    case '<':
      out += "&lt;";
      return;
    case '>':
      out += "&gt;";
      return;
    case '"':
      out += "&quot;";
      return;
    default:
      break;
  }
  const bool valid = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                     (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
  Append(out, valid ? cp : 0xFFFD);
}

std::string Escape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) EscapeInto(out, Next(text, i));
  return out;
}

std::string RunProperties(const DocxRunStyle& style, Script script) {
  std::string p;
  if (style.mono || script == Script::kCjk) {
    p += "<w:rFonts";
    if (style.mono) p += " w:ascii=\"DejaVu Sans Mono\" w:hAnsi=\"DejaVu Sans Mono\"";
    if (script == Script::kCjk) p += " w:hint=\"eastAsia\"";
    p += "/>";
  }
  if (style.bold) p += "<w:b/><w:bCs/>";
  if (!style.color.empty()) p += "<w:color w:val=\"" + style.color + "\"/>";
  if (style.half_points > 0) {
    const std::string n = std::to_string(style.half_points);
    p += "<w:sz w:val=\"" + n + "\"/><w:szCs w:val=\"" + n + "\"/>";
  }
  if (script == Script::kRtl) p += "<w:rtl/><w:lang w:bidi=\"ug-CN\"/>";
  if (script == Script::kCjk) p += "<w:lang w:eastAsia=\"zh-CN\"/>";
  return p.empty() ? "" : "<w:rPr>" + p + "</w:rPr>";
}

// The body of one run: text, line breaks and tabs.
struct RunText {
  std::string xml;
  bool open = false;  // inside <w:t>
  void Text(char32_t cp) {
    if (!open) xml += "<w:t xml:space=\"preserve\">", open = true;
    EscapeInto(xml, cp);
  }
  void Element(const char* e) {
    if (open) xml += "</w:t>", open = false;
    xml += e;
  }
  std::string Done() {
    if (open) xml += "</w:t>", open = false;
    return std::move(xml);
  }
};

struct Paragraphs {
  // Paragraph properties in schema order: style, keepNext, border, bidi, spacing, jc.
  static std::string P(const std::string& text, const DocxRunStyle& style,
                       const std::string& pstyle = "", bool keep_next = false,
                       bool bottom_border = false, int after = -1) {
    std::string ppr;
    if (!pstyle.empty()) ppr += "<w:pStyle w:val=\"" + pstyle + "\"/>";
    if (keep_next) ppr += "<w:keepNext/>";
    if (bottom_border)
      ppr +=
          "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" "
          "w:color=\"333333\"/></w:pBdr>";
    if (StartsRightToLeft(text)) ppr += "<w:bidi/>";
    if (after >= 0) ppr += "<w:spacing w:after=\"" + std::to_string(after) + "\"/>";
    return "<w:p>" + (ppr.empty() ? "" : "<w:pPr>" + ppr + "</w:pPr>") + DocxRuns(text, style) +
           "</w:p>";
  }
};

std::string Twips(double fraction) {
  return std::to_string(static_cast<int>(std::lround(kTextWidth * fraction)));
}

std::string TableXml(const std::vector<std::vector<std::string>>& rows,
                     const std::vector<double>& widths, bool header_row, bool bold_first_column) {
  std::string x = "<w:tbl><w:tblPr><w:tblW w:w=\"" + std::to_string(kTextWidth) +
                  "\" w:type=\"dxa\"/><w:tblBorders>";
  for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"})
    x += std::string("<w:") + side + " w:val=\"single\" w:sz=\"4\" w:space=\"0\" " +
         "w:color=\"BFBFBF\"/>";
  x += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"85\" "
       "w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>";
  for (double w : widths) x += "<w:gridCol w:w=\"" + Twips(w) + "\"/>";
  x += "</w:tblGrid>";
  for (size_t r = 0; r < rows.size(); ++r) {
    const bool head = header_row && r == 0;
    x += "<w:tr>";
    if (head) x += "<w:trPr><w:tblHeader/></w:trPr>";
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string text = c < rows[r].size() ? rows[r][c] : "";
      DocxRunStyle st;
      st.bold = head || (bold_first_column && c == 0);
      st.half_points = 18;
      x += "<w:tc><w:tcPr><w:tcW w:w=\"" + Twips(widths[c]) + "\" w:type=\"dxa\"/>" +
           (head ? "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EDEDED\"/>" : "") +
           "</w:tcPr>" + Paragraphs::P(text, st, "", false, false, 0) + "</w:tc>";
    }
    x += "</w:tr>";
  }
  return x + "</w:tbl>";
}

const char* kXmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

std::string ContentTypes() {
  const std::string wml = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
  return std::string(kXmlHead) +
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Default Extension=\"rels\" "
         "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
         "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
         "<Override PartName=\"/word/document.xml\" ContentType=\"" +
         wml + "document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"" + wml +
         "styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"" + wml +
         "settings+xml\"/><Override PartName=\"/word/header1.xml\" ContentType=\"" + wml +
         "header+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"" + wml +
         "footer+xml\"/>"
         "<Override PartName=\"/docProps/core.xml\" "
         "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
         "<Override PartName=\"/docProps/app.xml\" "
         "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
         "</Types>";
}

std::string PackageRels() {
  return std::string(kXmlHead) +
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" +
         kR +
         "/officeDocument\" Target=\"word/document.xml\"/>"
         "<Relationship Id=\"rId2\" "
         "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
         "core-properties\" Target=\"docProps/core.xml\"/>"
         "<Relationship Id=\"rId3\" Type=\"" +
         kR + "/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";
}

std::string DocumentRels() {
  return std::string(kXmlHead) +
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" +
         kR + "/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"" + kR +
         "/settings\" Target=\"settings.xml\"/><Relationship Id=\"rId3\" Type=\"" + kR +
         "/header\" Target=\"header1.xml\"/><Relationship Id=\"rId4\" Type=\"" + kR +
         "/footer\" Target=\"footer1.xml\"/></Relationships>";
}

std::string Styles() {
  return std::string(kXmlHead) + "<w:styles xmlns:w=\"" + kW +
         "\"><w:docDefaults><w:rPrDefault><w:rPr>"
         "<w:rFonts w:ascii=\"Noto Sans\" w:hAnsi=\"Noto Sans\" w:eastAsia=\"Noto Sans CJK SC\" "
         "w:cs=\"Noto Naskh Arabic\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>"
         "<w:lang w:val=\"en-GB\" w:eastAsia=\"zh-CN\" w:bidi=\"ug-CN\"/></w:rPr></w:rPrDefault>"
         "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" "
         "w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
         "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
         "w:val=\"Normal\"/><w:qFormat/></w:style>"
         "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
         "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
         "<w:spacing w:after=\"200\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/>"
         "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>"
         "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
         "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
         "<w:spacing w:before=\"240\" w:after=\"100\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr>"
         "<w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>"
         "</w:styles>";
}

std::string Settings() {
  return std::string(kXmlHead) + "<w:settings xmlns:w=\"" + kW +
         "\"><w:defaultTabStop w:val=\"720\"/><w:compat><w:compatSetting "
         "w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
         "w:val=\"15\"/></w:compat></w:settings>";
}

std::string Header(const std::string& banner) {
  DocxRunStyle st;
  st.bold = true;
  st.color = "C00000";
  st.half_points = 16;
  return std::string(kXmlHead) + "<w:hdr xmlns:w=\"" + kW + "\">" +
         Paragraphs::P(banner, st, "", false, false, 0) + "</w:hdr>";
}

std::string Footer(const std::string& text) {
  DocxRunStyle st;
  st.color = "595959";
  st.half_points = 16;
  const std::string rpr = "<w:rPr><w:color w:val=\"595959\"/><w:sz w:val=\"16\"/></w:rPr>";
  return std::string(kXmlHead) + "<w:ftr xmlns:w=\"" + kW +
         "\"><w:p><w:pPr><w:tabs><w:tab w:val=\"right\" w:pos=\"" + std::to_string(kTextWidth) +
         "\"/></w:tabs><w:spacing w:after=\"0\"/></w:pPr>" + DocxRuns(text, st) + "<w:r>" + rpr +
         "<w:tab/><w:t xml:space=\"preserve\">Page </w:t></w:r><w:r>" + rpr +
         "<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>" + rpr +
         "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r>" + rpr +
         "<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>" + rpr + "<w:t>1</w:t></w:r><w:r>" +
         rpr + "<w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>";
}

std::string Core(const std::string& title) {
  return std::string(kXmlHead) +
         "<cp:coreProperties "
         "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" +
         Escape(title) + "</dc:title><dc:creator>izde</dc:creator></cp:coreProperties>";
}

std::string App() {
  return std::string(kXmlHead) +
         "<Properties "
         "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
         "<Application>izde</Application></Properties>";
}

// Packs named parts into a zip in memory.
Result<std::string> Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) return Status::Io("cannot make the DOCX in memory");
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(buffer);
    zip_error_fini(&error);
    return Status::Io("cannot make the DOCX in memory");
  }
  zip_source_keep(buffer);
  for (const auto& [name, data] : parts) {
    zip_source_t* s = zip_source_buffer(archive, data.data(), data.size(), 0);
    if (!s || zip_file_add(archive, name.c_str(), s, ZIP_FL_ENC_UTF_8) < 0) {
      if (s) zip_source_free(s);
      zip_discard(archive);
      zip_source_free(buffer);
      return Status::Io("cannot add " + name + " to the DOCX");
    }
  }
  if (zip_close(archive) < 0) {
    const std::string why = zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(buffer);
    return Status::Io("cannot pack the DOCX: " + why);
  }
  std::string out;
  if (zip_source_open(buffer) < 0 || zip_source_seek(buffer, 0, SEEK_END) < 0) {
    zip_source_free(buffer);
    return Status::Io("cannot read the packed DOCX");
  }
  const zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  out.resize(static_cast<size_t>(size));
  const zip_int64_t got = zip_source_read(buffer, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (got != size) return Status::Io("cannot read the packed DOCX");
  return out;
}

}  // namespace

bool StartsRightToLeft(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const Script s = ScriptOf(Next(text, i));
    if (s == Script::kRtl) return true;
    if (s != Script::kNone) return false;
  }
  return false;
}

std::string DocxRuns(const std::string& text, const DocxRunStyle& style) {
  std::string out;
  Script current = Script::kNone;
  RunText run;
  auto flush = [&] {
    std::string body = run.Done();
    if (!body.empty()) out += "<w:r>" + RunProperties(style, current) + body + "</w:r>";
    run = RunText{};
  };
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = Next(text, i);
    if (cp == '\r') continue;
    if (cp == '\n') {
      run.Element("<w:br/>");
      continue;
    }
    if (cp == '\t') {
      run.Element("<w:tab/>");
      continue;
    }
    if (IsBidiControl(cp)) {  // shown, never obeyed
      char buf[16];
      std::snprintf(buf, sizeof buf, "[U+%04X]", static_cast<unsigned>(cp));
      for (const char* c = buf; *c; ++c) run.Text(static_cast<char32_t>(*c));
      continue;
    }
    const Script s = ScriptOf(cp);
    if (s != Script::kNone && s != current) {
      if (current != Script::kNone) flush();
      current = s;
    }
    run.Text(cp);
  }
  flush();
  return out;
}

struct DocxDocument::Impl {
  DocxOptions options;
  std::string body;
  bool finished = false;
};

DocxDocument::DocxDocument(DocxOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}
DocxDocument::~DocxDocument() = default;

void DocxDocument::Title(const std::string& text) {
  impl_->body += Paragraphs::P(text, {}, "Title");
}

void DocxDocument::Heading(const std::string& text) {
  impl_->body += Paragraphs::P(text, {}, "Heading1");
}

void DocxDocument::Paragraph(const std::string& text, double size, bool muted) {
  DocxRunStyle st;
  st.half_points = static_cast<int>(std::lround(size * 2));
  if (muted) st.color = "595959";
  impl_->body += Paragraphs::P(text, st);
}

void DocxDocument::Code(const std::string& text) {
  DocxRunStyle st;
  st.mono = true;
  st.half_points = 16;
  impl_->body += Paragraphs::P(text, st);
}

void DocxDocument::Fields(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& [label, value] : rows) cells.push_back({label, value});
  impl_->body +=
      TableXml(cells, {0.34, 0.66}, false, true) + Paragraphs::P("", {}, "", false, false, 60);
}

void DocxDocument::Table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows,
                         const std::vector<double>& widths) {
  std::vector<std::vector<std::string>> cells;
  if (!header.empty()) cells.push_back(header);
  cells.insert(cells.end(), rows.begin(), rows.end());
  impl_->body +=
      TableXml(cells, widths, !header.empty(), false) + Paragraphs::P("", {}, "", false, false, 60);
}

void DocxDocument::SignatureBlock(const std::string& role, const std::string& name_word,
                                  const std::string& signature_word, const std::string& date_word) {
  DocxRunStyle bold, label;
  bold.bold = true;
  label.color = "595959";
  label.half_points = 17;
  std::string& b = impl_->body;
  b += Paragraphs::P(role, bold, "", true, false, 360);
  for (const std::string* word : {&name_word, &signature_word, &date_word}) {
    b += Paragraphs::P("", {}, "", true, true, 0);  // the line to write on
    b += Paragraphs::P(*word, label, "", word != &date_word, false, 360);
  }
}

Result<std::string> DocxDocument::Finish() {
  Impl& d = *impl_;
  if (d.finished) return Status::InvalidInput("the DOCX was already written");
  d.finished = true;
  const std::string document =
      std::string(kXmlHead) + "<w:document xmlns:w=\"" + kW + "\" xmlns:r=\"" + kR + "\"><w:body>" +
      d.body +
      "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId3\"/><w:footerReference "
      "w:type=\"default\" r:id=\"rId4\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar "
      "w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" "
      "w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>";
  return Zip({{"[Content_Types].xml", ContentTypes()},
              {"_rels/.rels", PackageRels()},
              {"word/document.xml", document},
              {"word/_rels/document.xml.rels", DocumentRels()},
              {"word/styles.xml", Styles()},
              {"word/settings.xml", Settings()},
              {"word/header1.xml", Header(d.options.banner)},
              {"word/footer1.xml", Footer(d.options.footer)},
              {"docProps/core.xml", Core(d.options.title)},
              {"docProps/app.xml", App()}});
}

Status DocxDocument::Save(const std::string& path) {
  IZDE_ASSIGN_OR_RETURN(std::string bytes, Finish());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io("cannot write the DOCX to '" + path + "'");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::Io("writing the DOCX to '" + path + "' failed");
  return Status::Ok();
}

}  // namespace izde::report
