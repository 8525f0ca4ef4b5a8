// What a report reads from a vault, held in memory while the vault is unlocked: the
// latest version of every person, event, facility, relation, source, testimony and
// evidence record the user may read, and the reviewers' link decisions (which person
// records are one person). Witness records are never loaded: no report may
// name a witness (docs/reports.md, "What a report never shows").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "identity/decision.h"
#include "identity/identity_clusters.h"
#include "model/record.h"
#include "vault/vault.h"

namespace izde::report {

struct Holdings {
  // By record id; std::map so that every listing comes out in a stable order.
  std::map<std::string, vault::OpenedVersion> people, events, facilities, relations, sources,
      testimonies, evidence;
  // Event ids per person id, in no particular order.
  std::map<std::string, std::vector<std::string>> events_of;
  // The latest reviewer decision on every pair of people (`link` records, by PairKey),
  // and the identity clusters they make (counted_people.h counts these, not records).
  std::map<std::string, identity::PairDecision> decisions;
  identity::IdentityClusters clusters;

  // The record with this id of any loaded type, or null.
  const vault::OpenedVersion* Find(const std::string& id) const;
};

Result<Holdings> LoadHoldings(vault::Vault& vault);
// The same, from versions a caller's own pass over the vault hands over one by one
// (vault::PublicationOptions::also_read): add each, then finish once.
Status AddToHoldings(Holdings& holdings, const vault::OpenedVersion& version);
void FinishHoldings(Holdings& holdings);
// A copy of a version with only the fields counting people and the estimate of the
// undocumented read (ids, kinds, dates, sources and list names, gender, hometown,
// the person an event or testimony is about, whole link decisions): names, testimony
// text and notes are left behind, which keeps a whole-vault pass small.
vault::OpenedVersion StatisticsCopy(const vault::OpenedVersion& version);
// The same from records already in memory (tests, and the demo generator's output).
Holdings HoldingsOf(const std::vector<model::Record>& records);

}  // namespace izde::report
