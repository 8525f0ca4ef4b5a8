#include "names/token_key.h"

#include <functional>

#include "names/han_reading.h"
#include "names/name_parts.h"
#include "names/transliterate.h"

namespace izde::names {

Result<TokenKey> MakeTokenKey(std::string_view token) {
  TokenKey t;
  t.text = std::string(token);
  t.script = DetectScript(token);
  IZDE_ASSIGN_OR_RETURN(t.latin, ToLatin(token));
  std::string plain_key = PhoneticKey(t.latin);
  if (t.script == Script::kHan) {
    // The plain pinyin key of a name that starts with a common family name is made of
    // the family and the given name keyed apart, as a list that romanises it writes
    // them (Li Yongwei): keyed as one word, the given name's initial y after the
    // family's final i would vanish (liyongwei -> lioNvei), and 李燕 would not meet
    // Li Yan. (The Turkic reading below, the token's first key, is not split.)
    if (const size_t family = ChineseFamilyNameLength(token); family > 0) {
      IZDE_ASSIGN_OR_RETURN(std::string f, ToLatin(token.substr(0, family)));
      IZDE_ASSIGN_OR_RETURN(std::string g, ToLatin(token.substr(family)));
      plain_key = PhoneticKey(f) + PhoneticKey(g);
    }
    // Chinese characters: the Turkic reading is the key; the plain pinyin is kept as
    // the alternative, for Han Chinese names and for lists that romanise them. No
    // stemming: Chinese transcriptions carry no -uly/-ov endings, and their syllables
    // end like them by accident (古丽 guli, "-gul").
    IZDE_ASSIGN_OR_RETURN(t.reading, TurkicReadingOfHan(token));
    t.key = PhoneticKey(t.reading);
    t.stem = t.key;
    if (plain_key != t.key) t.alt_stem = std::move(plain_key);
    return t;
  }
  t.key = std::move(plain_key);
  t.stem = std::string(StemOfKey(t.key));
  t.ending = EndingOfKey(t.key);
  // A Latin token that splits into transcription syllables may be pinyin of a Chinese
  // form (Maimaiti); its Turkic reading is the alternative. It may equally be a Turkic
  // spelling that happens to split (Alima = a-li-ma), so the plain key stays first.
  if (auto reading = TurkicReadingOfPinyin(t.latin)) {
    t.reading = std::move(*reading);
    std::string reading_key = PhoneticKey(t.reading);
    if (reading_key != t.stem) t.alt_stem = std::move(reading_key);
  }
  return t;
}

TokenCache::TokenCache(size_t max_entries)
    : max_per_shard_(max_entries == 0 ? 0 : std::max<size_t>(1, max_entries / kShards)) {}

Result<std::shared_ptr<const TokenKey>> TokenCache::Get(std::string_view token) {
  if (max_per_shard_ == 0) {  // a cache that stores nothing: the uncached baseline
    IZDE_ASSIGN_OR_RETURN(TokenKey computed, MakeTokenKey(token));
    return std::make_shared<const TokenKey>(std::move(computed));
  }
  Shard& shard = shards_[std::hash<std::string_view>()(token) % kShards];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (auto it = shard.entries.find(std::string(token)); it != shard.entries.end()) {
      return it->second;
    }
  }
  // Computed outside the lock: two threads may both compute a new token; both
  // results are equal, and the lock is never held across ICU calls.
  IZDE_ASSIGN_OR_RETURN(TokenKey computed, MakeTokenKey(token));
  auto shared = std::make_shared<const TokenKey>(std::move(computed));
  std::lock_guard<std::mutex> lock(shard.mutex);
  // A full shard is emptied rather than managed as an LRU: the working set of name
  // parts is small, so this happens only on pathological input.
  if (shard.entries.size() >= max_per_shard_) shard.entries.clear();
  shard.entries.emplace(std::string(token), shared);
  return shared;
}

void TokenCache::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    shard.entries.clear();
  }
}

size_t TokenCache::size() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

TokenCache& SharedTokenCache() {
  static TokenCache* cache = new TokenCache();  // never destroyed: used until exit
  return *cache;
}

}  // namespace izde::names
