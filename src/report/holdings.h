// What a report reads from a vault, held in memory while the vault is unlocked: the
// latest version of every person, event, facility, relation, source, testimony and
// evidence record the user may read. Witness records are never loaded: no report may
// name a witness (docs/reports.md, "What a report never shows").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/record.h"
#include "vault/vault.h"

namespace izde::report {

struct Holdings {
  // By record id; std::map so that every listing comes out in a stable order.
  std::map<std::string, vault::OpenedVersion> people, events, facilities, relations, sources,
      testimonies, evidence;
  // Event ids per person id, in no particular order.
  std::map<std::string, std::vector<std::string>> events_of;

  // The record with this id of any loaded type, or null.
  const vault::OpenedVersion* Find(const std::string& id) const;
};

Result<Holdings> LoadHoldings(vault::Vault& vault);
// The same from records already in memory (tests, and the demo generator's output).
Holdings HoldingsOf(const std::vector<model::Record>& records);

}  // namespace izde::report
