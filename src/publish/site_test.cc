// THREATS.md P5 and the rule that published output never holds a redacted value: a vault
// full of canaries in every place that must stay private is published, and every byte of
// the output (XLSX unzipped, media included) is searched for each canary in UTF-8, UTF-16
// and the folded form the search index uses. The published bundle verifies alone.
#include "publish/site.h"

#include <gtest/gtest.h>
#include <unicode/unistr.h>
#include <zlib.h>

#include <cstdlib>
#include <exiv2/exiv2.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "identity/decision.h"
#include "publish/publish_vault.h"
#include "publish/search_index.h"
#include "vault/test_vault_dir.h"

namespace izde::publish {
namespace {

namespace fs = std::filesystem;
using model::RecordType;
using vault::TestDir;
constexpr const char* kPass = "correct horse battery staple";

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string Utf16Bytes(const std::string& s, bool big_endian) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  std::string out;
  for (int i = 0; i < u.length(); ++i) {
    char16_t c = u.charAt(i);
    char hi = static_cast<char>(c >> 8), lo = static_cast<char>(c & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  }
  return out;
}

uint32_t U32(const std::string& b, size_t at) {
  return static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8 |
         static_cast<uint8_t>(b[at + 2]) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3])) << 24;
}
uint16_t U16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8);
}

// The uncompressed members of a ZIP file (XLSX), read through its central directory.
std::vector<std::string> ZipMembers(const std::string& zip) {
  std::vector<std::string> out;
  size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  EXPECT_NE(eocd, std::string::npos);
  if (eocd == std::string::npos) return out;
  size_t count = U16(zip, eocd + 10), at = U32(zip, eocd + 16);
  for (size_t i = 0; i < count; ++i) {
    EXPECT_EQ(U32(zip, at), 0x02014b50u);
    uint16_t method = U16(zip, at + 10);
    uint32_t csize = U32(zip, at + 20), usize = U32(zip, at + 24);
    size_t name_len = U16(zip, at + 28), extra = U16(zip, at + 30), comment = U16(zip, at + 32);
    size_t local = U32(zip, at + 42);
    size_t data = local + 30 + U16(zip, local + 26) + U16(zip, local + 28);
    std::string member(usize, '\0');
    if (method == 0) {
      member = zip.substr(data, csize);
    } else {
      EXPECT_EQ(method, 8);
      z_stream z{};
      inflateInit2(&z, -MAX_WBITS);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = csize;
      z.next_out = reinterpret_cast<Bytef*>(member.data());
      z.avail_out = usize;
      EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
      inflateEnd(&z);
    }
    out.push_back(std::move(member));
    at += 46 + name_len + extra + comment;
  }
  return out;
}

// A JPEG with a GPS position and a phone model in its Exif.
void MakePhoto(const std::string& path) {
  std::string cmd =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i color=c=red:s=32x32 "
      "-frames:v 1 " +
      path;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "ffmpeg is needed (scripts/install-deps)";
  auto image = Exiv2::ImageFactory::open(path);
  image->readMetadata();
  Exiv2::ExifData& exif = image->exifData();
  exif["Exif.Image.Make"] = "CanaryPhoneMaker";
  exif["Exif.Image.Model"] = "CanaryPhoneModel X1";
  exif["Exif.GPSInfo.GPSLatitudeRef"] = "N";
  exif["Exif.GPSInfo.GPSLatitude"] = "43/1 15/1 4711/100";
  exif["Exif.GPSInfo.GPSLongitudeRef"] = "E";
  exif["Exif.GPSInfo.GPSLongitude"] = "76/1 57/1 1234/100";
  image->setComment("CanaryJpegComment");
  image->writeMetadata();
}

TEST(PublishSite, NoCanaryInAnyPublishedByteAndTheBundleVerifies) {
  TestDir dir;
  // Each of these is somewhere in the vault where consent, policy or kind keeps it private.
  const std::vector<std::string> canaries = {
      "Канарейка Жасырынқызы",    // a person whose name is not consented
      "كانارىيە تۇرسۇن",          // ... in Uyghur Arabic script
      "金丝雀买买提",             // ... in Chinese characters
      "Canaryhidden Surnamebek",  // ... in Latin
      "canary private notes",     // notes of a published person
      "CanaryEthnicityValue",     // a field the policy withholds
      "CANARY-PASSPORT-N77",      // identifiers without id_number consent
      "Witness Canaryname",       // the witness
      "+7 700 555 0199",          // the witness's contact
      "canary safety note",       // the witness's safety notes
      "Canary Street 5, Almaty",  // where the testimony was recorded
      "Interviewer Canarova",     // who recorded it
      "canary unconsented transcript sentence",
      "canary unconsented summary",
      "canary-original-name",  // the evidence file's original name
      "CanaryPhoneMaker",
      "CanaryPhoneModel",
      "CanaryJpegComment",    // photo metadata
      "canary source title",  // sources are never published
      "canary event notes",
      "Canaryrelation Hiddenov",  // a relation to an unnamed person is not published
  };
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  ASSERT_TRUE(vault::Vault::Create(dir / "v", "admin", kPass, o).ok());
  auto v = vault::Vault::Unlock(dir / "v", "admin", kPass, o);
  ASSERT_TRUE(v.ok()) << v.status().message();
  auto consent = [](bool name, bool text, bool face, bool id) {
    return nlohmann::json{
        {"name", name}, {"testimony_text", text}, {"face_voice", face}, {"id_number", id}};
  };
  std::vector<model::Record> batch = {
      {"P-1",
       RecordType::kPerson,
       {{"names",
         {{{"text", "Aygul Tursunova"}}, {{"text", "Айгүл Турсунова"}}, {{"text", "阿依古丽"}}}},
        {"gender", "female"},
        {"birth_date", "about 1980"},
        {"hometown", "Ghulja <script>alert(1)</script>"},
        {"ethnicity", canaries[5]},
        {"identifiers", {{{"kind", "passport"}, {"value", canaries[6]}}}},
        {"notes", canaries[4]}}},
      {"P-2",
       RecordType::kPerson,
       {{"names",
         {{{"text", canaries[0]}},
          {{"text", canaries[1]}},
          {{"text", canaries[2]}},
          {{"text", canaries[3]}}}},
        {"gender", "male"}}},
      {"P-3", RecordType::kPerson, {{"names", {{{"text", "Memet Bidi\u202Eevil"}}}}}},
      {"P-4", RecordType::kPerson, {{"names", {{{"text", canaries[20]}}}}}},
      {"R-1", RecordType::kRelation, {{"from", "P-3"}, {"to", "P-1"}, {"kind", "parent"}}},
      {"R-2", RecordType::kRelation, {{"from", "P-4"}, {"to", "P-1"}, {"kind", "sibling"}}},
      {"W-1",
       RecordType::kWitness,
       {{"name", canaries[7]}, {"contact", canaries[8]}, {"safety_notes", canaries[9]}}},
      {"T-1",
       RecordType::kTestimony,
       {{"witness", "W-1"},
        {"people", {"P-1", "P-3"}},
        {"place", canaries[10]},
        {"interviewer", canaries[11]},
        {"date", "2019-05-02"},
        {"language", "kk"},
        {"transcript", "My daughter Aygul was taken in spring 2018."},
        {"summary", "Daughter detained 2018"},
        {"evidence", {"EV-1"}},
        {"consent", consent(true, true, true, false)}}},
      {"T-2",
       RecordType::kTestimony,
       {{"witness", "W-1"},
        {"people", {"P-2", "P-4"}},
        {"transcript", canaries[12]},
        {"summary", canaries[13]},
        {"consent", consent(false, false, false, true)}}},
      {"S-1", RecordType::kSource, {{"kind", "testimony"}, {"title", canaries[18]}}},
      {"X-1",
       RecordType::kEvent,
       {{"person", "P-1"}, {"kind", "detained"}, {"date", "spring 2018"}, {"notes", canaries[19]}}},
      {"X-2",
       RecordType::kEvent,
       {{"person", "P-1"}, {"kind", "sentenced"}, {"date", "2019"}, {"term_months", 120}}},
  };
  ASSERT_TRUE((*v)->SaveAll(batch).ok());
  const std::string photo = dir / (canaries[14] + ".jpg");
  MakePhoto(photo);
  auto ev = (*v)->AddEvidence(photo, {{"media_type", "image/jpeg"}, {"testimony", "T-1"}}, "EV-1");
  ASSERT_TRUE(ev.ok()) << ev.status().message();
  fs::remove(photo);
  // T-1 lists EV-1, saved after it: a new version of T-1 so the order does not matter.
  ASSERT_TRUE((*v)->Checkpoint().ok());

  Policy policy = DefaultPolicy();
  policy.fields[RecordType::kPerson].erase("ethnicity");
  auto published = PublishVault(**v, policy, dir / "site");
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_TRUE(published->site.warnings.empty()) << published->site.warnings.front();
  EXPECT_EQ(published->site.media, 1u);
  const fs::path site = dir / "site";

  // Every byte of every file, in every form.
  std::vector<std::pair<std::string, std::string>> needles;
  for (const auto& c : canaries)
    for (const auto& form : {c, FoldTerm(c)}) {
      needles.emplace_back(form, "UTF-8 " + c);
      needles.emplace_back(Utf16Bytes(form, false), "UTF-16LE " + c);
      needles.emplace_back(Utf16Bytes(form, true), "UTF-16BE " + c);
    }
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(site)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::vector<std::string> contents = {Slurp(entry.path())};
    if (entry.path().extension() == ".xlsx") {
      auto members = ZipMembers(contents[0]);
      EXPECT_GE(members.size(), 6u);
      contents.insert(contents.end(), members.begin(), members.end());
    }
    for (const auto& bytes : contents)
      for (const auto& [needle, what] : needles)
        EXPECT_EQ(bytes.find(needle), std::string::npos) << what << " in " << entry.path();
  }
  EXPECT_GT(files, 40u);
  EXPECT_FALSE(fs::exists(site / ".izde-tmp"));

  // What is consented is there, escaped.
  const std::string page = Slurp(site / "p/P-1.html");
  EXPECT_NE(page.find("Айгүл Турсунова"), std::string::npos);
  EXPECT_NE(page.find("阿依古丽"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("My daughter Aygul"), std::string::npos);
  EXPECT_NE(page.find("Bidi[U+202E]evil"), std::string::npos);  // P-3, a named relative
  EXPECT_EQ(page.find("\u202E"), std::string::npos);
  EXPECT_NE(page.find("../media/EV-1.jpg"), std::string::npos);
  EXPECT_TRUE(fs::exists(site / "p/P-2.html"));  // published without a name
  // One entry page holds all five languages, Uyghur right to left, English last (shown
  // when the address names no language).
  for (const char* lang : {"kk", "ug", "ru", "zh", "en"})
    EXPECT_NE(page.find(std::string("<div class=\"lang-section\" id=\"") + lang + "\" lang=\"" +
                        lang + "\" dir=\"" + (lang == std::string("ug") ? "rtl" : "ltr") + "\">"),
              std::string::npos)
        << lang;
  EXPECT_GT(page.find("id=\"en\""), page.find("id=\"zh\""));
  EXPECT_NE(page.find("<a href=\"P-3.html#ug\">"), std::string::npos);  // relations stay in ug
  EXPECT_NE(Slurp(site / "kk/people/1.html").find("href=\"../../p/P-1.html#kk\""),
            std::string::npos);
  EXPECT_FALSE(fs::exists(site / "en/p"));
  EXPECT_FALSE(fs::exists(site / "p/P-4.html") && page.find("P-4") != std::string::npos);

  // The statistics page embeds src/report's charts, escaped like the pages.
  const std::string chart = Slurp(site / "en/charts/by-hometown.svg");
  EXPECT_NE(chart.find("<svg"), std::string::npos);
  EXPECT_EQ(chart.find("<script"), std::string::npos);
  EXPECT_NE(chart.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(Slurp(site / "kk/statistics.html").find("charts/by-status.svg"), std::string::npos);

  // The published photo has no metadata left.
  auto image = Exiv2::ImageFactory::open((site / "media/EV-1.jpg").string());
  image->readMetadata();
  EXPECT_TRUE(image->exifData().empty());
  EXPECT_TRUE(image->comment().empty());

  // The published bundle verifies alone, and every entry's records are in it.
  auto bundle = ledger::Bundle::Parse(Slurp(site / "proof/bundle.json"));
  ASSERT_TRUE(bundle.ok()) << bundle.status().message();
  auto key = ledger::NoteVerifier::Parse(
      Slurp(site / "proof/log.pub").substr(0, Slurp(site / "proof/log.pub").size() - 1));
  ASSERT_TRUE(key.ok());
  auto check = ledger::VerifyBundle(*bundle, {*key, "", {}, 0});
  ASSERT_TRUE(check.ok()) << check.status().message();
  std::map<std::string, uint64_t> in_bundle;
  for (const auto& r : bundle->records) in_bundle[r.id] = r.version;
  auto people = nlohmann::json::parse(Slurp(site / "data/people.json"));
  ASSERT_EQ(people["people"].size(), 4u);  // P-1..P-4; P-4 without a name
  for (const auto& p : people["people"]) {
    EXPECT_EQ(in_bundle.at(p["id"].get<std::string>()), p["version"].get<uint64_t>());
    for (const auto& e : p["events"]) EXPECT_TRUE(in_bundle.count(e["id"].get<std::string>()));
  }
  EXPECT_TRUE(in_bundle.count("R-1"));
  EXPECT_FALSE(in_bundle.count("R-2"));
  EXPECT_FALSE(in_bundle.count("W-1"));
  EXPECT_FALSE(in_bundle.count("S-1"));

  // The statistics count people: four entries, no links yet; one list (the testimony
  // source), so no estimate, and the page says why.
  auto stats = [&](const char* lang) { return Slurp(site / lang / "statistics.html"); };
  EXPECT_NE(stats("en").find("<strong id=\"stats-total\">4</strong>"), std::string::npos);
  EXPECT_NE(stats("en").find("<section id=\"estimate\" data-available=\"false\">"),
            std::string::npos);
  EXPECT_NE(stats("en").find("it needs at least two separate lists"), std::string::npos);
  EXPECT_EQ(stats("ug").find("\u2068"), std::string::npos);  // no bidi controls in HTML

  // A reviewer links P-1 and P-2 as one person: the next site counts them once.
  identity::PairDecision same;
  same.record_id = "L-1";
  same.a = "P-1";
  same.b = "P-2";
  same.decision = identity::Decision::kSame;
  same.sequence = 1;
  ASSERT_TRUE((*v)->Save(identity::DecisionRecord(same)).ok());
  ASSERT_TRUE((*v)->Checkpoint().ok());

  // Publishing again replaces the site, keeping its folder's mode; a foreign folder is
  // refused.
  const auto mode = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec;
  fs::permissions(site, mode);
  auto again = PublishVault(**v, policy, dir / "site");
  EXPECT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(fs::status(site).permissions() & fs::perms::all, mode);
  EXPECT_NE(stats("en").find("<strong id=\"stats-total\">3</strong>"), std::string::npos);
  EXPECT_NE(stats("en").find("<span id=\"stats-entries\">4</span>"), std::string::npos);
  EXPECT_FALSE(fs::exists(site / "p/L-1.html"));
  // Nothing is left beside the site: the new one was written beside it and swapped in.
  for (const auto& e : fs::directory_iterator(dir.str()))
    EXPECT_EQ(e.path().filename().string().find(".izde-"), std::string::npos) << e.path();
  // Every table's rows are of three people now.
  EXPECT_EQ(stats("en").find("<meter min=\"0\" max=\"4\""), std::string::npos);
  EXPECT_NE(stats("en").find("<meter min=\"0\" max=\"3\""), std::string::npos);
  fs::create_directories(dir / "other");
  std::ofstream(dir / "other/keep.txt") << "x";
  EXPECT_FALSE(PublishVault(**v, policy, dir / "other").ok());
  EXPECT_TRUE(fs::exists(dir / "other/keep.txt"));
}

TEST(PublishSite, RefusesABundleThatRevealsWhatThePolicyForbids) {
  ledger::Bundle b;
  b.records.push_back({"P-1", "person", 1, "", {{"ethnicity", "x", {}}}});
  Policy p = DefaultPolicy();
  p.fields[RecordType::kPerson].erase("ethnicity");
  TestDir dir;
  auto r = WriteSite(b, p, dir / "site");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ethnicity"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "site"));
}

TEST(PublishSite, FoldAndShardsAreWhatSearchJsComputes) {
  EXPECT_EQ(FoldTerm("Qalïda"), "qalida");
  EXPECT_EQ(FoldTerm("ТУРСУН"), "турсун");
  EXPECT_EQ(FoldTerm("Ақытхан"), "ақытхан");
  EXPECT_EQ(TermShard("tursun"), "74");
  EXPECT_EQ(KeyShard("TRSN"), "54-52");
  EXPECT_EQ(TermShard("吐尔逊"), "5410");
}

}  // namespace
}  // namespace izde::publish
