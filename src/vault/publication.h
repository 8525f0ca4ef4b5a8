// Which records a public bundle carries and which of their fields it reveals: the
// consent a witness gave in a testimony decides (docs/formats/bundle.md, "What is
// published"). Everything else appears only as an anonymous salted commitment.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/bundle.h"
#include "vault/vault.h"

namespace izde::vault {

struct PublicationOptions {
  // Narrows what consent allows (a group's publication policy, src/publish): a field for
  // which this returns false is not revealed even when consent would allow it. Null
  // reveals everything consent allows. It can never widen consent.
  std::function<bool(model::RecordType, std::string_view field)> field_allowed;
  // Also publish family relations (`from`, `to`, `kind`) whose two people are both
  // published with consent to their names.
  bool relations = false;
  // WritePublicBundle: also carry the evidence files themselves (those whose testimony
  // consents to publishing faces and voices), as OUT.files/<sha256 hex>.
  bool with_files = false;
  // Also hands every latest record version the bundle is built from (witnesses excepted)
  // to this, so that a caller who needs the same pass (the site's statistics) need not
  // open every record a second time. An error stops the build.
  std::function<Status(const OpenedVersion&)> also_read;
};

// Builds the bundle of every record version whose publication is consented, proved
// against the vault's latest checkpoint (with its RFC 3161 token when it has one).
Result<ledger::Bundle> BuildPublicBundle(Vault& vault, const PublicationOptions& options = {});

// Writes the bundle to `out`, the log's public key to OUT.pub and, with files, the
// evidence files to OUT.files/ (each checked against its hash as it is extracted).
Result<ledger::Bundle> WritePublicBundle(Vault& vault, const std::string& out,
                                         const PublicationOptions& options = {});

}  // namespace izde::vault
