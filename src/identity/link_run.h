// `izde link`: scores every pair of people in the vault that blocking brings together
// (src/link), re-estimates the model from the reviewers' decisions, and leaves a review
// queue of the pairs worth a look, plus inquiry notices, in the vault. The linker's
// state is kept as sealed vault settings (a base, the deltas of later runs, and what
// the state has seen: the vault's change number and its sought people), so the next
// run reads only the records changed since and compares only the people added since;
// a person changed or removed since makes the run link everyone again.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "vault/vault.h"

namespace izde::identity {

struct LinkRunOptions {
  int threads = 1;
  // Pairs at or above this match probability are queued for review.
  double queue_floor = 0.05;
  // Sought people (inquiries) raise a notice for pairs at or above this probability.
  double notice_probability = 0.5;
  // Score every kept pair and write the review queue whole, even when the queue in the
  // vault could be added to (a queue its review reports damaged).
  bool rebuild_queue = false;
};

struct LinkRunReport {
  size_t people = 0;
  uint64_t comparisons = 0;
  size_t queued = 0;
  size_t decisions_used = 0;  // reviewer decisions that re-estimated the model
  size_t held_apart = 0;      // pairs left out by a hard constraint
  size_t notices = 0;         // notices raised or updated
  // Linked through the state the previous run saved: only people new since then
  // were compared (new_people); false when there was no usable state or a person in
  // it was changed or removed since (then everyone was linked again, and why says why).
  bool from_state = false;
  size_t new_people = 0;
  std::string full_run_reason;
  double seconds_read = 0, seconds_link = 0, seconds_save = 0;
  // Of seconds_read: reading the saved link state (its sealed settings, decrypted and
  // checked).
  double seconds_read_state = 0;
  // Read only what changed since the saved state (Store::ChangesSince): the people new
  // or changed since, the sought people, and the records that are not people; every
  // other person was left sealed. people_read counts the people decrypted.
  bool changes_only = false;
  size_t people_read = 0;
  // The state saved as a delta after the earlier ones (not written whole again).
  bool state_appended = false;
  // Queued pairs still waiting for a decision (as Review::PendingCount counts them).
  size_t pending = 0;
  // The review queue: every kept pair scored again and the queue written whole
  // (queue_reason says why), or only this run's pairs scored and appended as a part
  // (queue_appended of them; the pending count is the previous one plus theirs).
  bool queue_rescored = false;
  std::string queue_reason;
  size_t queue_appended = 0;
};

// Progress: (done, total) people scored.
Result<LinkRunReport> LinkVault(vault::Vault& vault, const LinkRunOptions& options,
                                const vault::Progress& progress = nullptr);

}  // namespace izde::identity
