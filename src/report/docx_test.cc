// The WGEID submission as DOCX: a valid zip with the parts Word needs, well-formed XML,
// and text in every script with its direction and fonts (no Word or LibreOffice needed).
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <zip.h>

#include <map>

#include "report/docx_document.h"
#include "report/wgeid.h"

namespace izde::report {
namespace {

using model::Record;
using model::RecordType;

// Every member of a zip archive held in memory, or a test failure.
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* z = src ? zip_open_from_source(src, ZIP_CHECKCONS | ZIP_RDONLY, &error) : nullptr;
  if (!z) {
    ADD_FAILURE() << "not a valid zip: " << zip_error_strerror(&error);
    if (src) zip_source_free(src);
    zip_error_fini(&error);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    EXPECT_EQ(zip_fread(f, data.data(), st.size), static_cast<zip_int64_t>(st.size)) << st.name;
    zip_fclose(f);
    out[st.name] = data;
  }
  zip_close(z);
  return out;
}

bool WellFormed(const std::string& xml) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "part.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return false;
  xmlFreeDoc(doc);
  return true;
}

// The run (<w:r>...</w:r>) and paragraph (<w:p>...</w:p>) around the first `text`.
std::pair<std::string, std::string> RunAndParagraph(const std::string& xml,
                                                    const std::string& text) {
  const size_t at = xml.find(text);
  if (at == std::string::npos) return {};
  const size_t r = xml.rfind("<w:r>", at), p = xml.rfind("<w:p>", at);
  return {xml.substr(r, xml.find("</w:r>", at) - r), xml.substr(p, xml.find("</w:p>", at) - p)};
}

struct Language {
  const char* code;
  const char* name;  // the person's full name in that language's script (synthetic)
};

std::vector<Record> Person(const std::string& name, bool complete) {
  nlohmann::json detained = {
      {"person", "P-1"}, {"kind", "detained"}, {"date", "spring 2018"}, {"place", "Ghulja"}};
  if (complete) detained["agency"] = "city public security bureau (synthetic)";
  return {{"P-1",
           RecordType::kPerson,
           {{"names", {{{"text", name}, {"part", "full"}}, {{"text", "Synthetic Latin"}}}},
            {"gender", "female"},
            {"birth_date", "1983-04-09"}}},
          {"E-1", RecordType::kEvent, detained}};
}

WgeidStatement Statement() {
  return {"Asked the police in 2018 & wrote to the consulate <2019> (synthetic).",
          "Synthetic Volunteer Group", true, ""};
}

class WgeidDocxTest : public ::testing::TestWithParam<Language> {};

TEST_P(WgeidDocxTest, IsAWordDocumentWithEveryElementInItsScript) {
  const Language lang = GetParam();
  CaseLedger ledger;
  ledger.entries["P-1"] = {7, 1, std::string(64, 'b')};
  auto s = AssembleWgeid(HoldingsOf(Person(lang.name, true)), "P-1", Statement(), ledger);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto doc = WgeidDocx(*s, "2026-02-03", /*draft=*/false);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  auto bytes = (*doc)->Finish();
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ASSERT_EQ(bytes->substr(0, 2), "PK");
  auto parts = Unzip(*bytes);
  for (const char* part :
       {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
        "word/styles.xml", "word/settings.xml", "word/header1.xml", "word/footer1.xml",
        "docProps/core.xml", "docProps/app.xml"}) {
    ASSERT_TRUE(parts.count(part)) << part;
    EXPECT_TRUE(WellFormed(parts[part])) << part << ":\n" << parts[part];
  }
  // Every part the package names exists, and every relationship's target too.
  const std::string& types = parts["[Content_Types].xml"];
  for (const char* part : {"/word/document.xml", "/word/styles.xml", "/word/header1.xml",
                           "/word/footer1.xml", "/docProps/core.xml"})
    EXPECT_NE(types.find(std::string("PartName=\"") + part + "\""), std::string::npos) << part;
  EXPECT_NE(parts["_rels/.rels"].find("Target=\"word/document.xml\""), std::string::npos);
  const std::string& xml = parts["word/document.xml"];
  for (const char* text : {"Working Group on Enforced or Involuntary Disappearances",
                           "spring 2018 (detained)", "city public security bureau (synthetic)",
                           "Synthetic Volunteer Group", "kept confidential", "entry 7", "Signature",
                           "Asked the police in 2018 &amp; wrote to "
                           "the consulate &lt;2019&gt; (synthetic)."})
    EXPECT_NE(xml.find(text), std::string::npos) << text;
  EXPECT_EQ(xml.find("MISSING"), std::string::npos);
  EXPECT_NE(parts["word/header1.xml"].find("CONFIDENTIAL"), std::string::npos);
  EXPECT_NE(parts["word/footer1.xml"].find("PAGE"), std::string::npos);
  // The title in the properties names the record, never the person.
  EXPECT_EQ(parts["docProps/core.xml"].find(lang.name), std::string::npos);

  auto [run, paragraph] = RunAndParagraph(xml, lang.name);
  ASSERT_FALSE(run.empty()) << lang.code << ": the name is not in the document";
  const bool rtl = std::string(lang.code) == "ug", cjk = std::string(lang.code) == "zh";
  EXPECT_EQ(run.find("<w:rtl/>") != std::string::npos, rtl) << run;
  EXPECT_EQ(paragraph.find("<w:bidi/>") != std::string::npos, rtl) << paragraph;
  EXPECT_EQ(run.find("w:hint=\"eastAsia\"") != std::string::npos, cjk) << run;
  EXPECT_EQ(run.find("w:eastAsia=\"zh-CN\"") != std::string::npos, cjk) << run;
  // The fonts that carry each script are the document's defaults.
  const std::string& styles = parts["word/styles.xml"];
  EXPECT_NE(styles.find("w:eastAsia=\"Noto Sans CJK SC\""), std::string::npos);
  EXPECT_NE(styles.find("w:cs=\"Noto Naskh Arabic\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Scripts, WgeidDocxTest,
                         ::testing::Values(Language{"ug", "مۇرات سېرىك ئوغلى"},
                                           Language{"zh", "穆拉提·赛力克"},
                                           Language{"kk", "Мұрат Серікұлы"},
                                           Language{"ru", "Мурат Серикулы"},
                                           Language{"en", "Murat Serikuly"}),
                         [](const auto& info) { return std::string(info.param.code); });

TEST(WgeidDocx, MissingElementsAreListedBeforeExportAndOnlyADraftIsWritten) {
  auto s = AssembleWgeid(HoldingsOf(Person("Murat Serikuly", false)), "P-1", {}, {});
  ASSERT_TRUE(s.ok());
  auto refused = WgeidDocx(*s, "2026-02-03", /*draft=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), WgeidPdf(*s, "2026-02-03", false).status().message());
  EXPECT_NE(refused.status().message().find("Forces believed responsible"), std::string::npos);
  auto draft = WgeidDocx(*s, "2026-02-03", /*draft=*/true);
  ASSERT_TRUE(draft.ok());
  auto parts = Unzip(*(*draft)->Finish());
  EXPECT_NE(parts["word/header1.xml"].find("DRAFT, INCOMPLETE"), std::string::npos);
  EXPECT_NE(parts["word/document.xml"].find("MISSING (required)"), std::string::npos);
  EXPECT_NE(parts["word/document.xml"].find("Missing required elements: Forces believed "
                                            "responsible; Steps taken by the family"),
            std::string::npos);
}

TEST(DocxRuns, SplitsByScriptAndCarriesOnlyWhatXmlCan) {
  // Latin, then Uyghur with the parenthesis that closes it, then Chinese.
  const std::string runs = DocxRuns("Ghulja (غۇلجا) 伊宁");
  EXPECT_EQ(runs,
            "<w:r><w:t xml:space=\"preserve\">Ghulja (</w:t></w:r>"
            "<w:r><w:rPr><w:rtl/><w:lang w:bidi=\"ug-CN\"/></w:rPr><w:t xml:space=\"preserve\">"
            "غۇلجا) </w:t></w:r>"
            "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/><w:lang w:eastAsia=\"zh-CN\"/></w:rPr>"
            "<w:t xml:space=\"preserve\">伊宁</w:t></w:r>");
  EXPECT_TRUE(StartsRightToLeft("(2018) غۇلجا"));
  EXPECT_FALSE(StartsRightToLeft("2018 Ghulja غۇلجا"));
  // A right-to-left override is shown, not obeyed; control bytes and broken UTF-8 become
  // U+FFFD; a line break is a break.
  const std::string odd = DocxRuns("a\u202Eb\x01\xC3\n<c>");
  EXPECT_EQ(odd.find("\u202E"), std::string::npos);
  EXPECT_NE(odd.find("a[U+202E]b\uFFFD\uFFFD</w:t><w:br/><w:t xml:space=\"preserve\">&lt;c&gt;"),
            std::string::npos)
      << odd;
  DocxRunStyle bold;
  bold.bold = true;
  bold.half_points = 17;
  EXPECT_EQ(DocxRuns("x", bold),
            "<w:r><w:rPr><w:b/><w:bCs/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr>"
            "<w:t xml:space=\"preserve\">x</w:t></w:r>");
  EXPECT_EQ(DocxRuns(""), "");
}

}  // namespace
}  // namespace izde::report
