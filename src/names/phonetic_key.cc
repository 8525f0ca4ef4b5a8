#include "names/phonetic_key.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>

namespace izde::names {
namespace {

// Maps one code point of a romanisation to ASCII letters; uppercase letters stand for
// the single-letter key consonants (S = sh, C = ch, G = gh, N = ng, J = zh).
// Returns an empty view for characters that carry no sound of their own.
std::string_view AsciiOf(UChar32 c) {
  if (c >= 'a' && c <= 'z') {
    static const std::array<std::string, 26> kLetters = [] {
      std::array<std::string, 26> letters;
      for (int i = 0; i < 26; ++i) letters[i] = std::string(1, static_cast<char>('a' + i));
      return letters;
    }();
    return kLetters[c - 'a'];
  }
  if (c >= 'A' && c <= 'Z') return AsciiOf(c - 'A' + 'a');
  switch (c) {
    case u'á':
    case u'à':
    case u'â':
    case u'ā':
    case u'ã':
    case u'å':
    case u'ą':
      return "a";
    case u'ä':
    case u'ə':
    case u'æ':
    case u'ă':
    case u'é':
    case u'è':
    case u'ê':
    case u'ë':
    case u'ē':
    case u'ė':
    case u'ę':
    case u'ě':
    case 0x04D9:
      return "e";
    case u'ı':
    case u'ī':
    case u'í':
    case u'ì':
    case u'î':
    case u'ï':
    case 0x0456:
      return "i";
    case u'ó':
    case u'ò':
    case u'ô':
    case u'ö':
    case u'ø':
    case u'ō':
    case u'õ':
    case u'ő':
    case 0x0275:  // ɵ (Yengi Yeziq ö)
      return "o";
    case u'ú':
    case u'ù':
    case u'û':
    case u'ü':
    case u'ū':
    case u'ű':
    case u'ů':
    case u'ǖ':
    case u'ǘ':
    case u'ǚ':
    case u'ǜ':
      return "u";
    case u'ş':
    case u'š':
    case u'ș':
    case u'ś':
      return "S";
    case u'ç':
    case u'č':
    case u'ć':
      return "C";
    case u'ğ':
    case 0x01A3:  // ƣ (Yengi Yeziq gh)
      return "G";
    case u'ž':
    case u'ż':
    case u'ź':
    case 0x2C6C:  // ⱬ (Yengi Yeziq zh)
      return "J";
    case u'ñ':
    case u'ń':
    case u'ŋ':
    case u'ň':
      return "N";
    case 0x2C6A:  // ⱪ (Yengi Yeziq q)
    case u'ķ':
      return "q";
    case 0x2C68:  // ⱨ (Yengi Yeziq h)
    case u'ḥ':
    case u'ħ':
    case u'ḩ':
      return "h";
    case u'ý':
    case u'ÿ':
      return "y";
    case u'ł':
    case u'ļ':
      return "l";
    case u'ţ':
    case u'ť':
      return "t";
    case u'ď':
    case u'đ':
      return "d";
    case u'ř':
      return "r";
    default:
      return {};  // apostrophes, soft signs, combining marks, other scripts
  }
}

bool IsVowelLetter(char c) { return IsKeyVowel(c); }

}  // namespace

std::string PhoneticKey(std::string_view latin) {
  std::string ascii;
  ascii.reserve(latin.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(latin.data());
  const int32_t length = static_cast<int32_t>(latin.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0) ascii.append(AsciiOf(c));
  }

  std::string key;
  key.reserve(ascii.size());
  const size_t n = ascii.size();
  // Where a final -qyzy/-kyzy/-qızı starts, if the token has one: its k is kept even
  // after a stem ending in k (Zhanbek + qyzy), or collapsing the two would leave the
  // ending to eat the stem's last letter (janbekizi -> janbe).
  size_t daughter_ending = std::string::npos;
  if (n >= 7) {
    const std::string_view tail = std::string_view(ascii).substr(n - 4);
    if ((tail[0] == 'k' || tail[0] == 'q' || tail[0] == 'g') &&
        (tail[1] == 'y' || tail[1] == 'i') && tail[2] == 'z' && (tail[3] == 'y' || tail[3] == 'i'))
      daughter_ending = n - 4;
  }
  auto at = [&](size_t i) { return i < n ? ascii[i] : '\0'; };
  for (size_t i = 0; i < n;) {
    const char c = ascii[i];
    const char next = at(i + 1);
    char out = c;
    size_t used = 1;
    if (c == 'd' && next == 'z' && at(i + 2) == 'h') {
      out = 'j', used = 3;
    } else if (c == 't' && next == 'c' && at(i + 2) == 'h') {
      out = 'C', used = 3;
    } else if (c == 'd' && next == 'j') {
      out = 'j', used = 2;
    } else if (next == 'h' &&
               (c == 'z' || c == 'k' || c == 'g' || c == 's' || c == 'c' || c == 'p' || c == 't')) {
      static constexpr std::string_view kFrom = "zkgscpt";
      static constexpr std::string_view kTo = "jxgSCft";
      out = kTo[kFrom.find(c)], used = 2;
    } else if (c == 'n' && next == 'g' && !IsVowelLetter(at(i + 2))) {
      // "ng" before a vowel is usually n + g across syllables (Mengül is rarer than
      // Nurgül), so only a final or pre-consonant ng is the velar nasal.
      out = 'N', used = 2;
    } else if (c == 'y') {
      const bool vowel_before = !key.empty() && IsVowelLetter(key.back());
      const bool vowel_after = IsVowelLetter(next);
      out = (vowel_before || vowel_after) ? 'y' : 'i';
    } else {
      switch (c) {
        case 'q':
          out = 'k';
          break;
        case 'c':
          // Turkish-style Uyghur and Kazakh Latin write j as c (Osmancan, Micit);
          // ch and ç are handled above.
          out = 'j';
          break;
        case 'h':
          out = 'x';
          break;
        case 'w':
          out = 'v';
          break;
        case 'G':
          out = 'g';
          break;
        case 'J':
          out = 'j';
          break;
        default:
          break;
      }
    }
    const bool keep_double = i == daughter_ending;
    i += used;
    // A glide next to i adds nothing: Kazakh -iy, Chinese yi.
    if (out == 'y' && !key.empty() && key.back() == 'i') continue;
    if (out == 'i' && !key.empty() && key.back() == 'y') key.back() = 'i';
    if (!key.empty() && key.back() == out && !keep_double) continue;
    key.push_back(out);
  }
  return key;
}

namespace {

struct Ending {
  std::string_view suffix;
  KeyEnding kind;
};

// Longest first, so -ovna wins over -na and -ova over -ov.
constexpr Ending kEndings[] = {
    {"oviC", KeyEnding::kPatronymic}, {"eviC", KeyEnding::kPatronymic},
    {"ovna", KeyEnding::kPatronymic}, {"evna", KeyEnding::kPatronymic},
    {"kizi", KeyEnding::kPatronymic}, {"gizi", KeyEnding::kPatronymic},
    {"ogli", KeyEnding::kPatronymic}, {"oglu", KeyEnding::kPatronymic},
    {"uli", KeyEnding::kPatronymic},  {"ova", KeyEnding::kSurname},
    {"eva", KeyEnding::kSurname},     {"ov", KeyEnding::kSurname},
    {"ev", KeyEnding::kSurname},
};

constexpr size_t kMinStem = 3;

const Ending* FindEnding(std::string_view key) {
  for (const Ending& e : kEndings) {
    if (key.size() < e.suffix.size() + kMinStem || !key.ends_with(e.suffix)) continue;
    // -guli is 古丽 (gül) in pinyin (Ayiguli, Nuerguli), not a son of "Ayig".
    if (e.suffix == "uli" && key[key.size() - 4] == 'g') continue;
    return &e;
  }
  return nullptr;
}

}  // namespace

std::string_view StemOfKey(std::string_view key) {
  const Ending* e = FindEnding(key);
  if (!e) return key;
  return key.substr(0, key.size() - e->suffix.size());
}

KeyEnding EndingOfKey(std::string_view key) {
  const Ending* e = FindEnding(key);
  return e ? e->kind : KeyEnding::kNone;
}

std::string SearchSkeleton(std::string_view key) {
  std::string skeleton;
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    char out;
    switch (c) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        // A leading vowel is kept, also after a leading y: pinyin and Uyghur write
        // an initial E or I with one (Yeerlan / Erlan, Yilihamu / Ilham).
        if (i != 0 && !(i == 1 && key[0] == 'y')) continue;
        out = 'A';
        break;
      case 'b':
      case 'p':
        out = 'B';
        break;
      case 't':
      case 'd':
        out = 'T';
        break;
      case 'k':
      case 'g':
      case 'x':
        out = 'K';
        break;
      case 'j':
      case 'C':
        out = 'J';
        break;
      case 's':
      case 'z':
      case 'S':
        out = 'S';
        break;
      case 'f':
      case 'v':
        out = 'V';
        break;
      case 'n':
      case 'N':
        out = 'N';
        break;
      case 'y':
        continue;
      case 'l':
      case 'r':
        // Chinese has no r: transcriptions write it with l (拉 la, 力 li, 丽 li).
        out = 'L';
        break;
      default:
        out = static_cast<char>(c - 'a' + 'A');
        break;  // m
    }
    if (!skeleton.empty() && skeleton.back() == out) continue;
    skeleton.push_back(out);
  }
  return skeleton;
}

std::string LooseSkeleton(std::string_view key) {
  std::string dropped;
  bool any = false;
  for (size_t i = 0; i < key.size(); ++i) {
    const bool vowel_after = i + 1 < key.size() && (IsKeyVowel(key[i + 1]) || key[i + 1] == 'y');
    const bool vowel_before = i == 0 || IsKeyVowel(key[i - 1]) || key[i - 1] == 'y';
    if (key[i] == 'x' && vowel_after && vowel_before) {
      any = true;
      continue;
    }
    // A v after a consonant is Kazakh Latin w for u (Timwr, Aysulw, Kwanysh).
    if (key[i] == 'v' && i > 0 && !vowel_before) {
      any = true;
      dropped.push_back('u');
      continue;
    }
    dropped.push_back(key[i]);
  }
  return any ? SearchSkeleton(dropped) : std::string();
}

std::vector<std::pair<std::string, std::string>> SplitSkeletons(std::string_view key) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 2; i + 2 <= key.size(); ++i) {
    std::pair<std::string, std::string> split{SearchSkeleton(key.substr(0, i)),
                                              SearchSkeleton(key.substr(i))};
    if (split.first.size() < 2 || split.second.size() < 2) continue;
    if (std::find(out.begin(), out.end(), split) == out.end()) out.push_back(std::move(split));
  }
  return out;
}

}  // namespace izde::names
