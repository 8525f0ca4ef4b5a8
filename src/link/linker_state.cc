// Linker::SaveState / LoadState: the linker's state as bytes. The layout is in
// docs/formats/link-state.md; every read is bounds-checked, so damaged bytes
// end in kCorrupt naming the section, never in a crash or a half-read linker.
#include <algorithm>
#include <cstring>
#include <thread>

#include "link/linker.h"

namespace izde::link {
namespace {

constexpr char kMagic[8] = {'I', 'Z', 'L', 'S', 'T', 'A', 'T', 'E'};
constexpr uint32_t kVersion = 3;

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
  bool AtEnd() const { return at_ == in_.size(); }
  const std::string& Why() const { return error_; }
  std::string_view View(size_t n) {
    if (!ok_ || in_.size() - at_ < n) {
      Fail("it ends early");
      return {};
    }
    std::string_view v = in_.substr(at_, n);
    at_ += n;
    return v;
  }

 private:
  std::string_view in_;
  std::string what_;
  size_t at_ = 0;
  bool ok_ = true;
  std::string error_;
};

void WriteValue(Writer& w, const FieldValue& v) {
  // An empty missing value (most missing values) is its flags byte alone.
  const bool empty = v.missing && v.text.empty() && v.term == 0 && v.name.tokens.empty();
  const uint8_t flags = (v.missing ? 1 : 0) | (v.exact_day ? 2 : 0) | (v.id_valid ? 4 : 0) |
                        (v.derived ? 8 : 0) | (empty ? 0 : 16);
  w.U8(flags);
  if (empty) return;
  w.Str(v.text);
  w.U8(static_cast<uint8_t>(v.name.tokens.size()));
  for (size_t i = 0; i < v.name.tokens.size(); ++i) {
    const auto& t = v.name.tokens[i];
    w.Str(t.stem);
    w.Str(t.alt_stem);
    // Bit 4: this part is known to be the father's name (names::NameKey::father);
    // bit 5: it is written in Chinese characters.
    w.U8(static_cast<uint8_t>(static_cast<uint8_t>(t.role) |
                              (static_cast<int>(i) == v.name.father ? 16 : 0) | (t.han ? 32 : 0)));
  }
  w.U64(v.term);
  w.Pod(v.tf);
  w.Pod(v.day_lo);
  w.Pod(v.day_hi);
  w.Str(v.place);
  w.Str(v.prefecture);
  w.U8(v.id_kind);
}

void ReadValue(Reader& r, FieldValue& v) {
  const uint8_t flags = r.U8();
  v.missing = flags & 1;
  v.exact_day = flags & 2;
  v.id_valid = flags & 4;
  v.derived = flags & 8;
  if (flags & ~31) r.Fail("an unknown value flag");
  if (!(flags & 16) || !r.ok()) return;
  v.text = r.Str();
  const uint8_t tokens = r.U8();
  if (tokens > names::kMaxKeyedTokens) r.Fail("a name with too many parts");
  for (uint8_t i = 0; i < tokens && r.ok(); ++i) {
    names::KeyedToken t;
    t.stem = r.Str();
    t.alt_stem = r.Str();
    const uint8_t byte = r.U8();
    const uint8_t role = byte & 15;
    if (byte & 16) v.name.father = i;
    t.han = byte & 32;
    if ((byte & ~63) || role > static_cast<uint8_t>(names::PartRole::kParticle))
      r.Fail("an unknown name role");
    t.role = static_cast<names::PartRole>(role);
    v.name.tokens.push_back(std::move(t));
  }
  v.term = r.U64();
  v.tf = r.Pod<float>();
  v.day_lo = r.Pod<int32_t>();
  v.day_hi = r.Pod<int32_t>();
  v.place = r.Str();
  v.prefecture = r.Str();
  v.id_kind = r.U8();
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

std::string Linker::SaveState() const {
  Writer w;
  w.Bytes(kMagic, sizeof kMagic);
  w.U32(kVersion);
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
  // Model.
  w.F64(model_.prior);
  w.U32(static_cast<uint32_t>(model_.em_iterations));
  for (const auto& fw : model_.fields) {
    w.U64(fw.m.size());
    for (size_t l = 0; l < fw.m.size(); ++l) {
      w.F64(fw.m[l]);
      w.F64(fw.u[l]);
    }
  }
  // Records.
  // Each record's offset first, so that a reader can decode on several threads.
  const size_t n = prepared_.size();
  Writer record_bytes;
  std::vector<uint64_t> offsets(n);
  for (size_t r = 0; r < n; ++r) {
    offsets[r] = record_bytes.size();
    record_bytes.Str(prepared_.ids[r]);
    record_bytes.U64(fingerprints_[r]);
    for (size_t f = 0; f < nf; ++f) WriteValue(record_bytes, prepared_.values[r * nf + f]);
  }
  const std::string data = record_bytes.Take();
  w.Reserve(w.size() + 16 + n * 8 + data.size() + (n + 1) * 16 + (16 << 20) +
            index_->sorted_keys().size() * 12);
  w.U64(n);
  w.U64(data.size());
  w.Bytes(offsets.data(), offsets.size() * sizeof(uint64_t));
  w.Bytes(data.data(), data.size());
  for (size_t f = 0; f < nf; ++f) {
    w.U64(prepared_.term_counts[f].size());
    for (const auto& [term, count] : prepared_.term_counts[f]) {
      w.U64(term);
      w.U32(count);
    }
  }
  // Block index: sorted entries.
  // Written from the index's own arrays when it has no additions (a second copy of
  // tens of millions of entries would not fit beside a million records in 4 GB).
  std::vector<uint64_t> merged_keys;
  std::vector<uint32_t> merged_records;
  if (!index_->consolidated()) index_->Entries(merged_keys, merged_records);
  const auto& keys = index_->consolidated() ? index_->sorted_keys() : merged_keys;
  const auto& records = index_->consolidated() ? index_->sorted_records() : merged_records;
  w.U64(keys.size());
  w.Bytes(keys.data(), keys.size() * sizeof(uint64_t));
  w.Bytes(records.data(), records.size() * sizeof(uint32_t));
  // Clusters: each record's root, and the names of roots not named after themselves.
  for (uint32_t r = 0; r < n; ++r) w.U32(clusters_.Find(r));
  std::vector<uint32_t> renamed;
  for (uint32_t r = 0; r < n; ++r)
    if (clusters_.Find(r) == r && root_name_[r] != prepared_.ids[r]) renamed.push_back(r);
  w.U64(renamed.size());
  for (uint32_t r : renamed) {
    w.U32(r);
    w.Str(root_name_[r]);
  }
  // Constraints: explicit cannot-link pairs.
  const auto forbidden = constraints_.CannotLinkPairs();
  w.U64(forbidden.size());
  for (const auto& [a, b] : forbidden) {
    w.U32(a);
    w.U32(b);
  }
  // Kept pairs (for a review queue rebuilt with a re-estimated model).
  w.U64(pairs_.size());
  for (const auto& p : pairs_) {
    w.U32(p.a);
    w.U32(p.b);
    w.Pod(p.score);
    w.Bytes(p.levels.data(), nf);
  }
  w.Bytes(kMagic, sizeof kMagic);  // end marker: a file cut short is told apart
  return w.Take();
}

Result<Linker> Linker::LoadState(std::string_view bytes, int threads, const std::string& what) {
  Reader r(bytes, what);
  char magic[8];
  if (!r.Bytes(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0)
    return Status::Corrupt(what + " is not an izde link state file");
  const uint32_t version = r.U32();
  if (r.ok() && version != kVersion)
    return Status::Corrupt(what + " is a link state of version " + std::to_string(version) +
                           "; this izde reads version " + std::to_string(kVersion));
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
  Linker l(o, schema);
  l.model_.prior = r.F64();
  l.model_.em_iterations = static_cast<int>(r.U32());
  for (size_t f = 0; f < nf && r.ok(); ++f) {
    FieldWeights fw;
    const size_t levels = r.Count(16);
    if (r.ok() && levels != static_cast<size_t>(LevelCount(schema.fields[f].comparator)))
      r.Fail("a model with the wrong number of levels");
    for (size_t lv = 0; lv < levels && r.ok(); ++lv) {
      fw.m.push_back(r.F64());
      fw.u.push_back(r.F64());
    }
    l.model_.fields.push_back(std::move(fw));
  }
  if (r.ok() && !(l.model_.prior > 0 && l.model_.prior < 1)) r.Fail("a prior outside (0, 1)");
  Prepared& p = l.prepared_;
  p.schema = schema;
  const size_t n = r.Count(20 + nf);
  if (n > UINT32_MAX) r.Fail("too many records");
  const size_t data_size = r.Count(1);
  std::vector<uint64_t> offsets(r.ok() ? n : 0);
  r.Bytes(offsets.data(), offsets.size() * sizeof(uint64_t));
  std::string_view data = r.View(data_size);
  for (size_t i = 0; i < n && r.ok(); ++i)
    if (offsets[i] > data_size || (i > 0 && offsets[i] < offsets[i - 1]) ||
        (i == 0 && offsets[0] != 0))
      r.Fail("record offsets out of order");
  if (!r.ok()) return r.Error();
  // Room for the records a run adds, so that Add does not move every value.
  const size_t room = n + n / 32 + 1024;
  p.ids.reserve(room);
  p.ids.resize(n);
  p.values.reserve(room * nf);
  p.values.resize(n * nf);
  p.summaries.reserve(room * nf);
  p.summaries.resize(n * nf);
  l.fingerprints_.reserve(room);
  l.fingerprints_.resize(n);
  // Records decode on the caller's threads, each from its own slice.
  const size_t workers = std::min<size_t>(static_cast<size_t>(o.threads), 8);
  std::vector<std::string> errors(workers);
  std::vector<std::thread> pool;
  for (size_t t = 0; t < workers; ++t)
    pool.emplace_back([&, t] {
      for (size_t i = t * n / workers; i < (t + 1) * n / workers; ++i) {
        const size_t end = i + 1 < n ? offsets[i + 1] : data_size;
        Reader rec(data.substr(offsets[i], end - offsets[i]), what);
        p.ids[i] = rec.Str();
        l.fingerprints_[i] = rec.U64();
        for (size_t f = 0; f < nf; ++f) {
          FieldValue& v = p.values[i * nf + f];
          ReadValue(rec, v);
          // Name keys are numbered per process: a loaded name has no number (it is
          // compared directly), so no number of this process is mistaken for it.
          p.summaries[i * nf + f] = Summarize(schema.fields[f].comparator, v);
        }
        if (rec.ok() && !rec.AtEnd()) rec.Fail("a record longer than its slice");
        if (!rec.ok()) {
          errors[t] = "record " + std::to_string(i + 1) + ": " + rec.Why();
          return;
        }
      }
    });
  for (auto& th : pool) th.join();
  for (const auto& e : errors)
    if (!e.empty()) r.Fail(e);
  p.term_counts.resize(nf);
  for (size_t f = 0; f < nf && r.ok(); ++f) {
    const size_t terms = r.Count(12);
    p.term_counts[f].reserve(terms);
    for (size_t i = 0; i < terms && r.ok(); ++i) {
      const uint64_t term = r.U64();
      p.term_counts[f][term] = r.U32();
    }
  }
  if (!r.ok()) return r.Error();
  const size_t entries = r.Count(12);
  std::vector<uint64_t> keys(entries);
  std::vector<uint32_t> records(entries);
  r.Bytes(keys.data(), entries * sizeof(uint64_t));
  r.Bytes(records.data(), entries * sizeof(uint32_t));
  if (r.ok()) {
    uint32_t bad = 0;
    for (uint32_t rec : records) bad |= rec >= n;
    if (bad) r.Fail("a block entry for a record that is not there");
  }
  if (r.ok() && !std::is_sorted(keys.begin(), keys.end())) r.Fail("an unsorted block index");
  if (!r.ok()) return r.Error();
  l.index_->Restore(std::move(keys), std::move(records));
  std::vector<uint32_t> roots(n);
  for (auto& root : roots) root = r.U32();
  if (r.ok() && !l.clusters_.Restore(roots)) r.Fail("clusters that do not add up");
  l.root_name_ = p.ids;
  const size_t renamed = r.Count(8);
  for (size_t i = 0; i < renamed && r.ok(); ++i) {
    const uint32_t root = r.U32();
    std::string name = r.Str();
    if (r.ok() && (root >= n || roots[root] != root)) r.Fail("a cluster name for a non-root");
    if (r.ok()) l.root_name_[root] = std::move(name);
  }
  const size_t forbidden = r.Count(8);
  for (size_t i = 0; i < forbidden && r.ok(); ++i) {
    const uint32_t a = r.U32(), b = r.U32();
    if (r.ok() && (a >= n || b >= n)) r.Fail("a cannot-link pair for a record that is not there");
    if (r.ok()) l.constraints_.AddCannotLink(a, b);
  }
  const size_t pairs = r.Count(12 + nf);
  l.pairs_.reserve(pairs);
  for (size_t i = 0; i < pairs && r.ok(); ++i) {
    ScoredPair sp;
    sp.a = r.U32();
    sp.b = r.U32();
    sp.score = r.Pod<float>();
    r.Bytes(sp.levels.data(), nf);
    if (r.ok() && (sp.a >= n || sp.b >= n)) r.Fail("a pair of records that are not there");
    for (size_t f = 0; f < nf && r.ok(); ++f)
      if (sp.levels[f] >= LevelCount(schema.fields[f].comparator)) r.Fail("a level out of range");
    l.pairs_.push_back(sp);
  }
  if (r.ok() && (!r.Bytes(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0))
    r.Fail("no end marker");
  if (r.ok() && !r.AtEnd()) r.Fail("bytes after the end marker");
  if (!r.ok()) return r.Error();
  return l;
}

}  // namespace izde::link
