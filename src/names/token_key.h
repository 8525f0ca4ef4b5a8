// Everything izde derives from one name token to match it: its script, romanisation,
// Turkic reading (Chinese forms) and phonetic keys. Deriving it costs ICU calls, so
// repeated tokens go through a TokenCache.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"
#include "names/phonetic_key.h"
#include "names/script.h"

namespace izde::names {

struct TokenKey {
  std::string text;  // the normalised token
  Script script = Script::kOther;
  std::string latin;    // romanisation (pinyin for Chinese characters)
  std::string reading;  // Turkic reading: of the characters, or of a pinyin-looking token
  std::string key;      // phonetic key of the reading if any, else of `latin`
  std::string stem;     // `key` without a patronymic or surname ending
  KeyEnding ending = KeyEnding::kNone;
  std::string alt_stem;  // a second plausible key (pinyin read as a transcription, or
                         // plain pinyin of Chinese characters); empty when none
};

// `token` must be one normalised token (names::Normalize, names::Tokens).
Result<TokenKey> MakeTokenKey(std::string_view token);

// A thread-safe memo of MakeTokenKey. Names repeat their parts heavily (a million
// people share a few thousand given names), and Han-Latin costs tens of microseconds
// per call. Holds plaintext name parts: clear it when the vault locks.
class TokenCache {
 public:
  // max_entries 0 makes a cache that stores nothing (to measure what caching saves).
  explicit TokenCache(size_t max_entries = 1 << 20);
  Result<std::shared_ptr<const TokenKey>> Get(std::string_view token);
  void Clear();
  size_t size() const;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const TokenKey>> entries;
  };
  size_t max_per_shard_;
  Shard shards_[kShards];
};

// The process-wide cache used by Explain, Compare and SearchKeys.
TokenCache& SharedTokenCache();

}  // namespace izde::names
