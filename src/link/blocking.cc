#include "link/blocking.h"

#include <algorithm>
#include <array>
#include <bit>
#include <functional>
#include <string_view>
#include <thread>

#include "names/phonetic_key.h"
#include "names/similarity.h"

namespace izde::link {
namespace {

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t Hash(std::string_view s, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ Mix(seed);
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return Mix(h);
}

// Bands of MinHash signatures over letter bigrams of the joined name key:
// two names sharing most bigrams (one typo, one vowel changed) agree on at
// least one band with high probability, whatever token boundaries say.
constexpr int kLshBands = 6;
constexpr int kLshRows = 3;

void LshKeys(const FieldValue& v, std::vector<uint64_t>& out) {
  std::string joined;
  std::vector<std::string_view> stems;
  for (const auto& t : v.name.tokens) stems.push_back(t.stem);
  std::sort(stems.begin(), stems.end());
  for (auto s : stems) (joined += s) += ' ';
  if (joined.size() < 3) return;
  for (int band = 0; band < kLshBands; ++band) {
    uint64_t key = static_cast<uint64_t>(band) + 1;
    for (int row = 0; row < kLshRows; ++row) {
      uint64_t best = UINT64_MAX;
      const uint64_t seed = static_cast<uint64_t>(band * kLshRows + row) + 1000;
      for (size_t i = 0; i + 1 < joined.size(); ++i)
        best = std::min(best, Hash(std::string_view(joined).substr(i, 2), seed));
      key = Mix(key ^ best);
    }
    out.push_back(key);
  }
}

void PartKeys(const FieldValue& v, KeyKind kind, std::vector<uint64_t>& out) {
  if (v.missing) return;
  switch (kind) {
    case KeyKind::kValue:
      if (v.term != 0) out.push_back(Mix(v.term ^ 0x5bd1e995ULL));
      break;
    case KeyKind::kTokens:
      for (const auto& t : v.name.tokens) {
        out.push_back(Hash(t.stem, 2));
        if (!t.alt_stem.empty()) out.push_back(Hash(t.alt_stem, 2));
      }
      break;
    case KeyKind::kFirstToken:
      if (!v.name.tokens.empty()) out.push_back(Hash(v.name.tokens[0].stem, 2));
      break;
    case KeyKind::kTokenPairs: {
      const auto& t = v.name.tokens;
      for (size_t i = 0; i < t.size(); ++i)
        for (size_t j = i + 1; j < t.size(); ++j) {
          uint64_t a = Hash(t[i].stem, 3), b = Hash(t[j].stem, 3);
          out.push_back(Mix(std::min(a, b) * 31 + std::max(a, b)));
        }
      break;
    }
    case KeyKind::kLsh:
      LshKeys(v, out);
      break;
    case KeyKind::kJoinedSkeleton: {
      const auto& t = v.name.tokens;
      if (t.empty()) break;
      std::string forward, backward;
      for (size_t i = 0; i < t.size(); ++i) {
        forward += t[i].stem;
        backward += t[t.size() - 1 - i].stem;
      }
      for (const std::string* joined : {&forward, &backward}) {
        const std::string sk = names::SearchSkeleton(*joined);
        if (sk.size() >= 3) out.push_back(Hash(sk, 9));
      }
      if (t.size() == 1 && !t[0].alt_stem.empty()) {
        const std::string sk = names::SearchSkeleton(t[0].alt_stem);
        if (sk.size() >= 3) out.push_back(Hash(sk, 9));
      }
      // A Han name's syllables (高伟, Gao Wei, Wei Gao), too short for a skeleton.
      for (const std::string& han : names::HanNameKeys(v.name)) out.push_back(Hash(han, 11));
      break;
    }
    case KeyKind::kSkeletons:
    case KeyKind::kSkeletonPairs: {
      // Each token's skeletons: of its stem and of its alternative reading.
      std::vector<std::vector<uint64_t>> per_token;
      for (const auto& t : v.name.tokens) {
        std::vector<uint64_t> forms;
        for (const std::string* stem : {&t.stem, &t.alt_stem})
          if (!stem->empty()) {
            const std::string sk = names::SearchSkeleton(*stem);
            if (sk.size() >= 2) forms.push_back(Hash(sk, 7));
            const std::string soft = names::LooseSkeleton(*stem);
            if (soft.size() >= 2) forms.push_back(Hash(soft, 7));
          }
        std::sort(forms.begin(), forms.end());
        forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
        if (!forms.empty()) per_token.push_back(std::move(forms));
      }
      if (kind == KeyKind::kSkeletons) {
        for (const auto& forms : per_token) out.insert(out.end(), forms.begin(), forms.end());
        break;
      }
      // A Turkic name in Chinese characters run together (阿依古丽塔依尔): the pairs of
      // every split of its reading, one of which is the name's two parts.
      if (v.name.tokens.size() == 1 && v.name.tokens[0].han && names::HanNameKeys(v.name).empty())
        for (const auto& [first, second] : names::SplitSkeletons(v.name.tokens[0].stem)) {
          const uint64_t a = Hash(first, 7), b = Hash(second, 7);
          out.push_back(Mix(std::min(a, b) * 31 + std::max(a, b) + 8));
        }
      for (size_t i = 0; i < per_token.size(); ++i)
        for (size_t j = i + 1; j < per_token.size(); ++j)
          for (uint64_t a : per_token[i])
            for (uint64_t b : per_token[j])
              out.push_back(Mix(std::min(a, b) * 31 + std::max(a, b) + 8));
      break;
    }
    case KeyKind::kYear: {
      if (v.day_lo < -1000000) break;  // an impossible date: no year to block on
      // Calendar years: a year or a day is one key. A span of more than three years
      // ("about 1962" is 1960-1964) gets none: its year keys would bring in every
      // namesake of five years for about 1% of F1-relevant pairs at 8% more
      // comparisons (BENCHMARKS.md, session 15); such records block on their names.
      const int lo = CalendarYear(v.day_lo);
      const int hi = CalendarYear(v.day_hi);
      if (hi - lo > 2) break;
      for (int y = lo; y <= hi; ++y) out.push_back(Mix(static_cast<uint64_t>(y) + 77));
      break;
    }
    case KeyKind::kPrefecture:
      out.push_back(
          Hash(v.prefecture.empty() ? (v.place.empty() ? v.text : v.place) : v.prefecture, 4));
      break;
    case KeyKind::kHalves: {
      // Thirds a, b, c; keys ab, ac, bc. A mistyped character spoils the keys of its
      // third and leaves the third key intact. (Halves would be too broad for ID
      // numbers: the first half of a PRC ID is a county and a birth decade.)
      const std::string_view s = v.text;
      if (s.size() < 6) break;
      const size_t third = s.size() / 3;
      const std::string_view a = s.substr(0, third), b = s.substr(third, third),
                             c = s.substr(2 * third);
      out.push_back(Hash(std::string(a) + '|' + std::string(b), 5));
      out.push_back(Hash(std::string(a) + '|' + std::string(c), 6));
      out.push_back(Hash(std::string(b) + '|' + std::string(c), 10));
      break;
    }
  }
}

// The block limit of the broad rules (see BlockingRule::max_block).
constexpr size_t kBroadKeyBlock = 60;
constexpr uint64_t kLimitBits = 4;  // up to 16 distinct limits

}  // namespace

BlockIndex::BlockIndex(std::vector<BlockingRule> rules, size_t max_block_size)
    : rules_(std::move(rules)), max_block_(max_block_size) {
  for (const auto& rule : rules_) {
    const size_t limit = rule.max_block ? std::min(rule.max_block, max_block_) : max_block_;
    auto it = std::find(limits_.begin(), limits_.end(), limit);
    if (it == limits_.end()) {
      if (limits_.size() == (size_t{1} << kLimitBits))
        it = limits_.begin();  // never in practice
      else
        it = limits_.insert(limits_.end(), limit);
    }
    rule_limit_bits_.push_back(static_cast<uint64_t>(it - limits_.begin()));
  }
}

std::vector<BlockingRule> DefaultRules(const Schema& schema) {
  std::vector<BlockingRule> rules;
  int first_name = -1;
  std::vector<size_t> dates, places;
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const auto& spec = schema.fields[f];
    switch (spec.comparator) {
      case Comparator::kName:
        if (first_name < 0) first_name = static_cast<int>(f);
        rules.push_back({spec.name + " token pairs", {{f, KeyKind::kTokenPairs}}});
        rules.push_back({spec.name + " skeleton pairs", {{f, KeyKind::kSkeletonPairs}}});
        rules.push_back({spec.name + " joined skeleton", {{f, KeyKind::kJoinedSkeleton}}});
        rules.push_back({spec.name + " lsh", {{f, KeyKind::kLsh}}, kBroadKeyBlock});
        break;
      case Comparator::kIdNumber:
      case Comparator::kCode:
        rules.push_back({spec.name, {{f, KeyKind::kValue}}});
        if (spec.comparator == Comparator::kIdNumber)
          rules.push_back({spec.name + " halves", {{f, KeyKind::kHalves}}});
        break;
      case Comparator::kDate:
        dates.push_back(f);
        rules.push_back({spec.name, {{f, KeyKind::kValue}}});
        break;
      case Comparator::kPlace:
        places.push_back(f);
        break;
      default:
        break;
    }
  }
  for (size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].comparator == Comparator::kName)
      for (size_t d : dates)
        rules.push_back({schema.fields[f].name + " tokens x " + schema.fields[d].name + " year",
                         {{f, KeyKind::kTokens}, {d, KeyKind::kYear}}});
  for (size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].comparator == Comparator::kName)
      for (size_t d : dates)
        rules.push_back({schema.fields[f].name + " joined x " + schema.fields[d].name + " year",
                         {{f, KeyKind::kJoinedSkeleton}, {d, KeyKind::kYear}}});
  // Token × prefecture: a record with no birth date still meets its others through
  // where the person is from.
  for (size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].comparator == Comparator::kName)
      for (size_t p : places)
        rules.push_back({schema.fields[f].name + " tokens x " + schema.fields[p].name,
                         {{f, KeyKind::kTokens}, {p, KeyKind::kPrefecture}},
                         kBroadKeyBlock});
  for (size_t d : dates)
    for (size_t p : places)
      rules.push_back({schema.fields[d].name + " year x " + schema.fields[p].name,
                       {{d, KeyKind::kYear}, {p, KeyKind::kPrefecture}},
                       kBroadKeyBlock});
  // Several name fields (FEBRL's given name and surname): each token alone too,
  // since one field may be the only one spelled consistently.
  int name_fields = 0;
  for (const auto& spec : schema.fields) name_fields += spec.comparator == Comparator::kName;
  if (name_fields > 1 || dates.empty())
    for (size_t f = 0; f < schema.fields.size(); ++f)
      if (schema.fields[f].comparator == Comparator::kName)
        rules.push_back({schema.fields[f].name + " tokens", {{f, KeyKind::kTokens}}});
  return rules;
}

void RuleKeys(const Prepared& p, size_t r, const BlockingRule& rule, size_t rule_index,
              std::vector<uint64_t>& out) {
  std::vector<uint64_t> acc = {Mix(rule_index + 1)}, part, next;
  for (const KeyPart& kp : rule.parts) {
    part.clear();
    PartKeys(p.at(r, kp.field), kp.kind, part);
    if (part.empty()) return;  // a missing part: this rule gives no key
    next.clear();
    for (uint64_t a : acc)
      for (uint64_t b : part) next.push_back(Mix(a * 0x9e3779b97f4a7c15ULL + b));
    acc.swap(next);
    if (acc.size() > 64) acc.resize(64);  // many-token names: bound the product
  }
  out.insert(out.end(), acc.begin(), acc.end());
}

void BlockIndex::Keys(const Prepared& q, size_t r, std::vector<uint64_t>& out) const {
  out.clear();
  for (size_t i = 0; i < rules_.size(); ++i) {
    const size_t from = out.size();
    RuleKeys(q, r, rules_[i], i, out);
    for (size_t k = from; k < out.size(); ++k)
      out[k] = (out[k] & ~((uint64_t{1} << kLimitBits) - 1)) | rule_limit_bits_[i];
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void BlockIndex::Add(const Prepared& p, size_t first, int threads) {
  const size_t n = p.size() - first;
  threads = std::max(1, threads);
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> parts(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::vector<uint64_t> keys;
      auto& out = parts[static_cast<size_t>(t)];
      for (size_t i = static_cast<size_t>(t); i < n; i += static_cast<size_t>(threads)) {
        Keys(p, first + i, keys);
        for (uint64_t k : keys) out.emplace_back(k, static_cast<uint32_t>(first + i));
      }
    });
  for (auto& th : pool) th.join();
  StoreRecordKeys(parts, first, n);
  if (keys_.empty() && added_.empty()) {
    SortEntries(parts, threads);
    keys_ = own_keys_;
    records_ = own_records_;
    BuildRadix();
    return;
  }
  for (auto& part : parts)
    for (auto [k, r] : part) added_[k].push_back(r);
}

// Each part holds its records' keys one record after another, in record order.
void BlockIndex::StoreRecordKeys(
    const std::vector<std::vector<std::pair<uint64_t, uint32_t>>>& parts, size_t first, size_t n) {
  stored_first_ = first;
  stored_offsets_.assign(n + 1, 0);
  // One thread per part: the parts hold disjoint records.
  auto each_part =
      [&parts](const std::function<void(const std::vector<std::pair<uint64_t, uint32_t>>&)>& body) {
        std::vector<std::thread> pool;
        for (const auto& part : parts) pool.emplace_back([&body, &part] { body(part); });
        for (auto& th : pool) th.join();
      };
  each_part([&](const auto& part) {
    for (const auto& e : part) ++stored_offsets_[e.second - first + 1];
  });
  for (size_t i = 1; i <= n; ++i) stored_offsets_[i] += stored_offsets_[i - 1];
  stored_keys_.resize(stored_offsets_[n]);
  each_part([&](const auto& part) {
    size_t i = 0;
    while (i < part.size()) {
      const uint32_t r = part[i].second;
      size_t at = stored_offsets_[r - first];
      for (; i < part.size() && part[i].second == r; ++i) stored_keys_[at++] = part[i].first;
    }
  });
}

std::span<const uint64_t> BlockIndex::StoredKeys(size_t r) const {
  if (r < stored_first_ || r + 1 >= stored_first_ + stored_offsets_.size()) return {};
  const size_t i = r - stored_first_;
  return std::span<const uint64_t>(stored_keys_)
      .subspan(stored_offsets_[i], stored_offsets_[i + 1] - stored_offsets_[i]);
}

bool BlockIndex::HasStoredKeys(size_t r) const {
  return r >= stored_first_ && r + 1 < stored_first_ + stored_offsets_.size();
}

void BlockIndex::ForgetStoredKeys() {
  std::vector<uint64_t>().swap(stored_keys_);
  std::vector<uint64_t>().swap(stored_offsets_);
  stored_first_ = 0;
}

// Tens of millions of entries at a million records: sorted on every thread. Keys
// are hashes, so their top bits split the entries into groups of about equal
// size; each group is gathered, sorted and written out on its own, and the groups
// in order are the whole sorted array.
void BlockIndex::SortEntries(std::vector<std::vector<std::pair<uint64_t, uint32_t>>>& parts,
                             int threads) {
  constexpr int kGroupBits = 6;
  constexpr size_t kGroups = size_t{1} << kGroupBits;
  auto group = [](uint64_t key) { return static_cast<size_t>(key >> (64 - kGroupBits)); };
  auto run = [threads](const std::function<void(size_t)>& body) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(body, static_cast<size_t>(t));
    for (auto& th : pool) th.join();
  };
  // Where each part's entries of each group go.
  std::vector<std::array<size_t, kGroups>> at(parts.size());
  run([&](size_t t) {
    for (size_t i = t; i < parts.size(); i += static_cast<size_t>(threads)) {
      at[i].fill(0);
      for (const auto& e : parts[i]) ++at[i][group(e.first)];
    }
  });
  std::array<size_t, kGroups + 1> start{};
  size_t total = 0;
  for (size_t g = 0; g < kGroups; ++g) {
    start[g] = total;
    for (auto& counts : at) {
      const size_t n = counts[g];
      counts[g] = total;
      total += n;
    }
  }
  start[kGroups] = total;
  std::vector<std::pair<uint64_t, uint32_t>> sorted(total);
  run([&](size_t t) {
    for (size_t i = t; i < parts.size(); i += static_cast<size_t>(threads)) {
      auto next = at[i];
      for (const auto& e : parts[i]) sorted[next[group(e.first)]++] = e;
      std::vector<std::pair<uint64_t, uint32_t>>().swap(parts[i]);
    }
  });
  own_keys_.resize(total);
  own_records_.resize(total);
  std::atomic<size_t> next_group{0};
  run([&](size_t) {
    for (size_t g; (g = next_group.fetch_add(1)) < kGroups;) {
      const auto from = sorted.begin() + static_cast<std::ptrdiff_t>(start[g]);
      const auto to = sorted.begin() + static_cast<std::ptrdiff_t>(start[g + 1]);
      std::sort(from, to);
      for (size_t i = start[g]; i < start[g + 1]; ++i) {
        own_keys_[i] = sorted[i].first;
        own_records_[i] = sorted[i].second;
      }
    }
  });
}

void BlockIndex::BuildRadix() {
  radix_bits_ = 1;
  while (radix_bits_ < 28 && (size_t{1} << radix_bits_) < keys_.size() / 2) ++radix_bits_;
  radix_.assign((size_t{1} << radix_bits_) + 1, 0);
  for (uint64_t k : keys_) ++radix_[(k >> (64 - radix_bits_)) + 1];
  for (size_t i = 1; i < radix_.size(); ++i) radix_[i] += radix_[i - 1];
}

void BlockIndex::Entries(std::vector<uint64_t>& keys, std::vector<uint32_t>& records) const {
  if (added_.empty()) {
    keys.assign(keys_.begin(), keys_.end());
    records.assign(records_.begin(), records_.end());
    return;
  }
  std::vector<std::pair<uint64_t, uint32_t>> extra;
  for (const auto& [k, rs] : added_)
    for (uint32_t r : rs) extra.emplace_back(k, r);
  std::sort(extra.begin(), extra.end());
  keys.clear();
  records.clear();
  keys.reserve(keys_.size() + extra.size());
  records.reserve(keys_.size() + extra.size());
  size_t i = 0, j = 0;
  while (i < keys_.size() || j < extra.size()) {
    const bool take_old =
        j == extra.size() || (i < keys_.size() && std::make_pair(keys_[i], records_[i]) < extra[j]);
    if (take_old) {
      keys.push_back(keys_[i]);
      records.push_back(records_[i++]);
    } else {
      keys.push_back(extra[j].first);
      records.push_back(extra[j++].second);
    }
  }
}

void BlockIndex::Restore(std::vector<uint64_t> keys, std::vector<uint32_t> records) {
  own_keys_ = std::move(keys);
  own_records_ = std::move(records);
  keys_ = own_keys_;
  records_ = own_records_;
  borrowed_.reset();
  added_.clear();
  BuildRadix();
}

void BlockIndex::Restore(std::span<const uint64_t> keys, std::span<const uint32_t> records,
                         std::shared_ptr<const void> owner) {
  std::vector<uint64_t>().swap(own_keys_);
  std::vector<uint32_t>().swap(own_records_);
  keys_ = keys;
  records_ = records;
  borrowed_ = std::move(owner);
  added_.clear();
  BuildRadix();
}

bool BlockIndex::Find(uint64_t k, Block& block) const {
  size_t first = 0, last = keys_.size();
  if (!radix_.empty()) {
    const size_t bucket = static_cast<size_t>(k >> (64 - radix_bits_));
    first = radix_[bucket];
    last = radix_[bucket + 1];
  }
  const auto kb = keys_.begin();
  block.lo = static_cast<size_t>(std::lower_bound(kb + static_cast<std::ptrdiff_t>(first),
                                                  kb + static_cast<std::ptrdiff_t>(last), k) -
                                 kb);
  block.hi = static_cast<size_t>(std::upper_bound(kb + static_cast<std::ptrdiff_t>(block.lo),
                                                  kb + static_cast<std::ptrdiff_t>(last), k) -
                                 kb);
  block.extra = nullptr;
  if (!added_.empty())
    if (auto it = added_.find(k); it != added_.end()) block.extra = &it->second;
  const size_t size = block.hi - block.lo + (block.extra ? block.extra->size() : 0);
  if (size > limits_[k & ((uint64_t{1} << kLimitBits) - 1)]) {
    ++oversized_;
    return false;
  }
  return true;
}

void BlockIndex::Candidates(const std::vector<uint64_t>& keys, std::vector<uint32_t>& out) const {
  out.clear();
  for (uint64_t k : keys) {
    Block block;
    if (!Find(k, block)) continue;
    out.insert(out.end(), records_.begin() + static_cast<std::ptrdiff_t>(block.lo),
               records_.begin() + static_cast<std::ptrdiff_t>(block.hi));
    if (block.extra) out.insert(out.end(), block.extra->begin(), block.extra->end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void BlockIndex::Candidates(std::span<const uint64_t> keys, uint32_t skip_lo, uint32_t skip_hi,
                            Scratch& scratch, std::vector<uint32_t>& out) const {
  out.clear();
  if (++scratch.stamp == 0) {  // wrapped around: forget every mark
    std::fill(scratch.mark.begin(), scratch.mark.end(), 0);
    scratch.stamp = 1;
  }
  const uint32_t stamp = scratch.stamp;
  auto take = [&](uint32_t r) {
    if (r >= skip_lo && r <= skip_hi) return;
    if (r >= scratch.mark.size()) scratch.mark.resize(std::bit_ceil(size_t{r} + 1), 0);
    if (scratch.mark[r] == stamp) return;
    scratch.mark[r] = stamp;
    out.push_back(r);
  };
  const auto rb = records_.begin();
  for (uint64_t k : keys) {
    Block block;
    if (!Find(k, block)) continue;
    // The block's records are sorted: the part in [skip_lo, skip_hi] is one run.
    auto from = rb + static_cast<std::ptrdiff_t>(block.lo);
    auto to = rb + static_cast<std::ptrdiff_t>(block.hi);
    if (skip_lo <= skip_hi) {
      auto cut_lo = std::lower_bound(from, to, skip_lo);
      auto cut_hi = std::upper_bound(cut_lo, to, skip_hi);
      for (auto it = from; it != cut_lo; ++it) take(*it);
      for (auto it = cut_hi; it != to; ++it) take(*it);
    } else {
      for (auto it = from; it != to; ++it) take(*it);
    }
    if (block.extra)
      for (uint32_t r : *block.extra) take(r);
  }
}

}  // namespace izde::link
