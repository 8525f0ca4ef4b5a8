// Multiple systems estimation over a vault (`izde estimate` without --counts): the lists
// are the vault's sources — a source's `list` name, or else its kind (testimony,
// leaked_list, ...) — and the units are identity clusters, so a person documented twice
// and linked by a reviewer is counted once. A person is on a list when the list's source
// is among their own sources, an event's about them, or a testimony's that names them;
// a cluster is on every list any of its members is on. Unlinked people are their own
// cluster; clusters on no list are not counted (they cannot be, by the method).
#pragma once

#include <string>
#include <vector>

#include "estimate/estimate.h"
#include "identity/identity_clusters.h"
#include "identity/vault_view.h"

namespace izde::identity {

struct CaptureOptions {
  std::vector<std::string> lists;  // empty: every list of the vault
  // "", "hometown", "prefecture", "birth-decade" or "gender".
  std::string stratify;
  // Conditions a cluster must meet, all of them: event=KIND, year=YYYY or YYYY-YYYY (an
  // event in that period), gender=..., kind=documented|sought, hometown=PLACE,
  // prefecture=PLACE.
  std::vector<std::string> where;
};

struct Stratum {
  std::string name;
  std::vector<int64_t> counts;  // by capture mask, as estimate::CaptureTable
};

struct VaultCaptures {
  std::vector<std::string> lists;
  std::vector<int64_t> list_sizes;  // clusters on each list
  std::vector<Stratum> strata;      // one, named "all", when not stratified
  std::vector<estimate::ListCoverage> coverage;
  std::vector<std::string> warnings;  // about the vault's lists, beyond the table's own
  int64_t clusters = 0;               // clusters counted (on at least one chosen list)
  int64_t people = 0;                 // person records behind them
};

// Every list name of the vault with how many people are on it, for messages.
std::vector<std::pair<std::string, int64_t>> VaultLists(const VaultView& view);
// Only the list names (from the sources alone: quick), sorted.
std::vector<std::string> VaultListNames(const VaultView& view);

Result<VaultCaptures> CapturesFromVault(const VaultView& view, const IdentityClusters& clusters,
                                        const CaptureOptions& options);

// Runs the estimate per stratum and sums the strata (estimate/strata.h); the vault's
// warnings come first.
Result<estimate::EstimateReport> EstimateFromVault(const VaultCaptures& captures,
                                                   const estimate::EstimateOptions& options);

}  // namespace izde::identity
