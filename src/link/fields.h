// The field-agnostic core of linkage: a schema says which comparator each column
// uses, and every record is prepared once (names keyed, dates parsed, places
// resolved, ID numbers checked) so that comparing two records allocates nothing.
// FEBRL's Latin-script address columns and the person CSV use the same engine
// with different schemas.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "link/value_store.h"
#include "names/name_key.h"

namespace izde::link {

enum class Comparator {
  kName,      // names::ScoreNames levels: exact key / close / same name / partial / different
  kText,      // Jaro-Winkler on folded text: exact / >= 0.94 / >= 0.85 / different
  kCode,      // short codes (postcode, house number): exact / one typo / different
  kDate,      // birth dates, partial allowed: exact / one typo / overlap / within a year / conflict
  kPlace,     // gazetteer: same place / same prefecture / different
  kIdNumber,  // PRC ID or IIN: equal / one typo / different
  kCategory,  // gender and other closed lists: equal / different
};

// Level 0 of every comparator is "missing": one side has no value, which is
// no evidence either way (weight 0).
inline constexpr uint8_t kMissing = 0;
int LevelCount(Comparator c);  // including kMissing
std::string_view LevelName(Comparator c, int level);
std::string_view ComparatorName(Comparator c);
// Levels that count as agreement, for term-frequency adjustment: a value shared by
// many records is weaker evidence than a rare one.
bool IsAgreement(Comparator c, int level);

struct FieldSpec {
  std::string name;
  Comparator comparator = Comparator::kText;
  bool term_frequency = false;  // adjust agreement weights by how common the value is
};

struct Schema {
  std::vector<FieldSpec> fields;
  int IndexOf(std::string_view name) const;  // -1 when absent
};

// One prepared field value. Only the members its comparator needs are filled.
struct FieldValue {
  bool missing = true;
  std::string text;     // folded text (kText, kCode, kCategory, kPlace fallback), ID digits
  names::NameKey name;  // kName
  // kName: one number per distinct key in the process (0: not numbered), so that
  // a comparison of two keys already seen is looked up instead of recomputed.
  uint32_t name_id = 0;
  uint64_t term = 0;               // TermHash of what term frequencies are counted on; 0: nothing
  float tf = 0;                    // share of records with this term (set by Prepare)
  int32_t day_lo = 0, day_hi = 0;  // kDate: inclusive interval in days since 1900-01-01
  bool exact_day = false;          // kDate: a single day was given
  std::string place;               // kPlace: county (or most precise) code
  std::string prefecture;          // kPlace: prefecture code
  bool id_valid = false;           // kIdNumber
  uint8_t id_kind = 0;             // kIdNumber: ids::IdKind
  // Filled from the record's valid ID number (birth date, sex, county of
  // registration), not written in the record: compared only against a record
  // without an ID number, since two ID numbers are compared directly.
  bool derived = false;
};

// What comparing a value needs first, in 24 bytes: a record's summaries share
// one or two cache lines, where its FieldValues span a dozen. Most comparisons
// are settled here (missing, equal, date intervals, gazetteer codes, a name pair
// seen before); the rest read the FieldValue.
struct FieldSummary {
  uint64_t hash = 0;  // of the comparable text (exact day, ID digits, folded text)
  // kName: name_id; kDate: day_lo; kPlace: county code (0: none); kIdNumber: the
  // number's length.
  int32_t a = 0;
  int32_t b = 0;  // kDate: day_hi; kPlace: prefecture code; kIdNumber: 1 when valid
  float tf = 0;
  bool missing = true;
  bool exact_day = false;
  bool derived = false;
  // kDate: `hash` holds the exact day's eight digits themselves (YYYYMMDD), so that
  // two days that differ are told a typo or two birthdays without the values.
  bool packed = false;
};
FieldSummary Summarize(Comparator c, const FieldValue& v);

// values[r * fields + f]; records read from a link state are decoded when first
// used (value_store.h).
using ValueStore = BasicValueStore<FieldValue>;
extern template class BasicValueStore<FieldValue>;

// Records prepared for comparison: values[r * fields + f].
struct Prepared {
  Schema schema;
  std::vector<std::string> ids;
  ValueStore values;
  // summaries[r * fields + f], filled by Prepare and Append; when absent (a
  // Prepared built by hand) comparisons read the values.
  std::vector<FieldSummary> summaries;
  // Per field, how many records carry each term (fields with term_frequency only),
  // by TermHash of the term.
  std::vector<std::unordered_map<uint64_t, uint32_t>> term_counts;
  size_t size() const { return ids.size(); }
  const FieldValue& at(size_t record, size_t field) const {
    return values[record * schema.fields.size() + field];
  }
};

// Raw input: one string per field per record (empty = missing).
struct RawRecords {
  Schema schema;
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> values;  // values[r][f]
};

// A 64-bit hash of a term, what term_counts are kept by; 0 for an empty term.
uint64_t TermHash(std::string_view term);

// Prepares every record, on `threads` threads. Term frequencies are counted
// over these records. Never fails on bad values: an unreadable name, date or
// number is treated as missing (the CSV layer has already rejected bad rows).
Prepared Prepare(const RawRecords& raw, int threads = 1);

// Appends `raw` to `prepared` (incremental linking): term counts grow by the new
// records and every record's frequency is refreshed, so scores match a batch run.
void Append(Prepared& prepared, const RawRecords& raw, int threads = 1);

// Counts the terms of records [first, size()) into term_counts (what Append does
// before it sets the new records' frequencies; a link state's deltas replay it).
void CountTerms(Prepared& prepared, size_t first);

// One value, without term frequency.
FieldValue PrepareValue(const FieldSpec& spec, std::string_view raw);

// The calendar year of a day counted as FieldValue::day_lo/day_hi count them.
int CalendarYear(int32_t days_since_1900);

// The comparison level of one field for two prepared values.
uint8_t CompareValues(Comparator c, const FieldValue& a, const FieldValue& b);
// The same, settled from the summaries when they suffice.
uint8_t CompareSummarized(Comparator c, const FieldSummary& sa, const FieldSummary& sb,
                          const FieldValue& a, const FieldValue& b);

// Text folded for comparison: ASCII lower case, runs of spaces and punctuation
// collapsed to one space, trimmed.
std::string Fold(std::string_view text);

}  // namespace izde::link
