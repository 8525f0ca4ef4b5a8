// A one-page summary for a press conference (`izde report press`): the key numbers, a map
// of where people come from, first detentions by year, and how anyone can verify the
// records. Counts only; it names nobody, so unlike a case file it may be handed out.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "report/case_file.h"
#include "report/holdings.h"
#include "report/pdf_document.h"
#include "report/stats.h"

namespace izde::report {

struct KeyFigures {
  int64_t people = 0, detained = 0, held = 0, released = 0, missing = 0, died = 0, sentenced = 0,
          facilities = 0, testimonies = 0;
  uint64_t log_entries = 0;  // tree size of the latest signed checkpoint
};

// Status groups by the latest event (stats.h, Dimension::kStatus):
//   held      detained, interrogated, held_at_facility, transferred, sentenced, forced_labour
//   released  released, house_arrest, travel_restricted, passport_confiscated,
//             contact_restored
//   missing   disappeared, contact_lost
//   died      died
KeyFigures FiguresOf(const Holdings& holdings, const std::vector<PersonFacts>& facts,
                     const CaseLedger& ledger);

// The chart words of a language (report catalogs, chart_* keys).
ChartWords ChartWordsIn(const std::string& lang);

Result<std::unique_ptr<PdfDocument>> BuildPressSummary(const Holdings& holdings,
                                                       const CaseLedger& ledger,
                                                       const std::string& lang,
                                                       const std::string& prepared_on);

}  // namespace izde::report
