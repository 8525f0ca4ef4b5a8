// ICU transform rules for Uyghur, written for izde: ICU 72 ships none, and Any-Latin
// turns Uyghur Arabic script into noise. Both produce ULY (Uyghur Latin Yéziqi), the
// romanisation izde matches on. Letter table: ../shared/data/translit/uyghur_script_table.csv.
#pragma once

namespace izde::names {

// Uyghur Arabic script (UEY) -> ULY. Presentation forms are folded first (NFKC); the
// hamza seat ئ is silent at the start of a word and an apostrophe elsewhere.
extern const char16_t kUyghurArabicToUlyRules[];

// Uyghur Cyrillic (UKY, as written in Kazakhstan) -> ULY. Also accepts the Kazakh-only
// letters ұ and і, which turn up in Uyghur names written by Kazakh clerks.
extern const char16_t kUyghurCyrillicToUlyRules[];

}  // namespace izde::names
