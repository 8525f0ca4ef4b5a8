#include "report/press_summary.h"

#include <set>

#include "report/report_language.h"
#include "report/undocumented.h"

namespace izde::report {
namespace {

bool In(const std::string& s, std::initializer_list<const char*> set) {
  for (const char* k : set) {
    if (s == k) return true;
  }
  return false;
}

// The tree size: the second line of a checkpoint note.
uint64_t TreeSize(const std::string& checkpoint) {
  const size_t first = checkpoint.find('\n');
  if (first == std::string::npos) return 0;
  const size_t second = checkpoint.find('\n', first + 1);
  try {
    return std::stoull(checkpoint.substr(first + 1, second - first - 1));
  } catch (const std::exception&) {
    return 0;
  }
}

// A tally's title and row labels in `lang`.
Tally Translated(Tally t, const Words& say, const std::string& title_key) {
  t.title = say(title_key);
  for (auto& row : t.rows) {
    if (t.by == Dimension::kYear && (row.key == "uncertain" || row.key == "none"))
      row.label = say("year_" + row.key);
  }
  return t;
}

}  // namespace

KeyFigures FiguresOf(const Holdings& h, const std::vector<PersonFacts>& facts,
                     const CaseLedger& ledger) {
  KeyFigures k;
  k.people = static_cast<int64_t>(facts.size());
  std::set<std::string> facilities;
  for (const PersonFacts& f : facts) {
    bool detained = false, sentenced = false;
    for (const EventFact& e : f.events) {
      detained |= e.kind == "detained";
      sentenced |= e.kind == "sentenced";
    }
    k.detained += detained;
    k.sentenced += sentenced;
    facilities.insert(f.facilities.begin(), f.facilities.end());
    if (In(f.status, {"detained", "interrogated", "held_at_facility", "transferred", "sentenced",
                      "forced_labour"}))
      ++k.held;
    else if (In(f.status, {"released", "house_arrest", "travel_restricted", "passport_confiscated",
                           "contact_restored"}))
      ++k.released;
    else if (In(f.status, {"disappeared", "contact_lost"}))
      ++k.missing;
    else if (f.status == "died")
      ++k.died;
  }
  k.facilities = static_cast<int64_t>(facilities.size());
  k.testimonies = static_cast<int64_t>(h.testimonies.size());
  k.log_entries = TreeSize(ledger.checkpoint);
  return k;
}

ChartWords ChartWordsIn(const std::string& lang) {
  const Words say(lang);
  ChartWords w;
  w.people = say("chart_people");
  w.counted = say("chart_counted");
  w.other = say("chart_other");
  w.nothing = say("chart_nothing");
  w.legend = say("chart_legend");
  w.schematic = say("chart_schematic");
  w.schematic_source = say("chart_schematic_source");
  w.prefecture_unknown = say("chart_prefecture_unknown");
  return w;
}

Result<std::unique_ptr<PdfDocument>> BuildPressSummary(const Holdings& h, const CaseLedger& ledger,
                                                       const std::string& lang,
                                                       const std::string& prepared_on) {
  if (!IsReportLanguage(lang)) {
    return Status::InvalidInput("no press summary language '" + lang +
                                "': choose en, ru, kk, ug or zh");
  }
  const Words say(lang);
  const std::vector<PersonFacts> facts = AllFacts(h);
  const KeyFigures k = FiguresOf(h, facts, ledger);
  PdfOptions o;
  o.lang = lang;
  o.footer = "izde · " + say("press_title") + " · " + Isolate(lang, prepared_on);
  o.page_word = say("page");
  o.title = "izde press summary";
  auto doc = std::make_unique<PdfDocument>(o);
  doc->Title(say("press_title"));
  doc->Paragraph(say("press_as_of", {{"date", prepared_on}}), 9, true);
  auto n = [](int64_t v) { return std::to_string(v); };
  std::vector<std::vector<std::string>> left = {
      {say("press_people"), n(k.people)},           {say("press_detained"), n(k.detained)},
      {say("press_sentenced"), n(k.sentenced)},     {say("press_facilities"), n(k.facilities)},
      {say("press_testimonies"), n(k.testimonies)},
  };
  std::vector<std::vector<std::string>> right = {
      {say("press_held"), n(k.held)},
      {say("press_released"), n(k.released)},
      {say("press_missing"), n(k.missing)},
      {say("press_died"), n(k.died)},
  };
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    std::vector<std::string> row(4);
    if (i < left.size()) row[0] = left[i][0], row[1] = left[i][1];
    if (i < right.size()) row[2] = right[i][0], row[3] = right[i][1];
    rows.push_back(row);
  }
  doc->Table({}, rows, {0.36, 0.09, 0.46, 0.09});
  doc->Paragraph(say("press_not_estimate", {{"counting", say("press_counting")}}), 8);
  // The estimate of the undocumented, with its interval and caveat, or why there is none.
  // The caveat is smaller, so that the summary stays on one page in every language.
  const std::vector<std::string> estimate = EstimateSentences(EstimateUndocumented(h), lang);
  for (size_t i = 0; i < estimate.size(); ++i) doc->Paragraph(estimate[i], i == 0 ? 8 : 7, i > 0);
  doc->Paragraph(say("press_verification", {{"entries", std::to_string(k.log_entries)}}), 7.5,
                 true);
  // The two charts side by side, so that the summary stays on one page in every language.
  const ChartWords words = ChartWordsIn(lang);
  const Tally map = Translated(Count(h, facts, Dimension::kPrefecture), say, "press_map");
  const Tally years = Translated(Count(h, facts, Dimension::kYear), say, "press_timeline");
  doc->ChartRow({{ChartOf(map, words), 0.44}, {ChartOf(years, words), 0.42}});
  return doc;
}

}  // namespace izde::report
