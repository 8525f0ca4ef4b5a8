// Linker::SaveState / LoadState: the linker's state as bytes. The layout is in
// docs/formats/link-state.md: fixed-width columns and arrays, each starting on an
// 8-byte boundary, so that a reader takes most of it where it lies (the block
// index is used in place, never copied) and decodes records column by column on
// several threads. Every read is bounds-checked, so damaged bytes end in kCorrupt
// naming the section, never in a crash or a half-read linker.
#include <string.h>  // explicit_bzero

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <span>
#include <thread>
#include <unordered_map>

#include "link/linker.h"
#include "link/rules_fingerprint.h"

namespace izde::link {
namespace {

static_assert(std::endian::native == std::endian::little, "link state arrays are little-endian");

constexpr char kMagic[8] = {'I', 'Z', 'L', 'S', 'T', 'A', 'T', 'E'};
constexpr uint32_t kVersion = 5;
constexpr char kDeltaMagic[8] = {'I', 'Z', 'L', 'D', 'E', 'L', 'T', 'A'};
constexpr uint32_t kDeltaVersion = 1;

// The columns of a field's values; a field writes only those its records use.
constexpr uint32_t kColText = 1, kColName = 2, kColTerm = 4, kColTf = 8, kColDays = 16,
                   kColPlace = 32, kColPrefecture = 64, kColIdKind = 128;
constexpr uint32_t kAllColumns = 255;
// A name part's role byte: names::PartRole in the low bits, and whether the part is
// the one known to be the father's name (names::NameKey::father) and whether it is
// written in Chinese characters.
constexpr uint8_t kRoleMask = 15, kRoleFather = 16, kRoleHan = 32;
uint8_t RoleByte(const names::KeyedToken& t, bool father) {
  return static_cast<uint8_t>(static_cast<uint8_t>(t.role) | (father ? kRoleFather : 0) |
                              (t.han ? kRoleHan : 0));
}
// Value flags.
constexpr uint8_t kFlagMissing = 1, kFlagExactDay = 2, kFlagIdValid = 4, kFlagDerived = 8;

class Writer {
 public:
  void Bytes(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  template <typename T>
  void Pod(const T& v) {
    Bytes(&v, sizeof v);
  }
  void U8(uint8_t v) { Pod(v); }
  void U32(uint32_t v) { Pod(v); }
  void U64(uint64_t v) { Pod(v); }
  void F64(double v) { Pod(v); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Bytes(s.data(), s.size());
  }
  // Zero bytes up to the next multiple of 8: arrays start aligned.
  void Align() {
    static const char kZeros[8] = {};
    Bytes(kZeros, (8 - out_.size() % 8) % 8);
  }
  template <typename T>
  void Array(const T* p, size_t n) {
    Align();
    Bytes(p, n * sizeof(T));
  }
  template <typename T>
  void Array(const std::vector<T>& v) {
    Array(v.data(), v.size());
  }
  size_t size() const { return out_.size(); }
  void Reserve(size_t n) { out_.reserve(n); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view in, const std::string& what) : in_(in), what_(what) {}
  bool ok() const { return ok_; }
  void Fail(const std::string& why) {
    if (ok_) error_ = why;
    ok_ = false;
  }
  Status Error() const {
    return Status::Corrupt(what_ + " is not a usable link state (" + error_ + " at byte " +
                           std::to_string(at_) + "); delete it to link from scratch");
  }
  bool Bytes(void* p, size_t n) {
    if (!ok_ || in_.size() - at_ < n) {
      Fail("it ends early");
      return false;
    }
    std::memcpy(p, in_.data() + at_, n);
    at_ += n;
    return true;
  }
  template <typename T>
  T Pod() {
    T v{};
    Bytes(&v, sizeof v);
    return v;
  }
  uint8_t U8() { return Pod<uint8_t>(); }
  uint32_t U32() { return Pod<uint32_t>(); }
  uint64_t U64() { return Pod<uint64_t>(); }
  double F64() { return Pod<double>(); }
  // A count of items at least `item_bytes` each: bounded by the bytes left.
  size_t Count(size_t item_bytes) {
    const uint64_t n = U64();
    if (ok_ && n > (in_.size() - at_) / std::max<size_t>(1, item_bytes)) {
      Fail("a count larger than the file");
      return 0;
    }
    return ok_ ? static_cast<size_t>(n) : 0;
  }
  std::string Str() {
    const uint32_t n = U32();
    if (!ok_ || in_.size() - at_ < n) {
      Fail("it ends early");
      return {};
    }
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }
  void Align() {
    const size_t pad = (8 - at_ % 8) % 8;
    if (!ok_ || in_.size() - at_ < pad) {
      Fail("it ends early");
      return;
    }
    for (size_t i = 0; i < pad; ++i)
      if (in_[at_ + i] != 0) {
        Fail("padding that is not zero");
        return;
      }
    at_ += pad;
  }
  // n items of T where they lie: the input starts on an 8-byte boundary and arrays
  // are aligned within it.
  template <typename T>
  std::span<const T> Array(size_t n) {
    Align();
    if (!ok_ || n > (in_.size() - at_) / sizeof(T)) {
      Fail("it ends early");
      return {};
    }
    const T* p = reinterpret_cast<const T*>(in_.data() + at_);
    at_ += n * sizeof(T);
    return {p, n};
  }
  bool AtEnd() const { return at_ == in_.size(); }
  size_t at() const { return at_; }

 private:
  std::string_view in_;
  std::string what_;
  size_t at_ = 0;
  bool ok_ = true;
  std::string error_;
};

// Strings stored once (texts, place codes, name stems): a record refers to them by
// number. Views into the strings being saved, which outlive the table.
class StringTable {
 public:
  StringTable() { Id(""); }
  uint32_t Id(std::string_view s) {
    auto [it, fresh] = ids_.emplace(s, static_cast<uint32_t>(strings_.size()));
    if (fresh) strings_.push_back(s);
    return it->second;
  }
  void Write(Writer& w) const {
    std::vector<uint64_t> offsets(strings_.size() + 1, 0);
    for (size_t i = 0; i < strings_.size(); ++i) offsets[i + 1] = offsets[i] + strings_[i].size();
    w.U64(strings_.size());
    w.Array(offsets);
    w.Align();
    for (auto s : strings_) w.Bytes(s.data(), s.size());
  }

 private:
  std::unordered_map<std::string_view, uint32_t> ids_;
  std::vector<std::string_view> strings_;
};

// Strings as written by StringTable::Write (or record ids: offsets, then the bytes).
struct StringsView {
  std::span<const uint64_t> offsets;  // size() + 1 entries
  std::string_view blob;
  size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::string_view at(size_t i) const {
    return blob.substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

StringsView ReadStrings(Reader& r, size_t count) {
  StringsView v;
  v.offsets = r.Array<uint64_t>(count + 1);
  if (!r.ok()) return {};
  if (v.offsets[0] != 0) r.Fail("string offsets that do not start at 0");
  for (size_t i = 0; i < count && r.ok(); ++i)
    if (v.offsets[i + 1] < v.offsets[i]) r.Fail("string offsets out of order");
  const auto blob = r.Array<char>(r.ok() ? v.offsets[count] : 0);
  if (!r.ok()) return {};
  v.blob = std::string_view(blob.data(), blob.size());
  return v;
}

// One field's columns as read (empty spans for columns the field does not have).
struct FieldColumns {
  uint32_t present = 0;
  std::span<const uint8_t> flags, id_kind;
  std::span<const uint32_t> text, name, place, prefecture;
  std::span<const uint64_t> term;
  std::span<const float> tf;
  std::span<const int32_t> day_lo, day_hi;
};

// The state's tables, for decoding a record's values (LoadState checked every
// number in them, so decoding cannot fail).
struct ValueTables {
  StringsView strings;
  std::span<const uint32_t> key_start, key_stems, key_alts;
  std::span<const uint8_t> key_roles;
  std::vector<FieldColumns> columns;

  // Why record r's numbers do not fit the tables, or null: decoding it cannot fail.
  const char* Check(size_t r) const {
    const size_t string_count = strings.size();
    const size_t key_count = key_start.empty() ? 0 : key_start.size() - 1;
    auto bad = [&](std::span<const uint32_t> column, size_t limit) {
      return !column.empty() && column[r] >= limit;
    };
    for (const FieldColumns& c : columns) {
      if (c.flags[r] & ~15) return "an unknown value flag";
      if (bad(c.text, string_count) || bad(c.place, string_count) ||
          bad(c.prefecture, string_count))
        return "a text not in the string table";
      if (bad(c.name, key_count)) return "a name not in the name table";
    }
    return nullptr;
  }
  // Every member of v from record r's columns (defaults where a column is absent);
  // the name only `with_name`.
  void Decode(size_t r, size_t f, FieldValue& v, bool with_name) const {
    const FieldColumns& c = columns[f];
    const uint8_t flags = c.flags[r];
    v.missing = flags & kFlagMissing;
    v.exact_day = flags & kFlagExactDay;
    v.id_valid = flags & kFlagIdValid;
    v.derived = flags & kFlagDerived;
    Assign(v.text, c.text, r);
    v.name.tokens.clear();
    v.name.father = -1;
    v.name_id = 0;  // numbers are per process: a loaded name is compared directly
    if (with_name && !c.name.empty())
      for (uint32_t t = key_start[c.name[r]]; t < key_start[c.name[r] + 1]; ++t) {
        const uint8_t role = key_roles[t];
        if (role & kRoleFather) v.name.father = static_cast<int>(v.name.tokens.size());
        names::KeyedToken token;
        token.stem = strings.at(key_stems[t]);
        token.alt_stem = strings.at(key_alts[t]);
        token.role = static_cast<names::PartRole>(role & kRoleMask);
        token.han = role & kRoleHan;
        v.name.tokens.push_back(std::move(token));
      }
    v.term = c.term.empty() ? 0 : c.term[r];
    v.tf = c.tf.empty() ? 0 : c.tf[r];
    v.day_lo = c.day_lo.empty() ? 0 : c.day_lo[r];
    v.day_hi = c.day_hi.empty() ? 0 : c.day_hi[r];
    Assign(v.place, c.place, r);
    Assign(v.prefecture, c.prefecture, r);
    v.id_kind = c.id_kind.empty() ? 0 : c.id_kind[r];
  }
  void Assign(std::string& out, std::span<const uint32_t> column, size_t r) const {
    if (column.empty())
      out.clear();
    else
      out.assign(strings.at(column[r]));
  }
};

// The "values" part of a state or delta of n records (string table, name keys,
// columns), located and its tables checked; Check then checks each record.
ValueTables ReadValueTables(Reader& r, size_t n, size_t nf) {
  ValueTables out;
  const size_t string_count = r.Count(8);
  const StringsView strings = ReadStrings(r, string_count);
  const size_t key_count = r.Count(4);
  const auto key_start = r.Array<uint32_t>(key_count + 1);
  size_t tokens = 0;
  if (r.ok()) {
    if (key_start[0] != 0) r.Fail("name keys that do not start at 0");
    for (size_t k = 0; k < key_count && r.ok(); ++k)
      if (key_start[k + 1] < key_start[k] ||
          key_start[k + 1] - key_start[k] > names::kMaxKeyedTokens)
        r.Fail("a name key out of order or with too many parts");
    tokens = r.ok() ? key_start[key_count] : 0;
  }
  const auto key_stems = r.Array<uint32_t>(tokens);
  const auto key_alts = r.Array<uint32_t>(tokens);
  const auto key_roles = r.Array<uint8_t>(tokens);
  std::vector<FieldColumns> columns(nf);
  for (size_t f = 0; f < nf && r.ok(); ++f) {
    FieldColumns& c = columns[f];
    r.Align();
    c.present = r.U32();
    if (r.ok() && (c.present & ~kAllColumns)) r.Fail("an unknown value column");
    c.flags = r.Array<uint8_t>(n);
    if (c.present & kColText) c.text = r.Array<uint32_t>(n);
    if (c.present & kColName) c.name = r.Array<uint32_t>(n);
    if (c.present & kColTerm) c.term = r.Array<uint64_t>(n);
    if (c.present & kColTf) c.tf = r.Array<float>(n);
    if (c.present & kColDays) {
      c.day_lo = r.Array<int32_t>(n);
      c.day_hi = r.Array<int32_t>(n);
    }
    if (c.present & kColPlace) c.place = r.Array<uint32_t>(n);
    if (c.present & kColPrefecture) c.prefecture = r.Array<uint32_t>(n);
    if (c.present & kColIdKind) c.id_kind = r.Array<uint8_t>(n);
  }
  if (!r.ok()) return out;
  for (size_t k = 0; k < key_count && r.ok(); ++k)
    for (uint32_t t = key_start[k]; t < key_start[k + 1] && r.ok(); ++t) {
      if (key_stems[t] >= string_count || key_alts[t] >= string_count)
        r.Fail("a name part that is not in the string table");
      else if ((key_roles[t] & ~(kRoleMask | kRoleFather | kRoleHan)) ||
               (key_roles[t] & kRoleMask) > static_cast<uint8_t>(names::PartRole::kParticle))
        r.Fail("an unknown name role");
    }
  out.strings = strings;
  out.key_start = key_start;
  out.key_stems = key_stems;
  out.key_alts = key_alts;
  out.key_roles = key_roles;
  out.columns = std::move(columns);
  return out;
}

// Records' values decoded from the state's bytes when first used.
class StateValues : public ValueSource<FieldValue> {
 public:
  StateValues(ValueTables tables, std::shared_ptr<const std::string> bytes)
      : tables_(std::move(tables)), bytes_(std::move(bytes)) {}
  void Decode(size_t record, FieldValue* out) const override {
    for (size_t f = 0; f < tables_.columns.size(); ++f) tables_.Decode(record, f, out[f], true);
  }
  const ValueTables& tables() const { return tables_; }

 private:
  ValueTables tables_;
  std::shared_ptr<const std::string> bytes_;  // what the tables point into
};

void Wipe(std::string* s) {
  explicit_bzero(s->data(), s->size());
  delete s;
}

// The values of records [from, to) of p, as columns per field (the "values" part
// of docs/formats/link-state.md, with its string table and name keys before it).
void WriteValues(Writer& w, const Prepared& p, size_t from, size_t to) {
  const size_t nf = p.schema.fields.size();
  // Values, as columns per field; strings and name keys are stored once and
  // referred to by number.
  StringTable strings;
  std::unordered_map<std::string, uint32_t> key_ids;
  std::vector<uint32_t> key_start = {0, 0};  // key 0: no name
  std::vector<uint32_t> key_stems, key_alts;
  std::vector<uint8_t> key_roles;
  key_ids.emplace(std::string(), 0);
  struct Columns {
    uint32_t present = 0;
    std::vector<uint8_t> flags, id_kind;
    std::vector<uint32_t> text, name, place, prefecture;
    std::vector<uint64_t> term;
    std::vector<float> tf;
    std::vector<int32_t> day_lo, day_hi;
  };
  std::vector<Columns> columns(nf);
  // Records read from a state and not changed since: their columns are copied from
  // the state's bytes rather than decoded.
  const auto* source = dynamic_cast<const StateValues*>(p.values.source());
  const size_t lazy = source ? std::min(to, p.values.lazy_records()) : 0;
  // A name key's number; parts as (stem, alternative stem, role), the strings
  // outliving this function (the StringTable keeps views).
  struct Part {
    std::string_view stem, alt;
    uint8_t role;
  };
  std::vector<Part> parts;
  std::string packed;
  auto intern_key = [&]() {
    packed.clear();
    for (const Part& t : parts) {
      const uint32_t ids[2] = {strings.Id(t.stem), strings.Id(t.alt)};
      packed.append(reinterpret_cast<const char*>(ids), sizeof ids);
      packed += static_cast<char>(t.role);
    }
    auto [it, fresh] = key_ids.emplace(packed, static_cast<uint32_t>(key_start.size() - 1));
    if (fresh) {
      for (const Part& t : parts) {
        key_stems.push_back(strings.Id(t.stem));
        key_alts.push_back(strings.Id(t.alt));
        key_roles.push_back(t.role);
      }
      key_start.push_back(static_cast<uint32_t>(key_stems.size()));
    }
    return it->second;
  };
  std::vector<uint32_t> key_of_old;     // a stored name key's new number, or UINT32_MAX
  std::vector<uint32_t> key_of_number;  // the same by FieldValue::name_id
  std::vector<uint32_t> string_of_old;  // a stored string's new number, or UINT32_MAX
  if (source) {
    key_of_old.assign(source->tables().key_start.size(), UINT32_MAX);
    string_of_old.assign(source->tables().strings.size(), UINT32_MAX);
  }
  for (size_t f = 0; f < nf; ++f) {
    Columns& c = columns[f];
    if (source) c.present = source->tables().columns[f].present;
    for (size_t r = std::max(from, lazy); r < to; ++r) {
      const FieldValue& v = p.values[r * nf + f];
      c.present |=
          (v.text.empty() ? 0u : kColText) | (v.name.tokens.empty() ? 0u : kColName) |
          (v.term == 0 ? 0u : kColTerm) | (v.tf == 0 ? 0u : kColTf) |
          (v.day_lo == 0 && v.day_hi == 0 ? 0u : kColDays) | (v.place.empty() ? 0u : kColPlace) |
          (v.prefecture.empty() ? 0u : kColPrefecture) | (v.id_kind == 0 ? 0u : kColIdKind);
    }
    c.flags.resize(to - from);
    if (source) {
      const ValueTables& old = source->tables();
      const FieldColumns& o = old.columns[f];
      auto str = [&](std::span<const uint32_t> column, size_t r) {
        if (column.empty()) return strings.Id("");
        uint32_t& id = string_of_old[column[r]];
        if (id == UINT32_MAX) id = strings.Id(old.strings.at(column[r]));
        return id;
      };
      for (size_t r = from; r < lazy; ++r) {
        c.flags[r - from] = o.flags[r];
        if (c.present & kColText) c.text.push_back(str(o.text, r));
        if (c.present & kColName) {
          if (o.name.empty()) {
            parts.clear();
            c.name.push_back(intern_key());
          } else {
            uint32_t& k = key_of_old[o.name[r]];
            if (k == UINT32_MAX) {
              parts.clear();
              for (uint32_t t = old.key_start[o.name[r]]; t < old.key_start[o.name[r] + 1]; ++t)
                parts.push_back({old.strings.at(old.key_stems[t]), old.strings.at(old.key_alts[t]),
                                 old.key_roles[t]});
              k = intern_key();
            }
            c.name.push_back(k);
          }
        }
        if (c.present & kColTerm) c.term.push_back(o.term.empty() ? 0 : o.term[r]);
        if (c.present & kColTf) c.tf.push_back(o.tf.empty() ? 0 : o.tf[r]);
        if (c.present & kColDays) {
          c.day_lo.push_back(o.day_lo.empty() ? 0 : o.day_lo[r]);
          c.day_hi.push_back(o.day_hi.empty() ? 0 : o.day_hi[r]);
        }
        if (c.present & kColPlace) c.place.push_back(str(o.place, r));
        if (c.present & kColPrefecture) c.prefecture.push_back(str(o.prefecture, r));
        if (c.present & kColIdKind) c.id_kind.push_back(o.id_kind.empty() ? 0 : o.id_kind[r]);
      }
    }
    for (size_t r = std::max(from, lazy); r < to; ++r) {
      const FieldValue& v = p.values[r * nf + f];
      c.flags[r - from] =
          static_cast<uint8_t>((v.missing ? kFlagMissing : 0) | (v.exact_day ? kFlagExactDay : 0) |
                               (v.id_valid ? kFlagIdValid : 0) | (v.derived ? kFlagDerived : 0));
      if (c.present & kColText) c.text.push_back(strings.Id(v.text));
      if (c.present & kColName) {
        // Equal keys have equal numbers in this process: each is packed once.
        uint32_t* known = nullptr;
        if (v.name_id != 0) {
          if (key_of_number.size() <= v.name_id) key_of_number.resize(v.name_id + 1, UINT32_MAX);
          known = &key_of_number[v.name_id];
        }
        if (known && *known != UINT32_MAX) {
          c.name.push_back(*known);
        } else {
          parts.clear();
          for (size_t i = 0; i < v.name.tokens.size(); ++i) {
            const auto& t = v.name.tokens[i];
            parts.push_back(
                {t.stem, t.alt_stem, RoleByte(t, static_cast<int>(i) == v.name.father)});
          }
          c.name.push_back(intern_key());
          if (known) *known = c.name.back();
        }
      }
      if (c.present & kColTerm) c.term.push_back(v.term);
      if (c.present & kColTf) c.tf.push_back(v.tf);
      if (c.present & kColDays) {
        c.day_lo.push_back(v.day_lo);
        c.day_hi.push_back(v.day_hi);
      }
      if (c.present & kColPlace) c.place.push_back(strings.Id(v.place));
      if (c.present & kColPrefecture) c.prefecture.push_back(strings.Id(v.prefecture));
      if (c.present & kColIdKind) c.id_kind.push_back(v.id_kind);
    }
  }
  strings.Write(w);
  w.U64(key_start.size() - 1);
  w.Array(key_start);
  w.Array(key_stems);
  w.Array(key_alts);
  w.Array(key_roles);
  for (const Columns& c : columns) {
    w.Align();
    w.U32(c.present);
    w.Array(c.flags);
    if (c.present & kColText) w.Array(c.text);
    if (c.present & kColName) w.Array(c.name);
    if (c.present & kColTerm) w.Array(c.term);
    if (c.present & kColTf) w.Array(c.tf);
    if (c.present & kColDays) {
      w.Array(c.day_lo);
      w.Array(c.day_hi);
    }
    if (c.present & kColPlace) w.Array(c.place);
    if (c.present & kColPrefecture) w.Array(c.prefecture);
    if (c.present & kColIdKind) w.Array(c.id_kind);
  }
  columns.clear();
}

void WriteModel(Writer& w, const Model& model) {
  w.F64(model.prior);
  w.U32(static_cast<uint32_t>(model.em_iterations));
  for (const auto& fw : model.fields) {
    w.U64(fw.m.size());
    for (size_t l = 0; l < fw.m.size(); ++l) {
      w.F64(fw.m[l]);
      w.F64(fw.u[l]);
    }
  }
}

Model ReadModel(Reader& r, const Schema& schema) {
  Model model;
  model.prior = r.F64();
  model.em_iterations = static_cast<int>(r.U32());
  for (size_t f = 0; f < schema.fields.size() && r.ok(); ++f) {
    FieldWeights fw;
    const size_t levels = r.Count(16);
    if (r.ok() && levels != static_cast<size_t>(LevelCount(schema.fields[f].comparator)))
      r.Fail("a model with the wrong number of levels");
    for (size_t lv = 0; lv < levels && r.ok(); ++lv) {
      fw.m.push_back(r.F64());
      fw.u.push_back(r.F64());
    }
    model.fields.push_back(std::move(fw));
  }
  if (r.ok() && !(model.prior > 0 && model.prior < 1)) r.Fail("a prior outside (0, 1)");
  return model;
}

// Scored pairs as columns: count, a, b, score, then nf levels per pair.
void WritePairs(Writer& w, std::span<const ScoredPair> pairs, size_t nf) {
  const size_t m = pairs.size();
  std::vector<uint32_t> col(m);
  w.U64(m);
  for (size_t i = 0; i < m; ++i) col[i] = pairs[i].a;
  w.Array(col);
  for (size_t i = 0; i < m; ++i) col[i] = pairs[i].b;
  w.Array(col);
  std::vector<float> scores(m);
  for (size_t i = 0; i < m; ++i) scores[i] = pairs[i].score;
  w.Array(scores);
  w.Align();
  for (size_t i = 0; i < m; ++i) w.Bytes(pairs[i].levels.data(), nf);
}

// Appends WritePairs' pairs to out, checking them against n records.
void ReadPairs(Reader& r, size_t n, const Schema& schema, std::vector<ScoredPair>& out) {
  const size_t nf = schema.fields.size();
  const size_t pairs = r.Count(12 + nf);
  const auto pair_a = r.Array<uint32_t>(pairs);
  const auto pair_b = r.Array<uint32_t>(pairs);
  const auto pair_score = r.Array<float>(pairs);
  const auto pair_levels = r.Array<uint8_t>(pairs * nf);
  if (!r.ok()) return;
  std::array<uint8_t, kMaxFields> level_count{};
  for (size_t f = 0; f < nf; ++f)
    level_count[f] = static_cast<uint8_t>(LevelCount(schema.fields[f].comparator));
  const size_t first = out.size();
  out.resize(first + pairs);
  bool bad = false;
  for (size_t i = 0; i < pairs; ++i) {
    ScoredPair& sp = out[first + i];
    sp.a = pair_a[i];
    sp.b = pair_b[i];
    sp.score = pair_score[i];
    bad |= sp.a >= n || sp.b >= n;
    for (size_t f = 0; f < nf; ++f) {
      sp.levels[f] = pair_levels[i * nf + f];
      bad |= sp.levels[f] >= level_count[f];
    }
  }
  if (bad) r.Fail("a pair of records that are not there, or a level out of range");
}

// What a delta says about the state it follows: a hash of its last record's id and
// fingerprint (with the record count, which the delta also states), so that a delta
// put after another state is refused even where the sealed file's chain is not there
// to refuse it.
uint64_t TailMark(const std::vector<std::string>& ids, const std::vector<uint64_t>& fingerprints,
                  size_t n) {
  uint64_t h = 1469598103934665603ULL ^ n;
  if (n == 0) return h;
  for (unsigned char c : ids[n - 1]) h = (h ^ c) * 1099511628211ULL;
  return (h ^ fingerprints[n - 1]) * 1099511628211ULL;
}

}  // namespace

uint64_t Linker::RawFingerprint(const std::vector<std::string>& values) {
  uint64_t h = 1469598103934665603ULL;
  for (const auto& v : values) {
    for (unsigned char c : v) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;  // field separator
  }
  return h;
}

std::string Linker::SaveState(bool with_pairs) const {
  Writer w;
  w.Bytes(kMagic, sizeof kMagic);
  w.U32(kVersion);
  w.U64(RulesFingerprint(prepared_.schema));
  // Options that decide results (threads is the caller's).
  w.U64(options_.max_block_size);
  w.U64(options_.u_samples);
  w.U64(options_.seed);
  w.F64(options_.pair_floor);
  w.F64(options_.match_probability);
  w.U8(options_.fix_u);
  w.F64(options_.cluster.min_mean_probability);
  w.F64(options_.cluster.veto_probability);
  w.U64(options_.cluster.max_member_pairs);
  // Schema.
  const Schema& schema = prepared_.schema;
  const size_t nf = schema.fields.size();
  w.U64(nf);
  for (const auto& f : schema.fields) {
    w.Str(f.name);
    w.U8(static_cast<uint8_t>(f.comparator));
    w.U8(f.term_frequency);
  }
  WriteModel(w, model_);
  const size_t n = prepared_.size();
  // Record ids and fingerprints.
  w.U64(n);
  {
    std::vector<uint64_t> offsets(n + 1, 0);
    for (size_t r = 0; r < n; ++r) offsets[r + 1] = offsets[r] + prepared_.ids[r].size();
    w.Array(offsets);
    w.Align();
    for (const auto& id : prepared_.ids) w.Bytes(id.data(), id.size());
  }
  w.Array(fingerprints_);
  WriteValues(w, prepared_, 0, n);
  // Term counts, sorted by term.
  for (size_t f = 0; f < nf; ++f) {
    std::vector<std::pair<uint64_t, uint32_t>> sorted(prepared_.term_counts[f].begin(),
                                                      prepared_.term_counts[f].end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<uint64_t> terms(sorted.size());
    std::vector<uint32_t> counts(sorted.size());
    for (size_t i = 0; i < sorted.size(); ++i) {
      terms[i] = sorted[i].first;
      counts[i] = sorted[i].second;
    }
    w.U64(sorted.size());
    w.Array(terms);
    w.Array(counts);
  }
  // Block index: sorted entries.
  // Written from the index's own arrays when it has no additions (a second copy of
  // tens of millions of entries would not fit beside a million records in 4 GB).
  std::vector<uint64_t> merged_keys;
  std::vector<uint32_t> merged_records;
  if (!index_->consolidated()) index_->Entries(merged_keys, merged_records);
  const std::span<const uint64_t> keys =
      index_->consolidated() ? index_->sorted_keys() : std::span<const uint64_t>(merged_keys);
  const std::span<const uint32_t> records =
      index_->consolidated() ? index_->sorted_records() : std::span<const uint32_t>(merged_records);
  w.Reserve(w.size() + keys.size() * 12 + n * 4 + (with_pairs ? pairs_.size() * (12 + nf) : 0) +
            (1 << 20));
  w.U64(keys.size());
  w.Array(keys.data(), keys.size());
  w.Array(records.data(), records.size());
  std::vector<uint64_t>().swap(merged_keys);
  std::vector<uint32_t>().swap(merged_records);
  // Clusters: each record's root, and the names of roots not named after themselves.
  {
    std::vector<uint32_t> roots(n);
    for (uint32_t r = 0; r < n; ++r) roots[r] = clusters_.Find(r);
    w.Array(roots);
  }
  std::vector<uint32_t> renamed;
  for (const auto& [root, name] : renamed_)
    if (clusters_.Find(root) == root && name != prepared_.ids[root]) renamed.push_back(root);
  std::sort(renamed.begin(), renamed.end());
  w.U64(renamed.size());
  for (uint32_t r : renamed) {
    w.U32(r);
    w.Str(renamed_.at(r));
  }
  // Constraints: explicit cannot-link pairs.
  const auto forbidden = constraints_.CannotLinkPairs();
  w.U64(forbidden.size());
  for (const auto& [a, b] : forbidden) {
    w.U32(a);
    w.U32(b);
  }
  // Kept pairs (for a review queue rebuilt with a re-estimated model), as columns.
  WritePairs(w, with_pairs ? std::span<const ScoredPair>(pairs_) : std::span<const ScoredPair>(),
             nf);
  w.Bytes(kMagic, sizeof kMagic);  // end marker: a file cut short is told apart
  return w.Take();
}

Result<Linker> Linker::LoadState(std::string_view bytes, int threads, const std::string& what) {
  return LoadState(std::string(bytes), threads, what);
}

Result<Linker> Linker::LoadState(std::string&& bytes, int threads, const std::string& what) {
  return Load(std::move(bytes), nullptr, threads, what);
}

Result<Linker> Linker::LoadState(std::string&& bytes, std::vector<std::string>&& deltas,
                                 int threads, const std::string& what) {
  auto l = Load(std::move(bytes), &deltas, threads, what);
  for (auto& d : deltas) explicit_bzero(d.data(), d.size());
  return l;
}

Result<Linker> Linker::Load(std::string&& bytes_in, std::vector<std::string>* deltas, int threads,
                            const std::string& what) {
  // The bytes stay with the block index (read in place) and are wiped when it goes.
  std::shared_ptr<std::string> owner(new std::string(std::move(bytes_in)), Wipe);
  explicit_bzero(bytes_in.data(), bytes_in.size());
  if (reinterpret_cast<uintptr_t>(owner->data()) % 8 != 0) {  // a short string: realign
    std::shared_ptr<std::string> copy(new std::string(), Wipe);
    copy->reserve(std::max<size_t>(owner->size(), 32));
    copy->assign(*owner);
    owner = std::move(copy);
  }
  const std::string_view bytes = *owner;
  Reader r(bytes, what);
  char magic[8];
  if (!r.Bytes(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0)
    return Status::Corrupt(what + " is not an izde link state file");
  const uint32_t version = r.U32();
  if (r.ok() && version != kVersion)
    return Status::Corrupt(what + " is a link state of version " + std::to_string(version) +
                           "; this izde reads version " + std::to_string(kVersion) +
                           " (delete it to link from scratch)");
  const uint64_t rules = r.U64();
  LinkOptions o;
  o.threads = std::max(1, threads);
  o.max_block_size = r.U64();
  o.u_samples = r.U64();
  o.seed = r.U64();
  o.pair_floor = r.F64();
  o.match_probability = r.F64();
  o.fix_u = r.U8() != 0;
  o.cluster.min_mean_probability = r.F64();
  o.cluster.veto_probability = r.F64();
  o.cluster.max_member_pairs = r.U64();
  Schema schema;
  const size_t nf = r.Count(6);
  if (nf > kMaxFields) r.Fail("too many fields");
  for (size_t f = 0; f < nf && r.ok(); ++f) {
    FieldSpec spec;
    spec.name = r.Str();
    const uint8_t c = r.U8();
    if (c > static_cast<uint8_t>(Comparator::kCategory)) r.Fail("an unknown comparator");
    spec.comparator = static_cast<Comparator>(c);
    spec.term_frequency = r.U8() != 0;
    schema.fields.push_back(std::move(spec));
  }
  if (!r.ok()) return r.Error();
  // Keys made under other rules would not meet the ones this izde makes for new records.
  if (rules != RulesFingerprint(schema))
    return Status::Corrupt(what +
                           " was made by an izde whose name, date, place or blocking rules "
                           "differ from this one's, so its keys would not meet new records' "
                           "keys; delete it to link from scratch (cluster ids are then given "
                           "anew), or keep linking with the izde that made it");
  Linker l(o, schema);
  l.model_ = ReadModel(r, schema);
  // Every section is located first (bounds-checked views), then decoded.
  const size_t n = r.Count(8 + nf);
  if (n >= UINT32_MAX) r.Fail("too many records");
  const StringsView ids = ReadStrings(r, n);
  const auto fingerprints = r.Array<uint64_t>(n);
  auto tables = std::make_shared<ValueTables>(ReadValueTables(r, n, nf));
  if (!r.ok()) return r.Error();
  if (!r.ok()) return r.Error();
  Prepared& p = l.prepared_;
  p.schema = schema;
  // Room for the records a run adds, so that Add does not move what is there.
  size_t delta_records = 0;  // as the last delta's header says (checked when it is read)
  if (deltas && !deltas->empty() && deltas->back().size() >= 28) {
    uint64_t after = 0, before = 0;
    std::memcpy(&before, deltas->back().data() + 12, 8);
    std::memcpy(&after, deltas->back().data() + 20, 8);
    if (after >= n && after < UINT32_MAX) delta_records = static_cast<size_t>(after - n);
  }
  const size_t room = n + delta_records + (n + delta_records) / 32 + 1024;
  p.ids.reserve(room);
  p.ids.resize(n);
  p.summaries.reserve(room * nf);
  p.summaries.resize(n * nf);
  l.fingerprints_.reserve(room);
  l.fingerprints_.assign(fingerprints.begin(), fingerprints.end());
  // Ids and summaries now, on the caller's threads; every number in the columns is
  // checked on the way, since values are decoded later and cannot fail then.
  const size_t workers = std::min<size_t>(static_cast<size_t>(o.threads), 8);
  std::vector<std::string> errors(workers);
  std::vector<std::thread> pool;
  for (size_t t = 0; t < workers; ++t)
    pool.emplace_back([&, t] {
      auto fail = [&](size_t i, const char* why) {
        errors[t] = "record " + std::to_string(i + 1) + ": " + why;
      };
      FieldValue v;
      for (size_t i = t * n / workers; i < (t + 1) * n / workers; ++i) {
        p.ids[i] = ids.at(i);
        if (const char* why = tables->Check(i)) return fail(i, why);
        for (size_t f = 0; f < nf; ++f) {
          tables->Decode(i, f, v, false);
          p.summaries[i * nf + f] = Summarize(schema.fields[f].comparator, v);
        }
      }
    });
  for (auto& th : pool) th.join();
  for (const auto& e : errors)
    if (!e.empty()) r.Fail(e);
  p.term_counts.resize(nf);
  for (size_t f = 0; f < nf && r.ok(); ++f) {
    const size_t terms = r.Count(12);
    const auto term = r.Array<uint64_t>(terms);
    const auto count = r.Array<uint32_t>(terms);
    p.term_counts[f].reserve(terms);
    for (size_t i = 0; i < terms && r.ok(); ++i) p.term_counts[f].emplace(term[i], count[i]);
  }
  if (!r.ok()) return r.Error();
  const size_t entries = r.Count(12);
  const auto index_keys = r.Array<uint64_t>(entries);
  const auto index_records = r.Array<uint32_t>(entries);
  if (r.ok()) {
    uint32_t bad = 0;
    for (uint32_t rec : index_records) bad |= rec >= n;
    if (bad) r.Fail("a block entry for a record that is not there");
  }
  if (r.ok() && !std::is_sorted(index_keys.begin(), index_keys.end()))
    r.Fail("an unsorted block index");
  if (!r.ok()) return r.Error();
  const size_t index_end = r.at();
  std::vector<uint32_t> root_of;
  {
    const auto roots = r.Array<uint32_t>(n);
    root_of.reserve(room);
    root_of.assign(roots.begin(), roots.end());
    for (size_t i = 0; i < n && r.ok(); ++i)
      if (root_of[i] >= n || root_of[root_of[i]] != root_of[i])
        r.Fail("clusters that do not add up");
  }
  const size_t renamed = r.Count(8);
  for (size_t i = 0; i < renamed && r.ok(); ++i) {
    const uint32_t root = r.U32();
    std::string name = r.Str();
    if (r.ok() && (root >= n || root_of[root] != root)) r.Fail("a cluster name for a non-root");
    if (r.ok()) l.renamed_[root] = std::move(name);
  }
  const size_t forbidden = r.Count(8);
  for (size_t i = 0; i < forbidden && r.ok(); ++i) {
    const uint32_t a = r.U32(), b = r.U32();
    if (r.ok() && (a >= n || b >= n)) r.Fail("a cannot-link pair for a record that is not there");
    if (r.ok()) l.constraints_.AddCannotLink(a, b);
  }
  ReadPairs(r, n, schema, l.pairs_);
  if (r.ok() && (!r.Bytes(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0))
    r.Fail("no end marker");
  if (r.ok() && !r.AtEnd()) r.Fail("bytes after the end marker");
  if (!r.ok()) return r.Error();
  // The values and the block index are read where they lie; what follows them is
  // decoded.
  explicit_bzero(owner->data() + index_end, owner->size() - index_end);
  p.values.SetSource(std::make_shared<StateValues>(std::move(*tables), owner), n, nf);
  p.values.reserve(room * nf);
  l.index_->Restore(index_keys, index_records, std::move(owner));
  if (deltas)
    for (size_t d = 0; d < deltas->size(); ++d)
      IZDE_RETURN_IF_ERROR(l.ApplyDelta((*deltas)[d], d + 1, what, root_of));
  if (deltas && !deltas->empty()) {
    // Checked as the base's were: every root its own root, names only for roots.
    const size_t total = root_of.size();
    for (size_t i = 0; i < total; ++i)
      if (root_of[i] >= total || root_of[root_of[i]] != root_of[i])
        return Status::Corrupt(what +
                               " is not a usable link state (its appended parts leave "
                               "clusters that do not add up); delete it to link from "
                               "scratch");
    for (const auto& [root, name] : l.renamed_)
      if (root >= total || root_of[root] != root)
        return Status::Corrupt(what +
                               " is not a usable link state (its appended parts name a "
                               "cluster by a record that is not its root); delete it to "
                               "link from scratch");
  }
  l.clusters_.Restore(root_of);
  l.saved_.emplace();
  l.saved_->records = l.prepared_.size();
  l.saved_->pairs = l.pairs_.size();
  l.saved_->roots = std::move(root_of);
  l.saved_->renamed = l.renamed_;
  l.saved_->cannot = l.constraints_.CannotLinkPairs();
  return l;
}

// A delta (docs/formats/link-state.md, "Deltas"): the records a run added, with
// their values, and what changed in the clusters, model, constraints and pairs.
std::string Linker::SaveDelta(bool with_pairs) const {
  const Saved& saved = *saved_;
  const size_t n0 = saved.records, n = prepared_.size();
  const size_t nf = prepared_.schema.fields.size();
  Writer w;
  w.Bytes(kDeltaMagic, sizeof kDeltaMagic);
  w.U32(kDeltaVersion);
  w.U64(n0);
  w.U64(n);
  w.U64(TailMark(prepared_.ids, fingerprints_, n0));
  WriteModel(w, model_);
  {
    std::vector<uint64_t> offsets(n - n0 + 1, 0);
    for (size_t r = n0; r < n; ++r) offsets[r - n0 + 1] = offsets[r - n0] + prepared_.ids[r].size();
    w.Array(offsets);
    w.Align();
    for (size_t r = n0; r < n; ++r) w.Bytes(prepared_.ids[r].data(), prepared_.ids[r].size());
  }
  w.Array(fingerprints_.data() + n0, n - n0);
  WriteValues(w, prepared_, n0, n);
  // Records whose root changed, and every new record's.
  std::vector<uint32_t> moved, root;
  for (uint32_t r = 0; r < n; ++r) {
    const uint32_t now = clusters_.Find(r);
    if (r >= n0 || saved.roots[r] != now) {
      moved.push_back(r);
      root.push_back(now);
    }
  }
  w.U64(moved.size());
  w.Array(moved);
  w.Array(root);
  // Cluster names set (1) or dropped (0), by root. Cluster leaves names behind on
  // records that are no longer roots; only the names in use count (as in SaveState).
  std::vector<std::pair<uint32_t, const std::string*>> names;
  for (const auto& [r, name] : renamed_) {
    if (!NameInUse(r, name)) continue;
    auto it = saved.renamed.find(r);
    if (it == saved.renamed.end() || it->second != name) names.emplace_back(r, &name);
  }
  for (const auto& [r, name] : saved.renamed) {
    auto it = renamed_.find(r);
    if (it == renamed_.end() || !NameInUse(r, it->second)) names.emplace_back(r, nullptr);
  }
  std::sort(names.begin(), names.end());
  w.U64(names.size());
  for (const auto& [r, name] : names) {
    w.U32(r);
    w.U8(name ? 1 : 0);
    w.Str(name ? *name : std::string_view());
  }
  // Cannot-link pairs added.
  std::vector<std::pair<uint32_t, uint32_t>> added;
  const auto cannot = constraints_.CannotLinkPairs();
  std::set_difference(cannot.begin(), cannot.end(), saved.cannot.begin(), saved.cannot.end(),
                      std::back_inserter(added));
  w.U64(added.size());
  for (const auto& [a, b] : added) {
    w.U32(a);
    w.U32(b);
  }
  const size_t kept = std::min(saved.pairs, pairs_.size());
  WritePairs(w,
             with_pairs ? std::span<const ScoredPair>(pairs_).subspan(kept)
                        : std::span<const ScoredPair>(),
             nf);
  w.Bytes(kDeltaMagic, sizeof kDeltaMagic);
  return w.Take();
}

Status Linker::ApplyDelta(const std::string& bytes_in, size_t number, const std::string& what,
                          std::vector<uint32_t>& root_of) {
  const std::string part = what + " (appended part " + std::to_string(number) + ")";
  // Arrays are read where they lie: a short string's bytes may not be 8-aligned.
  std::string aligned;
  std::string_view bytes = bytes_in;
  if (reinterpret_cast<uintptr_t>(bytes.data()) % 8 != 0) {
    aligned.reserve(std::max<size_t>(bytes.size(), 32));
    aligned.assign(bytes);
    bytes = aligned;
  }
  struct Wiper {
    std::string& s;
    ~Wiper() { explicit_bzero(s.data(), s.size()); }
  } wipe{aligned};
  Reader r(bytes, part);
  char magic[8];
  if (!r.Bytes(magic, sizeof magic) || std::memcmp(magic, kDeltaMagic, sizeof magic) != 0)
    return Status::Corrupt(part + " is not a link state delta");
  const uint32_t version = r.U32();
  if (r.ok() && version != kDeltaVersion)
    return Status::Corrupt(part + " is a delta of version " + std::to_string(version) +
                           "; this izde reads version " + std::to_string(kDeltaVersion));
  const uint64_t n0 = r.U64(), n = r.U64();
  Prepared& p = prepared_;
  const Schema& schema = p.schema;
  const size_t nf = schema.fields.size();
  if (r.ok() && n0 != p.size())
    return Status::Corrupt(part + " follows a state of " + std::to_string(n0) +
                           " records, not of " + std::to_string(p.size()) +
                           "; delete the state to link from scratch");
  const uint64_t tail = r.U64();
  if (r.ok() && tail != TailMark(p.ids, fingerprints_, n0))
    return Status::Corrupt(part +
                           " was saved after another state than the one before it; "
                           "delete the state to link from scratch");
  if (r.ok() && (n < n0 || n >= UINT32_MAX)) r.Fail("a record count out of order");
  Model model = ReadModel(r, schema);
  const size_t k = r.ok() ? static_cast<size_t>(n - n0) : 0;
  const StringsView ids = ReadStrings(r, k);
  const auto fingerprints = r.Array<uint64_t>(k);
  const ValueTables tables = ReadValueTables(r, k, nf);
  for (size_t i = 0; i < k && r.ok(); ++i)
    if (const char* why = tables.Check(i))
      r.Fail("record " + std::to_string(n0 + i + 1) + ": " + why);
  const size_t moved = r.Count(8);
  const auto moved_record = r.Array<uint32_t>(moved);
  const auto moved_root = r.Array<uint32_t>(moved);
  if (!r.ok()) return r.Error();
  model_ = std::move(model);
  root_of.resize(n, UINT32_MAX);
  for (size_t i = 0; i < moved; ++i) {
    if (moved_record[i] >= n || moved_root[i] >= n) {
      r.Fail("a cluster change for a record that is not there");
      return r.Error();
    }
    root_of[moved_record[i]] = moved_root[i];
  }
  for (size_t i = n0; i < n; ++i)
    if (root_of[i] == UINT32_MAX) {
      r.Fail("a new record without a cluster");
      return r.Error();
    }
  const size_t names = r.Count(9);
  for (size_t i = 0; i < names && r.ok(); ++i) {
    const uint32_t root = r.U32();
    const uint8_t set = r.U8();
    std::string name = r.Str();
    if (r.ok() && (root >= n || set > 1)) r.Fail("a cluster name for a record that is not there");
    if (!r.ok()) break;
    if (set)
      renamed_[root] = std::move(name);
    else
      renamed_.erase(root);
  }
  const size_t forbidden = r.Count(8);
  for (size_t i = 0; i < forbidden && r.ok(); ++i) {
    const uint32_t a = r.U32(), b = r.U32();
    if (r.ok() && (a >= n || b >= n)) r.Fail("a cannot-link pair for a record that is not there");
    if (r.ok()) constraints_.AddCannotLink(a, b);
  }
  ReadPairs(r, n, schema, pairs_);
  if (r.ok() &&
      (!r.Bytes(magic, sizeof magic) || std::memcmp(magic, kDeltaMagic, sizeof magic) != 0))
    r.Fail("no end marker");
  if (r.ok() && !r.AtEnd()) r.Fail("bytes after the end marker");
  if (!r.ok()) return r.Error();
  // The new records, as Add left them: values, term counts, summaries, index entries.
  for (size_t i = 0; i < k; ++i) {
    p.ids.emplace_back(ids.at(i));
    fingerprints_.push_back(fingerprints[i]);
  }
  p.values.resize(n * nf);
  p.summaries.resize(n * nf);
  for (size_t i = 0; i < k; ++i)
    for (size_t f = 0; f < nf; ++f) {
      FieldValue& v = p.values[(n0 + i) * nf + f];
      tables.Decode(i, f, v, true);
      p.summaries[(n0 + i) * nf + f] = Summarize(schema.fields[f].comparator, v);
    }
  CountTerms(p, n0);
  index_->Add(p, n0, options_.threads);
  return Status::Ok();
}

void Linker::MarkSaved() {
  if (!saved_) saved_.emplace();
  const size_t n = prepared_.size();
  saved_->records = n;
  saved_->pairs = pairs_.size();
  saved_->roots.resize(n);
  for (uint32_t r = 0; r < n; ++r) saved_->roots[r] = clusters_.Find(r);
  saved_->renamed.clear();
  for (const auto& [r, name] : renamed_)
    if (NameInUse(r, name)) saved_->renamed.emplace(r, name);
  saved_->cannot = constraints_.CannotLinkPairs();
}

std::vector<uint32_t> Linker::RecordsWithNewClusterIds() {
  const Saved& saved = *saved_;
  const size_t n = prepared_.size();
  std::vector<uint32_t> out;
  for (uint32_t r = 0; r < n; ++r) {
    if (r >= saved.records) {
      out.push_back(r);
      continue;
    }
    const uint32_t old_root = saved.roots[r], root = clusters_.Find(r);
    auto old_name = saved.renamed.find(old_root);
    const std::string& before =
        old_name == saved.renamed.end() ? prepared_.ids[old_root] : old_name->second;
    if (RootName(root) != before) out.push_back(r);
  }
  return out;
}

}  // namespace izde::link
