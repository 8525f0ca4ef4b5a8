// A reviewer's decision on a pair of people, as stored in a `link` record
// (docs/formats/identity.md). Decisions are never rewritten: an undo is a new version
// of the same record, so the history shows every decision with who and when.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "vault/sealed_document.h"

namespace izde::identity {

enum class Decision { kUndecided, kSame, kDifferent };

std::string_view DecisionName(Decision d);  // "undecided", "same", "different"
Result<Decision> ParseDecision(std::string_view name);

// The key of a pair, whatever the order it is given in: "A+B" with A < B. Record ids
// never contain '+'.
std::string PairKey(const std::string& a, const std::string& b);
// "A+B" (either order) -> {A, B} sorted; InvalidInput when it is not two record ids.
Result<std::pair<std::string, std::string>> ParsePairKey(const std::string& key);

struct PairDecision {
  std::string record_id;  // the `link` record
  std::string a, b;       // a < b
  Decision decision = Decision::kUndecided;
  int64_t sequence = 0;  // orders decisions across records
  int64_t version = 0;
  int64_t at = 0;  // unix seconds
  std::string author;
  std::optional<double> probability;
  nlohmann::json levels = nlohmann::json::object();  // field -> level name
  std::string notes;
  int64_t undoes = 0;  // the version this one takes back (0: not an undo)

  std::string pair() const { return PairKey(a, b); }
};

// Reads a `link` record's version.
Result<PairDecision> DecisionFromVersion(const vault::OpenedVersion& v);
// The document a decision is stored as.
model::Record DecisionRecord(const PairDecision& d);

}  // namespace izde::identity
