// What a saved link state depends on besides its own bytes: the rules that turn a
// written value into what linkage compares (the names module's keys and similarity
// levels, dates, places, ID numbers) and the blocking rules that turn those into block
// keys. A state keeps the keys of a million records; a newer izde whose rules differ
// would compute other keys for new records, and they would silently miss the old ones.
// So a state records the fingerprint of the rules that made it, and a state made under
// other rules is refused (docs/formats/link-state.md).
#pragma once

#include <cstdint>

#include "link/fields.h"

namespace izde::link {

// Bump when a rule changes in a way the probe records below might not show.
inline constexpr uint32_t kRulesRevision = 1;

// A 64-bit fingerprint of the rules for `schema`: probe records written in every
// script and style izde reads (fixed, synthetic) are prepared, each one's block keys
// taken under every rule, and every pair compared field by field; the fingerprint
// hashes all of it with kRulesRevision. The same rules give the same value in every
// process; a change to a name key, a similarity level, a date or place reading, or a
// blocking rule that touches a probe changes it.
uint64_t RulesFingerprint(const Schema& schema);

}  // namespace izde::link
