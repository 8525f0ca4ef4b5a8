#include "demo/synthetic_people.h"

#include <array>
#include <random>
#include <string>

namespace izde::demo {
namespace {

struct Name {
  const char* native;   // Kazakh Cyrillic / Uyghur Arabic / Han characters
  const char* latin;    // a common Latin spelling
  const char* variant;  // another Latin spelling met in documents
  const char* chinese;  // Chinese-character transcription in official lists
};

const std::vector<Name> kKazakhMale = {
    {"Нұрлан", "Nurlan", "Nurlan", "努尔兰"},        {"Серік", "Serik", "Serik", "赛力克"},
    {"Ерлан", "Erlan", "Yerlan", "叶尔兰"},          {"Қайрат", "Qairat", "Kairat", "海拉提"},
    {"Бауыржан", "Bauyrzhan", "Baurzhan", "包尔江"}, {"Ержан", "Erzhan", "Yerzhan", "叶尔江"},
    {"Асхат", "Askhat", "Asqat", "阿斯哈提"},        {"Мұрат", "Murat", "Murat", "木拉提"},
    {"Дәулет", "Daulet", "Dauletbek", "达吾列提"},   {"Талғат", "Talgat", "Talghat", "塔力哈提"}};
const std::vector<Name> kKazakhFemale = {
    {"Айгүл", "Aigul", "Aygul", "阿依古丽"},  {"Гүлнар", "Gulnar", "Gulnara", "古丽娜尔"},
    {"Жанар", "Zhanar", "Janar", "加娜尔"},   {"Сәуле", "Saule", "Sawle", "萨吾列"},
    {"Динара", "Dinara", "Dinara", "迪娜拉"}, {"Мәдина", "Madina", "Medina", "玛迪娜"},
    {"Әсем", "Asem", "Assem", "阿森"},        {"Ботагөз", "Botagoz", "Botagöz", "波塔古孜"}};
const std::vector<Name> kUyghurMale = {{"ئىلھام", "Ilham", "Ilham", "伊力哈木"},
                                       {"مەمەت", "Memet", "Mamat", "买买提"},
                                       {"تۇرسۇن", "Tursun", "Tursun", "吐尔逊"},
                                       {"ئابدۇرېھىم", "Abdurehim", "Abdurahim", "阿不都热依木"},
                                       {"ئەخمەت", "Exmet", "Ahmet", "艾合买提"},
                                       {"ياسىن", "Yasin", "Yasin", "亚森"},
                                       {"ئەركىن", "Erkin", "Erkin", "艾尔肯"},
                                       {"قادىر", "Qadir", "Kadir", "卡德尔"},
                                       {"نۇرمەمەت", "Nurmemet", "Nurmamat", "努尔买买提"},
                                       {"ئوسمان", "Osman", "Usman", "吾斯曼"}};
const std::vector<Name> kUyghurFemale = {
    {"گۈلنار", "Gulnar", "Gülnar", "古丽娜尔"}, {"مەريەم", "Meryem", "Maryam", "麦尔耶姆"},
    {"ئايگۈل", "Aygul", "Aigul", "阿依古丽"},   {"زۆھرە", "Zohre", "Zuhra", "祖合热"},
    {"پاتىمە", "Patime", "Fatima", "帕提曼"},   {"ئامىنە", "Amine", "Amina", "阿米娜"},
    {"مۇنىرە", "Munire", "Munira", "木尼热"},   {"سەنەم", "Senem", "Sanam", "赛乃姆"}};
const std::vector<Name> kHanFamily = {{"王", "Wang", "Wang", "王"},   {"李", "Li", "Li", "李"},
                                      {"张", "Zhang", "Chang", "张"}, {"刘", "Liu", "Liu", "刘"},
                                      {"陈", "Chen", "Chen", "陈"},   {"马", "Ma", "Ma", "马"}};
const std::vector<Name> kHanGiven = {{"伟", "Wei", "Wei", "伟"},     {"芳", "Fang", "Fang", "芳"},
                                     {"军", "Jun", "Jun", "军"},     {"丽", "Li", "Li", "丽"},
                                     {"强", "Qiang", "Qiang", "强"}, {"敏", "Min", "Min", "敏"},
                                     {"静", "Jing", "Jing", "静"},   {"杰", "Jie", "Jie", "杰"}};

struct Place {
  const char* english;
  const char* chinese;
  const char* kazakh;
  const char* uyghur;
  uint32_t region;  // PRC region code prefix
};
const std::vector<Place> kPlaces = {{"Ghulja", "伊宁", "Құлжа", "غۇلجا", 654002},
                                    {"Urumqi", "乌鲁木齐", "Үрімжі", "ئۈرۈمچى", 650102},
                                    {"Kashgar", "喀什", "Қашқар", "قەشقەر", 653101},
                                    {"Altay", "阿勒泰", "Алтай", "ئالتاي", 654301},
                                    {"Tacheng", "塔城", "Шәуешек", "چۆچەك", 654201},
                                    {"Hotan", "和田", "Хотан", "خوتەن", 653201},
                                    {"Aksu", "阿克苏", "Ақсу", "ئاقسۇ", 652901},
                                    {"Turpan", "吐鲁番", "Тұрпан", "تۇرپان", 650402}};

const char* kFacilityKinds[] = {"camp", "prison", "detention_centre", "police_station"};
const char* kEventLater[] = {"sentenced",    "released",      "transferred", "contact_lost",
                             "house_arrest", "forced_labour", "disappeared"};
const char* kSeasons[] = {"spring", "summer", "autumn", "winter"};

class Generator {
 public:
  explicit Generator(const DemoOptions& o) : opt_(o), rng_(o.seed) {}

  std::vector<model::Record> Run() {
    for (size_t i = 0; i < kPlaces.size() * 2; ++i) MakeFacility(i);
    while (people_ < opt_.people) MakeFamily();
    // Second reports and inquiries draw from their own stream, so that the records
    // above do not depend on them.
    std::vector<size_t> documented;
    for (size_t i = 0; i < out_.size(); ++i)
      if (out_[i].type == model::RecordType::kPerson) documented.push_back(i);
    rng_.seed(opt_.seed ^ 0x5eed0fd0b1e5ULL);
    for (size_t i = 0; i < opt_.duplicates && !documented.empty(); ++i)
      out_.push_back(SecondReport(out_[documented[Pick(documented.size())]], false));
    for (size_t i = 0; i < opt_.sought && !documented.empty(); ++i)
      out_.push_back(SecondReport(out_[documented[Pick(documented.size())]], true));
    return std::move(out_);
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Between(int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng_); }
  std::string Id(const char* prefix, size_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s-%06zu", prefix, n);
    return buf;
  }

  void MakeFacility(size_t i) {
    const Place& p = kPlaces[i % kPlaces.size()];
    const char* kind = kFacilityKinds[i % 4];
    int number = static_cast<int>(i / kPlaces.size()) + 1;
    std::string en =
        std::string(p.english) + " " +
        (std::string(kind) == "camp" ? "Vocational Training Centre No. " : "Facility No. ") +
        std::to_string(number);
    std::string zh = std::string(p.chinese) + "第" + std::to_string(number) +
                     (std::string(kind) == "camp" ? "职业技能教育培训中心" : "看守所");
    model::Record f{Id("F", i + 1), model::RecordType::kFacility, {}};
    f.doc["names"] = {{{"text", en}}, {{"text", zh}}};
    f.doc["type"] = kind;
    f.doc["county"] = p.english;
    f.doc["latitude"] = 36.0 + static_cast<double>(Pick(900)) / 100.0;
    f.doc["longitude"] = 75.0 + static_cast<double>(Pick(1500)) / 100.0;
    facilities_.push_back(f.id);
    out_.push_back(std::move(f));
  }

  std::string BirthDate() {
    int y = Between(1940, 2000);
    switch (Pick(4)) {
      case 0:
        return std::to_string(y);
      case 1:
        return "about " + std::to_string(y);
      default: {
        char b[16];
        std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, Between(1, 12), Between(1, 28));
        return b;
      }
    }
  }

  std::string EventDate(int year) {
    switch (Pick(3)) {
      case 0:
        return std::string(kSeasons[Pick(3)]) + " " + std::to_string(year);
      case 1: {
        char b[16];
        std::snprintf(b, sizeof b, "%04d-%02d", year, Between(1, 12));
        return b;
      }
      default:
        return std::to_string(year);
    }
  }

  // One person with name forms in the scripts their documents would use.
  model::Record MakePerson(int ethnicity, bool male, const Name* father, const Place& home,
                           const Name** given_out) {
    const Name* given;
    nlohmann::json names = nlohmann::json::array();
    std::string eth;
    if (ethnicity == 2) {
      const Name& fam = kHanFamily[Pick(kHanFamily.size())];
      given = &kHanGiven[Pick(kHanGiven.size())];
      names.push_back({{"text", std::string(fam.native) + given->native}, {"part", "full"}});
      names.push_back({{"text", std::string(fam.latin) + " " + given->latin}, {"part", "full"}});
      eth = "Han";
    } else {
      const auto& pool = ethnicity == 0 ? (male ? kKazakhMale : kKazakhFemale)
                                        : (male ? kUyghurMale : kUyghurFemale);
      given = &pool[Pick(pool.size())];
      // A child is rarely named after the father; it would also blur the demo's searches.
      while (father && std::string(given->latin) == father->latin) given = &pool[Pick(pool.size())];
      const Name& fa = father ? *father : (ethnicity == 0 ? kKazakhMale : kUyghurMale)[Pick(10)];
      if (ethnicity == 0) {
        std::string suffix_cyr = male ? "ұлы" : "қызы", suffix_lat = male ? "uly" : "kyzy";
        names.push_back({{"text", std::string(given->native) + " " + fa.native + suffix_cyr},
                         {"part", "full"}});
        names.push_back(
            {{"text", std::string(given->latin) + " " + fa.latin + suffix_lat}, {"part", "full"}});
        eth = "Kazakh";
      } else {
        names.push_back({{"text", std::string(given->native) + " " + fa.native}, {"part", "full"}});
        names.push_back({{"text", std::string(given->latin) + " " + fa.latin}, {"part", "full"}});
        eth = "Uyghur";
      }
      if (Chance(0.5))
        names.push_back(
            {{"text", std::string(given->variant) + " " + fa.variant}, {"part", "full"}});
      if (Chance(0.5))
        names.push_back(
            {{"text", std::string(given->chinese) + "·" + fa.chinese}, {"part", "full"}});
      names.push_back({{"text", fa.latin}, {"part", "father"}});
    }
    *given_out = given;
    model::Record p{Id("P", ++people_), model::RecordType::kPerson, {}};
    p.doc["names"] = std::move(names);
    p.doc["gender"] = male ? "male" : "female";
    std::string birth = BirthDate();
    p.doc["birth_date"] = birth;
    p.doc["hometown"] =
        Chance(0.5)
            ? home.english
            : (ethnicity == 0 ? home.kazakh : (ethnicity == 1 ? home.uyghur : home.chinese));
    p.doc["ethnicity"] = eth;
    p.doc["citizenships"] = Chance(0.3) ? nlohmann::json{"CN", "KZ"} : nlohmann::json{"CN"};
    if (Chance(0.6)) {
      int y = std::stoi(birth.substr(birth.find_first_of("0123456789"), 4));
      p.doc["identifiers"] = {
          {{"kind", "prc_id"},
           {"value", SyntheticPrcId(home.region, y, Between(1, 12), Between(1, 28), male,
                                    static_cast<uint32_t>(Pick(500)))}}};
    }
    return p;
  }

  // The same person as `original`, as another source writes them: one name form in a
  // script the original's first form is not in (the Chinese transcription of a leaked
  // list, or the native script), and another Latin spelling; the birth year only; the
  // same hometown. A sought person (an inquiry) is written by a relative abroad: the
  // Latin variant spelling and the native form.
  model::Record SecondReport(const model::Record& original, bool sought) {
    const auto& names = original.doc["names"];
    std::vector<std::string> full;
    for (const auto& n : names)
      if (n.value("part", "") == "full") full.push_back(n.value("text", ""));
    nlohmann::json out = nlohmann::json::array();
    // full[0] is native, full[1] Latin, then maybe the variant and the Chinese form.
    std::string other =
        full.size() > 2 ? full[Between(2, static_cast<int>(full.size()) - 1)] : full.back();
    if (sought) {
      // Every other relative writes the Latin spelling the documents use.
      const bool usual = sought_++ % 2 == 0;
      out.push_back(
          {{"text",
            !usual && full.size() > 2 ? full[2] : full[std::min<size_t>(1, full.size() - 1)]},
           {"part", "full"}});
      out.push_back({{"text", full.front()}, {"part", "full"}});
    } else {
      out.push_back({{"text", other}, {"part", "full"}});
      if (Chance(0.5)) out.push_back({{"text", full.front()}, {"part", "full"}});
    }
    model::Record p{Id("P", ++people_), model::RecordType::kPerson, {{"names", out}}};
    // Most sources give the birth date as the original has it; some only the year. A
    // list copied from official files often carries the ID number too.
    const std::string birth = original.doc.value("birth_date", "");
    if (auto at = birth.find_first_of("0123456789"); at != std::string::npos)
      p.doc["birth_date"] = sought || Chance(0.7) ? birth : birth.substr(at, 4);
    if (!sought && original.doc.contains("identifiers") && Chance(0.5))
      p.doc["identifiers"] = original.doc["identifiers"];
    for (const char* f : {"gender", "hometown", "ethnicity"})
      if (original.doc.contains(f)) p.doc[f] = original.doc[f];
    if (sought) {
      p.doc["kind"] = "sought";
      p.doc["notes"] = "Inquiry from a relative abroad (synthetic)";
    } else {
      p.doc["notes"] = "Second report from another source (synthetic)";
    }
    return p;
  }

  void MakeFamily() {
    int ethnicity = Chance(0.1) ? 2 : static_cast<int>(Pick(2));
    const Place& home = kPlaces[Pick(kPlaces.size())];
    const Name* father_given = nullptr;
    model::Record father = MakePerson(ethnicity, true, nullptr, home, &father_given);
    std::string father_id = father.id;
    out_.push_back(std::move(father));
    size_t children = 1 + Pick(3);
    std::vector<std::string> child_ids;
    for (size_t c = 0; c < children && people_ < opt_.people; ++c) {
      const Name* g = nullptr;
      model::Record child = MakePerson(ethnicity, Chance(0.6), father_given, home, &g);
      child_ids.push_back(child.id);
      out_.push_back(std::move(child));
      if (opt_.testimonies)
        out_.push_back({Id("R", ++relations_),
                        model::RecordType::kRelation,
                        {{"from", father_id}, {"to", child_ids.back()}, {"kind", "parent"}}});
    }
    if (!opt_.testimonies) return;
    // A relative abroad testifies about the detained children.
    std::string w = Id("W", ++witnesses_);
    out_.push_back({w,
                    model::RecordType::kWitness,
                    {{"name", "Witness " + std::to_string(witnesses_) + " (synthetic)"},
                     {"contact", "+7 700 555 " + std::to_string(1000 + Pick(9000))},
                     {"relation_to_people", "relative"},
                     {"safety_notes", Chance(0.3) ? "do not call before noon" : "none"}}});
    std::string t = Id("T", ++testimonies_);
    std::string s = Id("S", testimonies_);
    int year = Between(2017, 2020);
    std::string fac = facilities_[Pick(facilities_.size())];
    std::string transcript = "My relatives from " + std::string(home.english) + " were taken in " +
                             std::to_string(year) + ". We heard they were held at facility " + fac +
                             ". We have had no news since " + std::to_string(year + 1) + ".";
    out_.push_back({t,
                    model::RecordType::kTestimony,
                    {{"witness", w},
                     {"date", EventDate(Between(2018, 2024))},
                     {"place", "Almaty"},
                     {"language", ethnicity == 1 ? "ug" : "kk"},
                     {"people", child_ids},
                     {"transcript", transcript},
                     {"summary", "Relatives detained in " + std::to_string(year)},
                     {"consent",
                      {{"name", Chance(0.7)},
                       {"face_voice", Chance(0.4)},
                       {"testimony_text", Chance(0.6)},
                       {"id_number", Chance(0.2)}}}}});
    out_.push_back(
        {s,
         model::RecordType::kSource,
         {{"kind", "testimony"}, {"testimony", t}, {"reliability", Chance(0.5) ? "B" : "C"}}});
    for (const auto& child : child_ids) {
      out_.push_back({Id("E", ++events_),
                      model::RecordType::kEvent,
                      {{"person", child},
                       {"kind", "detained"},
                       {"date", EventDate(year)},
                       {"place", home.english},
                       {"confidence", "probable"},
                       {"sources", {s}}}});
      out_.push_back({Id("E", ++events_),
                      model::RecordType::kEvent,
                      {{"person", child},
                       {"kind", "held_at_facility"},
                       {"facility", fac},
                       {"date", EventDate(year)},
                       {"sources", {s}}}});
      std::string later = kEventLater[Pick(std::size(kEventLater))];
      model::Record e{Id("E", ++events_),
                      model::RecordType::kEvent,
                      {{"person", child},
                       {"kind", later},
                       {"date", EventDate(year + 1 + static_cast<int>(Pick(3)))},
                       {"confidence", "possible"},
                       {"sources", {s}}}};
      if (later == "sentenced") e.doc["term_months"] = 12 * Between(3, 20);
      out_.push_back(std::move(e));
    }
  }

  DemoOptions opt_;
  std::mt19937_64 rng_;
  std::vector<model::Record> out_;
  std::vector<std::string> facilities_;
  size_t sought_ = 0;
  size_t people_ = 0, relations_ = 0, witnesses_ = 0, testimonies_ = 0, events_ = 0;
};

}  // namespace

std::string SyntheticPrcId(uint32_t region, int year, int month, int day, bool male,
                           uint32_t sequence) {
  char body[18];
  uint32_t seq = (sequence % 500) * 2 + (male ? 1 : 0);
  std::snprintf(body, sizeof body, "%06u%04d%02d%02d%03u", region % 1000000, year, month, day,
                seq % 1000);
  // ISO 7064 MOD 11-2 over the first 17 digits.
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  static const char kCheck[] = "10X98765432";
  return std::string(body, 17) + kCheck[sum % 11];
}

std::vector<model::Record> SyntheticVault(const DemoOptions& options) {
  return Generator(options).Run();
}

}  // namespace izde::demo
