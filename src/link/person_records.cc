#include "link/person_records.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include "csv/csv_reader.h"
#include "names/similarity.h"

namespace izde::link {
namespace {

const std::vector<std::string> kKnown = {"id",          "name",   "given_name", "family_name",
                                         "father_name", "gender", "birth_date", "hometown",
                                         "id_number",   "source", "notes"};

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

// The gender spellings the person CSV accepts, folded to two values; anything
// else ("unknown", "?") is no evidence.
std::string Gender(const std::string& raw) {
  static const std::unordered_map<std::string, std::string> kForms = {
      {"f", "f"},    {"female", "f"}, {"w", "f"},  {"woman", "f"}, {"ж", "f"},
      {"әйел", "f"}, {"жен", "f"},    {"女", "f"}, {"m", "m"},     {"male", "m"},
      {"man", "m"},  {"ер", "m"},     {"м", "m"},  {"муж", "m"},   {"男", "m"}};
  std::string lower = raw;
  for (auto& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  auto it = kForms.find(lower);
  return it == kForms.end() ? "" : it->second;
}

// Whether `text` already carries the father's name `word`: as a whole space- or
// dot-separated part; as a part made of it and a patronymic ending ("Серікбай" in
// "Серікбайұлы", "Nurbol" in "Nurbolqızı"); or, in Chinese characters, at the end
// of a part (Chinese forms often drop the dot: "阿依江叶尔波拉提"). "Tursun" is
// not in "Tursunay", another name. A father's name in another spelling than the
// full name's is appended and then matched by the names module like any other part.
bool ContainsWord(const std::string& text, const std::string& word) {
  static const std::string kDot = "\xC2\xB7";  // U+00B7, the dot in Chinese forms
  static const std::vector<std::string> kPatronymicEndings = {
      "ұлы",  "улы",  "қызы", "кызы", "ов",   "ова",  "ев",   "ева", "uly", "ulı", "uli", "ulu",
      "qyzy", "qızı", "qizi", "kyzy", "kızı", "kizi", "qyzi", "ov",  "ova", "ev",  "eva"};
  // Chinese characters are three-byte UTF-8 sequences starting at 0xE3..0xE9.
  const bool chinese = !word.empty() && static_cast<unsigned char>(word[0]) >= 0xE3 &&
                       static_cast<unsigned char>(word[0]) <= 0xE9;
  auto boundary_before = [&](size_t at) {
    return at == 0 || text[at - 1] == ' ' ||
           (at >= kDot.size() && text.compare(at - kDot.size(), kDot.size(), kDot) == 0);
  };
  auto part_end = [&](size_t from) {
    size_t end = from;
    while (end < text.size() && text[end] != ' ' && text.compare(end, kDot.size(), kDot) != 0)
      ++end;
    return end;
  };
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    const size_t rest_end = part_end(end);
    const std::string rest = text.substr(end, rest_end - end);
    if (boundary_before(at) &&
        (rest.empty() || std::find(kPatronymicEndings.begin(), kPatronymicEndings.end(), rest) !=
                             kPatronymicEndings.end()))
      return true;
    if (chinese && rest.empty()) return true;
  }
  return false;
}

// Whether the full name already carries the father's name in another spelling
// ("Nazgül Erkhanova" with father "Erxan", "Mijit Memet" with father "Mämät"): a
// part whose phonetic stem is the same name as the father's, as the names module
// judges it (only in a name of two parts or more). Appending it again would give the name a third
// part that the other records of the person lack.
bool ContainsName(const std::string& text, const std::string& father) {
  auto name = names::MakeNameKey(text);
  auto dad = names::MakeNameKey(father);
  // A one-part name is a given name: "Tursunay" with father "Tursun" is another name.
  if (!name.ok() || !dad.ok() || dad->tokens.size() != 1 || name->tokens.size() < 2) return false;
  const names::KeyedToken& f = dad->tokens[0];
  for (const auto& t : name->tokens)
    for (std::string_view x : {std::string_view(t.stem), std::string_view(t.alt_stem)})
      for (std::string_view y : {std::string_view(f.stem), std::string_view(f.alt_stem)})
        if (!x.empty() && !y.empty() && names::KeySimilarity(x, y) >= names::kSameNameThreshold)
          return true;
  return false;
}

}  // namespace

Schema PersonSchema() {
  // No separate father's-name field: the full name already carries the father's
  // name (Uyghur and Kazakh surnames are the father's given name), and comparing it
  // twice would count one piece of evidence twice. A father's name the name lacks is
  // appended to it instead (ReadPersonRecords).
  return {{{"name", Comparator::kName, true},
           {"gender", Comparator::kCategory, false},
           {"birth_date", Comparator::kDate, false},
           {"hometown", Comparator::kPlace, false},
           {"id_number", Comparator::kIdNumber, false}}};
}

Result<PersonRecords> ReadPersonRecords(const std::string& path, int threads) {
  IZDE_ASSIGN_OR_RETURN(auto reader, csv::Reader::Open(path));
  IZDE_ASSIGN_OR_RETURN(auto header, reader.ReadHeader());
  PersonRecords out;
  out.records.schema = PersonSchema();
  for (const auto& h : header)
    if (std::find(kKnown.begin(), kKnown.end(), h) == kKnown.end())
      out.ignored_columns.push_back(h);
  auto has = [&](const char* c) {
    return std::find(header.begin(), header.end(), c) != header.end();
  };
  if (!has("id"))
    return Status::InvalidInput(path + " row 1: there is no 'id' column; every person needs an id");
  if (!has("name") && !has("given_name") && !has("family_name"))
    return Status::InvalidInput(path +
                                " row 1: there is no name column; add name, given_name or "
                                "family_name");
  std::unordered_map<std::string, size_t> row_of_id;
  std::vector<std::pair<size_t, std::string>> fathers;  // record, father's name
  while (true) {
    IZDE_ASSIGN_OR_RETURN(auto next, reader.Next());
    if (!next) break;
    const csv::Row& row = *next;
    auto get = [&](const char* col) {
      const std::string* f = row.Find(col);
      return f ? Trim(*f) : std::string();
    };
    std::string id = get("id");
    if (id.empty()) return Status::InvalidInput(row.Where("id") + ": the id is empty");
    auto [it, fresh] = row_of_id.emplace(id, row.number);
    if (!fresh)
      return Status::InvalidInput(row.Where("id") + ": the id '" + id +
                                  "' is already used in row " + std::to_string(it->second) +
                                  "; ids must be unique");
    std::string name = get("name");
    if (name.empty()) {
      // Given name first, then family or father's name: the order names::ParseRoles expects.
      for (const char* part : {"given_name", "family_name", "father_name"})
        if (std::string v = get(part); !v.empty()) name += (name.empty() ? "" : " ") + v;
    }
    if (name.empty())
      return Status::InvalidInput(row.Where() +
                                  ": no name; fill at least one of name, given_name, family_name");
    // Whether the full name already carries the father's name is decided below, on
    // every thread: it keys both names.
    if (std::string father = get("father_name"); !father.empty() && !get("name").empty())
      fathers.emplace_back(out.records.ids.size(), std::move(father));
    out.records.ids.push_back(id);
    out.records.values.push_back(
        {name, Gender(get("gender")), get("birth_date"), get("hometown"), get("id_number")});
  }
  if (out.records.ids.empty())
    return Status::InvalidInput(path + ": the file has a header but no people");
  const size_t n_threads = static_cast<size_t>(std::max(1, threads));
  std::vector<std::thread> pool;
  for (size_t t = 0; t < n_threads; ++t)
    pool.emplace_back([&, t] {
      for (size_t i = t; i < fathers.size(); i += n_threads) {
        const auto& [record, father] = fathers[i];
        std::string& name = out.records.values[record][0];
        if (!ContainsWord(name, father) && !ContainsName(name, father)) name += " " + father;
      }
    });
  for (auto& th : pool) th.join();
  return out;
}

}  // namespace izde::link
