// How a record version becomes a ledger leaf (docs/formats/ledger.md §2, vault.md
// "The ledger"): every top-level field of its document is committed with a salt, and
// the salts are derived, not stored: salt = BLAKE2b-256 keyed with the tier's salt key
// over the version's coordinates and the field name. Deriving them means a crash can
// never lose a salt, a leaf can be recomputed from the sealed store alone (recovery and
// `izde verify --vault`), and the salts are exactly as secret as the tier key.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/evidence_leaf.h"
#include "ledger/record_leaf.h"
#include "model/record.h"
#include "vault/secret_key.h"

namespace izde::vault {

// crypto_kdf(tier key, subkey 2, "izdesalt"): one salt key per tier, so that a user
// without the witness key cannot derive the salts of witness records either.
SecretKey DeriveSaltKey(const SecretKey& tier_key);

// The bytes a field's commitment covers: a JSON string's UTF-8 text as is; any other
// JSON value as its compact serialisation with object keys sorted (nlohmann::json dump()).
std::string CanonicalValue(const nlohmann::json& value);

ledger::Salt FieldSalt(const SecretKey& salt_key, const std::string& record_id,
                       const std::string& type, int64_t version, const std::string& field);

// One opening per top-level field of the document, with its derived salt.
std::vector<ledger::FieldOpening> FieldOpenings(const SecretKey& salt_key,
                                                const model::Record& record, int64_t version);

Result<ledger::RecordLeaf> BuildRecordLeaf(const SecretKey& salt_key, const model::Record& record,
                                           int64_t version, const ledger::Hash& previous_leaf);

// The evidence leaf an evidence record describes (its sha256 and size fields); nullopt
// for other records.
Result<std::optional<ledger::EvidenceLeaf>> EvidenceLeafOf(const model::Record& record);

}  // namespace izde::vault
