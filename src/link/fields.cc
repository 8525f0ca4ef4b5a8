#include "link/fields.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <thread>

#include "dates/partial_date.h"
#include "ids/id_check.h"
#include "link/string_metrics.h"
#include "names/similarity.h"
#include "places/gazetteer.h"

namespace izde::link {
namespace {

int32_t DaysSince1900(const dates::CivilDate& d) {
  // Days from civil (H. Hinnant's well-known algorithm, written out here).
  int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (d.month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + d.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 693901;  // 693901 = days from 0000-03-01 to 1900-01-01
}

}  // namespace

int CalendarYear(int32_t days_since_1900) {
  // The inverse of DaysSince1900 (civil from days), year only.
  const int64_t z = int64_t{days_since_1900} + 693901;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void PrepareDate(std::string_view raw, FieldValue& v) {
  dates::CivilDate lo, hi;
  // Compact YYYYMMDD, as in FEBRL and many exported lists.
  if (raw.size() == 8 && AllDigits(raw)) {
    lo = {std::stoi(std::string(raw.substr(0, 4))), std::stoi(std::string(raw.substr(4, 2))),
          std::stoi(std::string(raw.substr(6, 2)))};
    if (!dates::IsValid(lo)) {
      // Still comparable digit by digit (one typo level), but not as an interval.
      v.missing = false;
      v.text = std::string(raw);
      v.exact_day = true;
      v.day_lo = v.day_hi = INT32_MIN / 2;
      return;
    }
    hi = lo;
  } else {
    auto parsed = dates::Parse(raw, 2100);
    if (!parsed.ok()) return;
    lo = parsed->earliest;
    hi = parsed->latest;
  }
  v.missing = false;
  v.day_lo = DaysSince1900(lo);
  v.day_hi = DaysSince1900(hi);
  v.exact_day = v.day_lo == v.day_hi;
  if (v.exact_day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", lo.year, lo.month, lo.day);
    v.text = buf;
  }
}

void PreparePlace(std::string_view raw, FieldValue& v) {
  v.missing = false;
  v.text = Fold(raw);
  auto matches = places::Gazetteer::Xinjiang().Resolve(raw);
  if (!matches.ok() || matches->empty() || matches->front().score < 0.9) return;
  const places::Place& p = *matches->front().place;
  v.place = p.code;
  v.prefecture = p.level == places::PlaceLevel::kRegion ? "" : p.code.substr(0, 4) + "00";
}

// Numbers name keys: equal keys (the same name in two spellings that key alike)
// get the same number, process-wide, so that lists prepared separately share it.
void NumberNameKey(FieldValue& v) {
  std::string canonical;
  for (const auto& t : v.name.tokens) {
    canonical += t.stem;
    canonical += '\x1f';
    canonical += t.alt_stem;
    canonical += '\x1f';
    canonical += static_cast<char>('0' + static_cast<int>(t.role) + (t.han ? 8 : 0));
    canonical += '\x1e';
  }
  canonical += static_cast<char>('0' + v.name.father + 1);
  static std::mutex mu;
  static std::unordered_map<std::string, uint32_t> numbers;
  std::lock_guard<std::mutex> lock(mu);
  auto [it, fresh] = numbers.emplace(std::move(canonical), 0);
  if (fresh) it->second = static_cast<uint32_t>(numbers.size());
  v.name_id = it->second;
}

// The name level of two keys, remembered per thread in a direct-mapped table:
// the same pairs of names recur across a list (every record of a person against
// every record of a namesake), and scoring them is most of the linkage's time.
// Bounded (a colliding entry is simply replaced), no locks.
uint8_t NameLevel(uint32_t id_a, uint32_t id_b, const FieldValue& a, const FieldValue& b);

// Two birth dates as intervals of days, not both single days: overlapping (3);
// within a year of each other (4: a year worked back from an age is often one
// off); or a conflict (5). A date wider than a year ("about 1975": 1973-1977, a
// range) already allows for its giver's uncertainty, so a date outside it is
// another person's, however near.
uint8_t DateIntervalLevel(int32_t a_lo, int32_t a_hi, int32_t b_lo, int32_t b_hi) {
  if (a_lo <= b_hi && b_lo <= a_hi) return 3;
  if (a_hi - a_lo > 366 || b_hi - b_lo > 366) return 5;
  return (a_lo > b_hi ? a_lo - b_hi : b_lo - a_hi) <= 366 ? 4 : 5;
}

// Two exact days by their texts (YYYYMMDD): the same day (1), one typo or the day
// and month swapped, 03/04 read as 04/03 (2), or two birthdays (5: the year-level
// closeness of DateIntervalLevel is for dates given only as a year).
uint8_t ExactDaysLevel(std::string_view a, std::string_view b) {
  if (a == b) return 1;
  if (a.size() == 8 && b.size() == 8) {
    if (WithinOneEdit(a, b)) return 2;
    if (a.substr(0, 4) == b.substr(0, 4) && a.substr(4, 2) == b.substr(6, 2) &&
        a.substr(6, 2) == b.substr(4, 2))
      return 2;
  }
  return 5;
}

uint64_t TextHash(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h | 1;  // never 0
}

int32_t CodeNumber(const std::string& code) {
  if (code.empty() || code.size() > 9 || !AllDigits(code)) return 0;
  return static_cast<int32_t>(std::stol(code));
}

// The term of each distinct part of a name, counted beside the whole names' terms
// (a different hash space: a leading 0x01 byte), for names of one part.
template <typename F>
void ForEachPartTerm(const names::NameKey& key, F&& each) {
  std::vector<std::string_view> seen;
  for (const auto& t : key.tokens) {
    if (std::find(seen.begin(), seen.end(), t.stem) != seen.end()) continue;
    seen.push_back(t.stem);
    std::string term = "\x01";
    term += t.stem;
    each(TermHash(term));
  }
}

// A name given as one part that is not in Chinese characters (a Chinese name
// written without spaces is one part and is a whole name).
bool SinglePart(const names::NameKey& key) { return key.tokens.size() == 1 && !key.tokens[0].han; }

std::string NameTerm(const names::NameKey& key) {
  std::vector<std::string_view> stems;
  for (const auto& t : key.tokens) stems.push_back(t.stem);
  std::sort(stems.begin(), stems.end());
  std::string term;
  for (auto s : stems) (term += s) += ' ';
  return term;
}

// A valid PRC ID number states the birth date, the sex and the county where the
// person was registered; an IIN the birth date and sex. A record that gives the
// number but leaves those fields empty still says them (leaked lists often carry
// little but the number), so they are filled, marked as derived.
void DeriveFromIdNumber(const Schema& schema, FieldValue* record) {
  const size_t nf = schema.fields.size();
  const FieldValue* id = nullptr;
  std::string raw_id;
  for (size_t f = 0; f < nf; ++f)
    if (schema.fields[f].comparator == Comparator::kIdNumber && !record[f].missing &&
        record[f].id_valid)
      id = &record[f];
  if (!id) return;
  const ids::IdCheck check = ids::Check(id->text);
  if (!check.valid) return;
  for (size_t f = 0; f < nf; ++f) {
    FieldValue& v = record[f];
    if (!v.missing) continue;
    const FieldSpec& spec = schema.fields[f];
    FieldValue d;
    if (spec.comparator == Comparator::kDate && !check.birth_date.empty()) {
      d = PrepareValue(spec, check.birth_date);
    } else if (spec.comparator == Comparator::kPlace && check.xinjiang) {
      const places::Place* place = places::Gazetteer::Xinjiang().ByCode(check.region_code);
      if (!place) continue;
      d.missing = false;
      d.text = check.region_code;
      d.place = place->code;
      d.prefecture =
          place->level == places::PlaceLevel::kRegion ? "" : place->code.substr(0, 4) + "00";
      d.term = TermHash(d.place);
    } else if (spec.comparator == Comparator::kCategory && spec.name == "gender" &&
               !check.sex.empty()) {
      d = PrepareValue(spec, check.sex == "male" ? "m" : "f");
    } else {
      continue;
    }
    if (d.missing) continue;
    d.derived = true;
    v = std::move(d);
  }
}

template <typename F>
void ParallelFor(size_t n, int threads, F&& body) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n / 256) + 1));
  if (threads == 1) {
    for (size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < n; i += static_cast<size_t>(threads)) body(i);
    });
  for (auto& th : pool) th.join();
}

void PrepareRange(Prepared& out, const RawRecords& raw, size_t first_out, int threads) {
  const size_t nf = out.schema.fields.size();
  // Places repeat heavily and the gazetteer's fuzzy lookup is slow: resolve each
  // distinct text once, before the parallel part reads the results.
  std::vector<std::unordered_map<std::string, FieldValue>> place_cache(nf);
  for (size_t f = 0; f < nf; ++f) {
    if (out.schema.fields[f].comparator != Comparator::kPlace) continue;
    for (const auto& row : raw.values)
      if (!row[f].empty() && !place_cache[f].count(row[f]))
        place_cache[f].emplace(row[f], PrepareValue(out.schema.fields[f], row[f]));
  }
  ParallelFor(raw.ids.size(), threads, [&](size_t r) {
    for (size_t f = 0; f < nf; ++f) {
      const std::string& s = raw.values[r][f];
      FieldValue& v = out.values[(first_out + r) * nf + f];
      if (s.empty()) continue;
      if (out.schema.fields[f].comparator == Comparator::kPlace)
        v = place_cache[f].at(s);
      else
        v = PrepareValue(out.schema.fields[f], s);
    }
    DeriveFromIdNumber(out.schema, &out.values[(first_out + r) * nf]);
  });
  CountTerms(out, first_out);
  for (size_t f = 0; f < nf; ++f) {
    if (!out.schema.fields[f].term_frequency) continue;
    const bool name = out.schema.fields[f].comparator == Comparator::kName;
    // Only the new records: a batch refreshes everything, an incremental run leaves
    // the old records' frequencies as they were (they move by new/total at most).
    const float n = static_cast<float>(out.size());
    for (size_t r = first_out; r < out.size(); ++r) {
      FieldValue& v = out.values[r * nf + f];
      if (v.missing) continue;
      v.tf = static_cast<float>(out.term_counts[f][v.term]) / n;
      // A name of one part ("Мәдина", as a cellmate knew her) says no more than that
      // part says in any name: it is as common as the records whose name has the
      // part, not as the few that give it alone.
      if (name && SinglePart(v.name))
        ForEachPartTerm(v.name, [&](uint64_t t) {
          v.tf = std::max(v.tf, static_cast<float>(out.term_counts[f][t]) / n);
        });
    }
  }
  out.summaries.resize(out.values.size());
  for (size_t r = first_out; r < out.size(); ++r)
    for (size_t f = 0; f < nf; ++f)
      out.summaries[r * nf + f] =
          Summarize(out.schema.fields[f].comparator, out.values[r * nf + f]);
}

}  // namespace

uint64_t TermHash(std::string_view term) {
  if (term.empty()) return 0;
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : term) h = (h ^ c) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h | 1;  // never 0
}

int LevelCount(Comparator c) {
  switch (c) {
    case Comparator::kName:
    case Comparator::kDate:
      return 6;
    case Comparator::kText:
      return 5;
    case Comparator::kCode:
    case Comparator::kPlace:
    case Comparator::kIdNumber:
      return 4;
    case Comparator::kCategory:
      return 3;
  }
  return 1;
}

std::string_view LevelName(Comparator c, int level) {
  if (level == kMissing) return "missing";
  static const char* kName[] = {"", "exact", "close", "same_name", "partial", "different"};
  static const char* kText[] = {"", "exact", "very_similar", "similar", "different"};
  static const char* kCode[] = {"", "exact", "one_typo", "different"};
  static const char* kDate[] = {"", "exact", "one_typo", "overlap", "within_a_year", "conflict"};
  static const char* kPlace[] = {"", "same_place", "same_prefecture", "different"};
  static const char* kCategory[] = {"", "equal", "different"};
  if (level < 0 || level >= LevelCount(c)) return "?";
  switch (c) {
    case Comparator::kName:
      return kName[level];
    case Comparator::kText:
      return kText[level];
    case Comparator::kCode:
    case Comparator::kIdNumber:
      return kCode[level];
    case Comparator::kDate:
      return kDate[level];
    case Comparator::kPlace:
      return kPlace[level];
    case Comparator::kCategory:
      return kCategory[level];
  }
  return "?";
}

std::string_view ComparatorName(Comparator c) {
  switch (c) {
    case Comparator::kName:
      return "name";
    case Comparator::kText:
      return "text";
    case Comparator::kCode:
      return "code";
    case Comparator::kDate:
      return "date";
    case Comparator::kPlace:
      return "place";
    case Comparator::kIdNumber:
      return "id_number";
    case Comparator::kCategory:
      return "category";
  }
  return "?";
}

bool IsAgreement(Comparator c, int level) {
  switch (c) {
    case Comparator::kName:
      return level >= 1 && level <= 3;
    case Comparator::kText:
      return level == 1 || level == 2;
    default:
      return level == 1;
  }
}

int Schema::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

std::string Fold(std::string_view text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80 && !std::isalnum(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
  }
  return out;
}

FieldValue PrepareValue(const FieldSpec& spec, std::string_view raw) {
  FieldValue v;
  switch (spec.comparator) {
    case Comparator::kName: {
      auto key = names::MakeNameKey(raw);
      if (!key.ok() || key->tokens.empty()) break;
      v.missing = false;
      v.name = std::move(key).value();
      v.term = TermHash(NameTerm(v.name));
      NumberNameKey(v);
      break;
    }
    case Comparator::kText:
    case Comparator::kCode:
    case Comparator::kCategory:
      v.text = Fold(raw);
      v.missing = v.text.empty();
      v.term = TermHash(v.text);
      break;
    case Comparator::kDate:
      PrepareDate(raw, v);
      v.term = TermHash(v.text);
      break;
    case Comparator::kPlace:
      PreparePlace(raw, v);
      v.missing = v.text.empty();
      v.term = TermHash(v.place.empty() ? v.text : v.place);
      break;
    case Comparator::kIdNumber: {
      ids::IdCheck check = ids::Check(raw);
      v.text = check.normalized;
      v.missing = v.text.empty();
      v.id_valid = check.valid;
      v.id_kind = static_cast<uint8_t>(check.kind);
      v.term = TermHash(v.text);
      break;
    }
  }
  return v;
}

uint8_t CompareValues(Comparator c, const FieldValue& a, const FieldValue& b) {
  if (a.missing || b.missing) return kMissing;
  switch (c) {
    case Comparator::kName:
      return NameLevel(a.name_id, b.name_id, a, b);
    case Comparator::kText: {
      if (a.text == b.text) return 1;
      const double s = JaroWinkler(a.text, b.text);
      return s >= 0.94 ? 2 : s >= 0.85 ? 3 : 4;
    }
    case Comparator::kCode:
      if (a.text == b.text) return 1;
      return WithinOneEdit(a.text, b.text) ? 2 : 3;
    case Comparator::kDate:
      if (a.exact_day && b.exact_day) return ExactDaysLevel(a.text, b.text);
      return DateIntervalLevel(a.day_lo, a.day_hi, b.day_lo, b.day_hi);
    case Comparator::kPlace:
      if (!a.place.empty() && !b.place.empty()) {
        if (a.place == b.place) return 1;
        if (!a.prefecture.empty() && a.prefecture == b.prefecture) return 2;
        // A prefecture named on one side and one of its counties on the other.
        if (a.place == b.prefecture || b.place == a.prefecture) return 2;
        return 3;
      }
      return a.text == b.text ? 1 : 3;
    case Comparator::kIdNumber:
      // What ids::CompareIds decides first, from what Prepare already checked.
      if (a.text == b.text) return 1;
      if (a.text.size() != b.text.size() || (a.id_valid && b.id_valid)) return 3;
      switch (ids::CompareIds(a.text, b.text)) {
        case ids::IdAgreement::kEqual:
          return 1;
        case ids::IdAgreement::kOneTypo:
          return 2;
        case ids::IdAgreement::kDifferent:
          return 3;
      }
      return 3;
    case Comparator::kCategory:
      return a.text == b.text ? 1 : 2;
  }
  return kMissing;
}

namespace {

uint8_t LevelOf(double s) {
  if (s >= 0.999) return 1;
  if (s >= 0.93) return 2;
  if (s >= names::kSameNameThreshold) return 3;
  if (s >= 0.7) return 4;
  return 5;
}

uint8_t ScoreLevel(const FieldValue& a, const FieldValue& b) {
  return LevelOf(names::ScoreNames(a.name, b.name));
}

uint8_t NameLevel(uint32_t id_a, uint32_t id_b, const FieldValue& a, const FieldValue& b) {
  if (id_a == 0 || id_b == 0) return ScoreLevel(a, b);
  // Small enough to stay in the core's cache: the linker takes records in the order
  // of their names, so a name's pairs recur within a short stretch (a table of a
  // million slots caught 6% more of them at 100,000 records, at a cache miss per
  // look-up).
  constexpr int kBits = 15;  // 256 KiB per thread
  thread_local std::vector<uint64_t> slots(size_t{1} << kBits, 0);
  const uint64_t pair = (uint64_t{id_a} << 32 | id_b) & ((uint64_t{1} << 61) - 1);
  const size_t at = static_cast<size_t>((pair * 0x9e3779b97f4a7c15ULL) >> (64 - kBits));
  // The level sits in the low 3 bits; the pair above it.
  const uint64_t entry = slots[at];
  if (entry != 0 && (entry >> 3) == pair) return static_cast<uint8_t>(entry & 7);
  const uint8_t level = ScoreLevel(a, b);
  slots[at] = pair << 3 | level;
  return level;
}

}  // namespace

FieldSummary Summarize(Comparator c, const FieldValue& v) {
  FieldSummary s;
  s.missing = v.missing;
  s.tf = v.tf;
  s.derived = v.derived;
  if (v.missing) return s;
  switch (c) {
    case Comparator::kName:
      s.a = static_cast<int32_t>(v.name_id);
      break;
    case Comparator::kDate:
      s.a = v.day_lo;
      s.b = v.day_hi;
      s.exact_day = v.exact_day;
      s.packed = v.exact_day && v.text.size() == sizeof s.hash;
      if (s.packed)
        std::memcpy(&s.hash, v.text.data(), sizeof s.hash);
      else
        s.hash = TextHash(v.text);
      break;
    case Comparator::kPlace:
      s.a = CodeNumber(v.place);
      s.b = CodeNumber(v.prefecture);
      s.hash = TextHash(v.text);
      break;
    case Comparator::kIdNumber:
      s.a = static_cast<int32_t>(v.text.size());
      s.b = v.id_valid ? 1 : 0;
      s.hash = TextHash(v.text);
      break;
    default:
      s.hash = TextHash(v.text);
      break;
  }
  return s;
}

uint8_t CompareSummarized(Comparator c, const FieldSummary& sa, const FieldSummary& sb,
                          const FieldValue& a, const FieldValue& b) {
  if (sa.missing || sb.missing) return kMissing;
  switch (c) {
    case Comparator::kName:
      return NameLevel(static_cast<uint32_t>(sa.a), static_cast<uint32_t>(sb.a), a, b);
    case Comparator::kDate:
      if (sa.exact_day && sb.exact_day) {
        if (sa.packed && sb.packed) {
          char x[sizeof sa.hash], y[sizeof sb.hash];
          std::memcpy(x, &sa.hash, sizeof x);
          std::memcpy(y, &sb.hash, sizeof y);
          return ExactDaysLevel(std::string_view(x, sizeof x), std::string_view(y, sizeof y));
        }
        if (sa.hash == sb.hash) return 1;
        return CompareValues(c, a, b);  // typo or swapped day and month?
      }
      return DateIntervalLevel(sa.a, sa.b, sb.a, sb.b);
    case Comparator::kPlace:
      if (sa.a != 0 && sb.a != 0) {
        if (sa.a == sb.a) return 1;
        if (sa.b != 0 && sa.b == sb.b) return 2;
        if (sa.a == sb.b || sb.a == sa.b) return 2;
        return 3;
      }
      break;
    case Comparator::kIdNumber:
      // Two different numbers of different lengths, or both valid (CompareValues).
      if (sa.hash != sb.hash && (sa.a != sb.a || (sa.b && sb.b))) return 3;
      if (sa.hash == sb.hash && a.text == b.text) return 1;
      break;
    case Comparator::kText:
    case Comparator::kCode:
      if (sa.hash == sb.hash && a.text == b.text) return 1;
      break;  // typos and similarity need the text
    case Comparator::kCategory:
      return sa.hash == sb.hash ? 1 : 2;
  }
  return CompareValues(c, a, b);
}

void CountTerms(Prepared& out, size_t first) {
  const size_t nf = out.schema.fields.size();
  for (size_t f = 0; f < nf; ++f) {
    if (!out.schema.fields[f].term_frequency) continue;
    const bool name = out.schema.fields[f].comparator == Comparator::kName;
    for (size_t r = first; r < out.size(); ++r) {
      const FieldValue& v = out.values[r * nf + f];
      if (v.missing) continue;
      ++out.term_counts[f][v.term];
      if (name) ForEachPartTerm(v.name, [&](uint64_t t) { ++out.term_counts[f][t]; });
    }
  }
}

Prepared Prepare(const RawRecords& raw, int threads) {
  Prepared out;
  out.schema = raw.schema;
  out.term_counts.resize(raw.schema.fields.size());
  Append(out, raw, threads);
  return out;
}

void Append(Prepared& prepared, const RawRecords& raw, int threads) {
  const size_t first = prepared.size();
  prepared.ids.insert(prepared.ids.end(), raw.ids.begin(), raw.ids.end());
  prepared.values.resize(prepared.ids.size() * prepared.schema.fields.size());
  PrepareRange(prepared, raw, first, threads);
}

}  // namespace izde::link
