// Blocking: which pairs are compared at all. A union of keys — phonetic keys of
// each name token, pairs of tokens, token × birth year, ID number and its halves,
// birth year × prefecture, a locality-sensitive hash of the folded name — so that
// a true pair is lost only when it shares none of them. Blocks larger than
// max_block_size are skipped (they would cost O(n²) and say little: every
// "Memet" in the file); other keys still bring their true pairs together.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "link/fields.h"

namespace izde::link {

enum class KeyKind {
  kValue,       // the prepared term (exact value)
  kTokens,      // each name token's stem and alternative stem (kName)
  kTokenPairs,  // each unordered pair of name tokens' stems (kName)
  kFirstToken,  // first token's stem (kName; the given name in most orders)
  kLsh,         // MinHash bands over letter bigrams of the name's key (kName)
  kYear,        // birth year; an uncertain date gives each calendar year it allows, up to 3 (kDate)
  kPrefecture,  // prefecture code, or the folded text when not in the gazetteer (kPlace)
  kHalves,      // three overlapping two-thirds of the value: one typo keeps one intact
  kSkeletonPairs,   // each unordered pair of name tokens' search skeletons (names::
                    // SearchSkeleton: consonant classes, the same across scripts)
  kSkeletons,       // each name token's search skeleton
  kJoinedSkeleton,  // the skeleton of all stems joined, in the written order and
                    // reversed ("Wang Wei", "Wei Wang" and "王伟" as one token meet)
};

struct KeyPart {
  size_t field = 0;
  KeyKind kind = KeyKind::kValue;
};

struct BlockingRule {
  std::string name;
  std::vector<KeyPart> parts;  // the rule's key combines one key of each part
  // Blocks of this rule larger than this are skipped; 0: the index's limit. Broad
  // keys (a hash of letter pairs, a name part × a prefecture) are there to catch
  // what the precise keys miss for rare names; for common names they would only
  // add namesakes.
  size_t max_block = 0;
};

// Rules for a schema: per name field token pairs and LSH; name tokens × each date
// field's year and × each place's prefecture; ID and code fields by value and
// halves; dates by value; date year × place prefecture.
std::vector<BlockingRule> DefaultRules(const Schema& schema);

// Appends the keys of record `r` under `rule` (hashes; the rule index is mixed in).
void RuleKeys(const Prepared& p, size_t r, const BlockingRule& rule, size_t rule_index,
              std::vector<uint64_t>& out);

class BlockIndex {
 public:
  BlockIndex(std::vector<BlockingRule> rules, size_t max_block_size);

  // Indexes records [first, p.size()) of `p`. The first call builds a sorted
  // array; later calls (incremental linking) go to a hash map beside it.
  void Add(const Prepared& p, size_t first, int threads);

  // All keys of record r of q.
  void Keys(const Prepared& q, size_t r, std::vector<uint64_t>& out) const;

  // Indexed records sharing a usable block with the given keys, sorted, unique.
  void Candidates(const std::vector<uint64_t>& keys, std::vector<uint32_t>& out) const;

  // One thread's memory of which records a Candidates call has already given.
  struct Scratch {
    std::vector<uint32_t> mark;  // per record: the stamp of the call that gave it
    uint32_t stamp = 0;
  };
  // The same, unique but in no particular order, leaving out the records in
  // [skip_lo, skip_hi] (a pair already visited from its other record): blocks are
  // sorted by record, so the skipped part of each is never read. For the scoring
  // loop, where sorting every record's candidates cost more than comparing them.
  void Candidates(std::span<const uint64_t> keys, uint32_t skip_lo, uint32_t skip_hi,
                  Scratch& scratch, std::vector<uint32_t>& out) const;

  // The keys (as Keys gives them) of the records the last Add indexed, kept until
  // ForgetStoredKeys so that scoring does not compute them again.
  bool HasStoredKeys(size_t r) const;
  std::span<const uint64_t> StoredKeys(size_t r) const;
  void ForgetStoredKeys();

  size_t oversized_blocks_skipped() const { return oversized_; }

  // Every (key, record) entry sorted by key then record, the additions merged in,
  // as two arrays; and an index rebuilt from such arrays (link state files).
  void Entries(std::vector<uint64_t>& keys, std::vector<uint32_t>& records) const;
  std::span<const uint64_t> sorted_keys() const { return keys_; }
  std::span<const uint32_t> sorted_records() const { return records_; }
  bool consolidated() const { return added_.empty(); }
  void Restore(std::vector<uint64_t> keys, std::vector<uint32_t> records);
  // The same over arrays that stay where they are (a link state's decrypted bytes,
  // read in place instead of copied): `owner` keeps them alive.
  void Restore(std::span<const uint64_t> keys, std::span<const uint32_t> records,
               std::shared_ptr<const void> owner);
  const std::vector<BlockingRule>& rules() const { return rules_; }

 private:
  std::vector<BlockingRule> rules_;
  size_t max_block_;
  // The low bits of every key name its rule's block limit, one of these.
  std::vector<size_t> limits_;
  std::vector<uint64_t> rule_limit_bits_;  // per rule
  void BuildRadix();
  void StoreRecordKeys(const std::vector<std::vector<std::pair<uint64_t, uint32_t>>>& parts,
                       size_t first, size_t n);
  size_t stored_first_ = 0;
  std::vector<uint64_t> stored_offsets_;  // per record of the last Add, and one past
  std::vector<uint64_t> stored_keys_;
  // Fills own_keys_ and own_records_ with the entries of `parts`, sorted (and
  // empties the parts).
  void SortEntries(std::vector<std::vector<std::pair<uint64_t, uint32_t>>>& parts, int threads);
  // The entries of the first Add, sorted by key then record, as two arrays: owned
  // (own_keys_, own_records_) or borrowed from `borrowed_`.
  std::span<const uint64_t> keys_;
  std::span<const uint32_t> records_;
  std::vector<uint64_t> own_keys_;
  std::vector<uint32_t> own_records_;
  std::shared_ptr<const void> borrowed_;
  // Where each value of a key's top radix_bits_ bits starts in keys_ (keys are
  // hashes, so these buckets hold a few entries each): one lookup and a short
  // search instead of a binary search over tens of millions of entries.
  std::vector<uint32_t> radix_;
  int radix_bits_ = 0;
  std::unordered_map<uint64_t, std::vector<uint32_t>> added_;
  mutable std::atomic<size_t> oversized_{0};  // for reports

  // The block of key k: its entries [lo, hi) of records_ and the records added to it
  // since (or null). False, and counted, when the block is over its rule's limit.
  struct Block {
    size_t lo = 0, hi = 0;
    const std::vector<uint32_t>* extra = nullptr;
  };
  bool Find(uint64_t k, Block& block) const;
};

}  // namespace izde::link
