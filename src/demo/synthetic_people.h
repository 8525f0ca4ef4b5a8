// Synthetic people for demos, tests and benchmarks: Kazakh, Uyghur and Han
// names written in several scripts (Kazakh Cyrillic and Latin variants,
// Uyghur Arabic script and Latin, Chinese characters and pinyin), families,
// witnesses, testimonies, events and facilities. Names are assembled at
// random from common name parts; no record describes a real person.
#pragma once

#include <cstdint>
#include <vector>

#include "model/record.h"

namespace izde::demo {

struct DemoOptions {
  size_t people = 500;
  uint64_t seed = 1;
  bool testimonies = true;  // witnesses, testimonies, events, relations
  // People documented a second time from another source (a leaked list in Chinese
  // characters, a Cyrillic or Arabic-script statement) under a new id: work for
  // `izde link` and the review queue. Added after the others; the first `people`
  // records are the same with or without them.
  size_t duplicates = 0;
  // Relatives' inquiries: `sought` people whose name, birth year and hometown match
  // someone documented, written in another spelling.
  size_t sought = 0;
};

// All records of a synthetic vault, ready for Vault::SaveAll.
std::vector<model::Record> SyntheticVault(const DemoOptions& options);

// A valid 18-character PRC resident ID for a Xinjiang region code and date.
std::string SyntheticPrcId(uint32_t region, int year, int month, int day, bool male,
                           uint32_t sequence);

}  // namespace izde::demo
