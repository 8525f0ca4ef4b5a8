// The review queue a linkage run leaves in the vault: the pairs worth a reviewer's look,
// with their probabilities, comparison levels and the model's weights; ids only, never
// a name (docs/formats/identity.md, "The review queue").
//
// It is derived data (`izde link` rebuilds it from the link state and the decisions),
// so it is kept as sealed vault settings beside the link state rather than as a record
// with every version kept forever: a base written when the queue is scored anew, parts
// appended by later runs that only added people (the new pairs), and a small head
// saying what the queue was scored with and how many pairs each piece holds. Vaults
// from before keep one `link_queue` record ("link-queue"), read until `izde link`
// moves the queue into settings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "vault/sealed_document.h"
#include "vault/vault.h"

namespace izde::identity {

struct QueuedPair {
  std::string a, b;  // a < b
  double probability = 0;
  std::vector<uint8_t> levels;  // one per field
};

struct ReviewQueueRecord {
  std::vector<std::string> fields;
  std::vector<std::vector<double>> weights;  // per field, per level: log2(m/u)
  double prior = 0.01;
  std::vector<QueuedPair> pairs;
  uint64_t people = 0, comparisons = 0;
  // When the queue was written, by whom, and its version (the record's version; for a
  // queue kept in settings, how many runs have written it).
  int64_t version = 0, at = 0;
  std::string author;
};

// The legacy `link_queue` record (vaults from before the queue moved into settings).
model::Record ToRecord(const ReviewQueueRecord& q);
Result<ReviewQueueRecord> QueueFromVersion(const vault::OpenedVersion& v);
// The version `izde link` leaves in a legacy record once the queue has moved: an empty
// queue (so an older izde shows nothing rather than a stale queue) marked as moved.
model::Record MovedQueueRecord();
bool IsMovedQueue(const vault::OpenedVersion& v);

// ---- The queue kept in sealed settings ----

// The prefix of the settings of the link state and queue of the user who unlocked the
// vault: "link-state", or "link-state.witness" for a user holding the witness key.
std::string LinkStateSetting(const vault::Vault& vault);
std::string QueueBaseSetting(const std::string& state);   // state + ".queue"
std::string QueuePartsSetting(const std::string& state);  // state + ".queue.parts"
std::string QueueHeadSetting(const std::string& state);   // state + ".queue.head"

// A queued pair as a run holds it: two id numbers into a table of ids.
struct QueueEntry {
  uint32_t a = 0, b = 0;
  double probability = 0;
  const uint8_t* levels = nullptr;  // nf of them
};

// The head: what the queue holds and was scored with. JSON in its sealed setting.
struct QueueHead {
  std::string tag;  // random, hex; the base and every part carry it
  int64_t generation = 0, at = 0;
  std::string author;
  uint64_t records = 0;  // people linked when it was written (the link state's records)
  uint64_t people = 0, comparisons = 0;
  std::string key;  // what the pairs were scored with (link_run.cc)
  uint64_t pending = 0, held_apart = 0, queued = 0;
  uint64_t base_pairs = 0;
  std::vector<uint64_t> part_pairs;
  std::vector<std::string> fields;
  std::vector<std::vector<double>> weights;
  double prior = 0.01;
  // Queued pairs with a side in the identity cluster of a sought person (what the
  // inquiry notices are made from), so that a run need not read the whole queue.
  std::vector<QueuedPair> sought_pairs;
};

std::string EncodeHead(const QueueHead& h);
Result<QueueHead> DecodeHead(const std::string& bytes);
// None when the vault has no queue in settings.
Result<std::optional<QueueHead>> ReadQueueHead(vault::Vault& vault, const std::string& state);

// One piece of the queue (the base is piece 0): `ids` is the table `entries` index.
std::string EncodeQueuePiece(const std::string& tag, uint32_t index, size_t nf,
                             const std::vector<std::string_view>& ids,
                             const std::vector<QueueEntry>& entries);
// Appends the pairs of one piece to `out`; kCorrupt when it is not the piece expected.
Status DecodeQueuePiece(std::string_view bytes, const std::string& tag, uint32_t index, size_t nf,
                        uint64_t expected_pairs, std::vector<QueuedPair>& out);
// The parts setting: { u64le length, piece }*.
bool SplitParts(std::string_view blob, std::vector<std::string_view>& out);
void AppendPart(std::string& blob, std::string_view piece);

// The whole queue from settings: none when there is no head; kCorrupt (saying to run
// izde link) when a piece is missing, damaged or from another queue.
Result<std::optional<ReviewQueueRecord>> ReadQueue(vault::Vault& vault, const std::string& state);

// The queue a review shows: the one of the user's own link state, else the other
// kind's (a vault linked only by users with, or only by users without, the witness
// key: ids and probabilities only, as the one shared record was before).
std::vector<std::string> QueueSettingsToRead(const vault::Vault& vault);
Result<std::optional<ReviewQueueRecord>> ReadQueue(vault::Vault& vault);

// What changes whenever the queue does (for a server that keeps a review between
// requests): "" when the vault has no queue.
Result<std::string> QueueStamp(vault::Vault& vault);

}  // namespace izde::identity
