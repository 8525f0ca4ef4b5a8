// What linkage, review, inquiries and estimation need from a vault, read in one pass
// over the latest versions of its records: people, the records that speak about them
// (events, relations, testimonies), sources, and the linkage records themselves
// (decisions, the review queue, inquiry notices). Witness and evidence records are not
// read. The view holds decrypted documents: keep it only as long as the work needs it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "identity/decision.h"
#include "vault/vault.h"

namespace izde::identity {

struct VaultView {
  // People, by id (sorted), and every other record read, by id.
  std::map<std::string, vault::OpenedVersion> people;
  std::unordered_map<std::string, vault::OpenedVersion> records;
  // Person id -> ids of the events, relations and testimonies that name them.
  std::unordered_map<std::string, std::vector<std::string>> about;
  // Pairs of people a relation record joins (a < b): never one person.
  std::unordered_set<std::string> relatives;  // PairKey
  // The latest decision per pair (the highest sequence when two records name one pair).
  std::unordered_map<std::string, PairDecision> decisions;  // PairKey -> decision
  int64_t last_sequence = 0;
  // The latest review queue, when `izde link` has run.
  std::optional<vault::OpenedVersion> queue;
  // Ids of the sought people (relatives' inquiries) and of the inquiry notices, in id
  // order, kept by Add and Finish so that the inquiries need not walk every record.
  std::vector<std::string> sought, notices;

  static Result<VaultView> Read(vault::Vault& vault);
  // The same from versions a caller's own pass over the vault hands over one by one
  // (vault::PublicationOptions::also_read): Add each latest version, then Finish once.
  Status Add(const vault::OpenedVersion& v);
  void Finish();

  std::vector<std::string> PersonIds() const;
  std::vector<PairDecision> DecisionList() const;
  bool IsSought(const std::string& person) const;
  const PairDecision* DecisionOf(const std::string& a, const std::string& b) const;
  // Adds or replaces a decision after it was saved.
  void Note(const PairDecision& d);

 private:
  std::vector<PairDecision> pending_;  // read by Add, noted by Finish
};

// The id of the one review-queue record of a vault.
inline constexpr const char* kQueueRecordId = "link-queue";

}  // namespace izde::identity
