// The review queue a linkage run leaves in the vault: one `link_queue` record (id
// "link-queue"), a new version per run. It holds ids, probabilities, comparison levels
// and the model's weights only, never a name (docs/formats/identity.md):
//
//   pairs = {"a": [id], "b": [id], "probability": [p], "levels": ["31202", ...],
//            "weights": [[bits per level] per field], "prior": p}
//
// `levels` has one digit per field of `fields` (0 = missing, see link/fields.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "vault/sealed_document.h"

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
  // From the stored version.
  int64_t version = 0, at = 0;
  std::string author;
};

model::Record ToRecord(const ReviewQueueRecord& q);
Result<ReviewQueueRecord> QueueFromVersion(const vault::OpenedVersion& v);

}  // namespace izde::identity
