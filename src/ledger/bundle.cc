#include "ledger/bundle.h"

#include <nlohmann/json.hpp>

#include "ledger/base64.h"
#include "ledger/evidence_leaf.h"
#include "ledger/merkle_proof.h"
#include "ledger/record_proof.h"

namespace izde::ledger {
namespace {

using nlohmann::json;

Result<std::string> Text(const json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    return Status::Corrupt(where + ": \"" + key + "\" is missing or not text");
  return it->get<std::string>();
}

}  // namespace

std::string Bundle::Format() const {
  json out = {{"format", kBundleFormat},  {"log_key", log_key},
              {"checkpoint", checkpoint}, {"cosigner_keys", cosigner_keys},
              {"records", json::array()}, {"evidence", json::array()}};
  for (const auto& r : records) {
    json fields = json::array();
    for (const auto& f : r.revealed)
      fields.push_back({{"name", f.name}, {"value", f.value}, {"salt", Base64Encode(f.salt)}});
    out["records"].push_back({{"id", r.id},
                              {"type", r.type},
                              {"version", r.version},
                              {"revealed", fields},
                              {"proof", r.proof}});
  }
  for (const auto& e : evidence) out["evidence"].push_back({{"id", e.id}, {"proof", e.proof}});
  return out.dump(1) + "\n";
}

Result<Bundle> Bundle::Parse(std::string_view text) {
  if (text.size() > kMaxBundleBytes) return Status::Corrupt("the bundle is larger than 1 GiB");
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corrupt("the bundle is not a JSON object");
  IZDE_ASSIGN_OR_RETURN(std::string format, Text(j, "format", "bundle"));
  if (format != kBundleFormat)
    return Status::Corrupt("the bundle's format is '" + format + "', expected '" +
                           std::string(kBundleFormat) + "'");
  Bundle b;
  IZDE_ASSIGN_OR_RETURN(b.log_key, Text(j, "log_key", "bundle"));
  IZDE_ASSIGN_OR_RETURN(b.checkpoint, Text(j, "checkpoint", "bundle"));
  if (auto it = j.find("cosigner_keys"); it != j.end() && it->is_array())
    for (const auto& k : *it)
      if (k.is_string()) b.cosigner_keys.push_back(k.get<std::string>());
  auto records = j.find("records");
  auto evidence = j.find("evidence");
  if (records == j.end() || !records->is_array() || evidence == j.end() || !evidence->is_array())
    return Status::Corrupt("the bundle has no \"records\" and \"evidence\" lists");
  for (std::size_t i = 0; i < records->size(); ++i) {
    const json& r = (*records)[i];
    std::string where = "bundle record " + std::to_string(i + 1);
    if (!r.is_object()) return Status::Corrupt(where + " is not an object");
    BundleRecord out;
    IZDE_ASSIGN_OR_RETURN(out.id, Text(r, "id", where));
    where = "record " + out.id;
    IZDE_ASSIGN_OR_RETURN(out.type, Text(r, "type", where));
    IZDE_ASSIGN_OR_RETURN(out.proof, Text(r, "proof", where));
    auto version = r.find("version");
    if (version == r.end() || !version->is_number_unsigned())
      return Status::Corrupt(where + ": \"version\" is missing or not a number");
    out.version = version->get<std::uint64_t>();
    auto revealed = r.find("revealed");
    if (revealed == r.end() || !revealed->is_array())
      return Status::Corrupt(where + ": \"revealed\" is missing");
    for (const auto& f : *revealed) {
      if (!f.is_object()) return Status::Corrupt(where + ": a revealed field is not an object");
      FieldOpening o;
      IZDE_ASSIGN_OR_RETURN(o.name, Text(f, "name", where));
      IZDE_ASSIGN_OR_RETURN(o.value, Text(f, "value", where + " field " + o.name));
      IZDE_ASSIGN_OR_RETURN(std::string salt, Text(f, "salt", where + " field " + o.name));
      auto raw = Base64Decode(salt);
      if (!raw || raw->size() != kSaltSize)
        return Status::Corrupt(where + " field " + o.name + ": the salt is not 32 bytes of base64");
      std::copy(raw->begin(), raw->end(), o.salt.begin());
      out.revealed.push_back(std::move(o));
    }
    b.records.push_back(std::move(out));
  }
  for (std::size_t i = 0; i < evidence->size(); ++i) {
    const json& e = (*evidence)[i];
    std::string where = "bundle evidence " + std::to_string(i + 1);
    if (!e.is_object()) return Status::Corrupt(where + " is not an object");
    BundleEvidence out;
    IZDE_ASSIGN_OR_RETURN(out.id, Text(e, "id", where));
    IZDE_ASSIGN_OR_RETURN(out.proof, Text(e, "proof", "evidence " + out.id));
    b.evidence.push_back(std::move(out));
  }
  return b;
}

Result<BundleCheck> VerifyBundle(const Bundle& bundle, const CheckpointPolicy& policy) {
  BundleCheck check;
  auto verified = VerifyCheckpoint(bundle.checkpoint, policy);
  if (!verified.ok()) return verified.status().Within("the bundle's checkpoint");
  check.checkpoint = std::move(verified).value();
  const Checkpoint& cp = check.checkpoint.checkpoint;
  // Every proof must be against the checkpoint just verified: its signature is checked
  // once, and each inclusion proof against its root.
  auto included = [&](const std::string& what, const std::string& text) -> Result<RecordProof> {
    auto proof = RecordProof::Parse(text);
    if (!proof.ok()) return proof.status().Within(what + ": proof");
    if (proof->checkpoint != bundle.checkpoint)
      return Status::Corrupt(what + ": its proof is against another checkpoint than the bundle's");
    if (proof->entry.empty()) return Status::Corrupt(what + ": its proof carries no entry");
    IZDE_RETURN_IF_ERROR(
        VerifyInclusion(proof->index, cp.size, HashLeaf(proof->entry), proof->inclusion, cp.root)
            .Within(what + ": inclusion proof of log entry " + std::to_string(proof->index)));
    return proof;
  };
  for (const auto& r : bundle.records) {
    const std::string what = "record " + r.id + " version " + std::to_string(r.version);
    IZDE_ASSIGN_OR_RETURN(RecordProof proof, included(what, r.proof));
    auto leaf = RecordLeaf::Parse(proof.entry);
    if (!leaf.ok()) return leaf.status().Within(what + ": log entry");
    if (leaf->record_id != r.id || leaf->record_type != r.type || leaf->version != r.version)
      return Status::Corrupt(what + ": the log entry is for " + leaf->record_type + " " +
                             leaf->record_id + " version " + std::to_string(leaf->version));
    RedactedRecord redacted{std::move(leaf).value(), r.revealed};
    IZDE_RETURN_IF_ERROR(VerifyRedactedRecord(redacted).status().Within(what));
    ++check.records;
    check.revealed_fields += r.revealed.size();
  }
  for (const auto& e : bundle.evidence) {
    const std::string what = "evidence " + e.id;
    IZDE_ASSIGN_OR_RETURN(RecordProof proof, included(what, e.proof));
    auto leaf = EvidenceLeaf::Parse(proof.entry);
    if (!leaf.ok()) return leaf.status().Within(what + ": log entry");
    if (leaf->evidence_id != e.id)
      return Status::Corrupt(what + ": the log entry is for evidence " + leaf->evidence_id);
    ++check.evidence;
  }
  return check;
}

}  // namespace izde::ledger
