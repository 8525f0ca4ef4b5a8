// Phonetic keys: romanisation variants folded into one small alphabet so that
// Qalida / Kalida / Қалида, Toxti / Tohti / Tokhti and Memet / Mämet / Mehmet meet.
// Key alphabet (docs/formats/names-keys.md):
//   vowels     a e i o u        (ä ə ă é ë -> e; ı ï і and syllabic y -> i; ö -> o; ü ū ұ -> u)
//   consonants b p t d k g x j C s z S f v l m n N r y
//              (q -> k; c -> j, as Turkish-style Latin writes it; gh ğ -> g; kh h x -> x; zh dzh ž
//              j -> j; ch ç č -> C;
//               sh ş š -> S; w -> v; ng ñ ŋ -> N; y between vowels or next to one -> y)
// Repeated letters collapse (Mämmet = Mämet).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace izde::names {

// `latin` is lower-case Latin from names::ToLatin (diacritics allowed).
std::string PhoneticKey(std::string_view latin);

// The key with a patronymic or Russian-style surname ending removed
// ("tursunuli" -> "tursun", "tursunova" -> "tursun"): Chinese and Uyghur forms of the
// same person carry only the father's name. Returns the key unchanged when no
// ending is found or the stem would be shorter than three letters.
std::string_view StemOfKey(std::string_view key);

// Which ending StemOfKey removed, if any.
enum class KeyEnding { kNone, kPatronymic, kSurname };
KeyEnding EndingOfKey(std::string_view key);

// A coarser key for full-text search: consonant classes only, plus 'A' for a leading
// vowel ("tursun" -> "TLSN", "akitxan" -> "AKTKN"; l and r are one class). Equal
// skeletons are candidates, not matches; Compare decides.
std::string SearchSkeleton(std::string_view key);

// The skeleton of `key` as Chinese transcription and Kazakh Latin write it: without
// an h (x) between vowels or before a word's first vowel, which Chinese leaves out
// (塔依尔 tayir / Tahir, 阿不都热依木 abdureyim / Abdurehim, 吾守尔 ushur / Hoshur), and
// with a v after a consonant read as the vowel u (Kazakh Latin w: Timwr, Kwanysh);
// empty when the key has neither.
std::string LooseSkeleton(std::string_view key);

// The skeletons of the two parts of a name run together (阿依古丽塔依尔, Aygül Tahir in
// characters without the dot), split at every letter of its key where both parts keep
// two skeleton letters or more: which split is the name's, nothing in the characters
// says, and the right one meets the skeletons of the name written in two parts.
// Duplicates removed; empty for a key too short to split.
std::vector<std::pair<std::string, std::string>> SplitSkeletons(std::string_view key);

inline bool IsKeyVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace izde::names
