#include "vault/field_commitments.h"

#include <sodium.h>

namespace izde::vault {

SecretKey DeriveSaltKey(const SecretKey& tier_key) {
  SecretKey k;
  crypto_kdf_derive_from_key(k.data(), SecretKey::kSize, 2, "izdesalt", tier_key.data());
  return k;
}

std::string CanonicalValue(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

ledger::Salt FieldSalt(const SecretKey& salt_key, const std::string& record_id,
                       const std::string& type, int64_t version, const std::string& field) {
  // NUL separators cannot occur in ids, types or field names, so the message is
  // unambiguous; the version is fixed-width.
  std::string msg = "izde/salt/v1";
  msg += '\0';
  msg += record_id;
  msg += '\0';
  msg += type;
  msg += '\0';
  for (int i = 0; i < 8; ++i)
    msg += static_cast<char>((static_cast<uint64_t>(version) >> (8 * i)) & 0xff);
  msg += '\0';
  msg += field;
  ledger::Salt salt;
  crypto_generichash(salt.data(), salt.size(), reinterpret_cast<const uint8_t*>(msg.data()),
                     msg.size(), salt_key.data(), SecretKey::kSize);
  return salt;
}

std::vector<ledger::FieldOpening> FieldOpenings(const SecretKey& salt_key,
                                                const model::Record& record, int64_t version) {
  std::vector<ledger::FieldOpening> out;
  const std::string type(model::TypeName(record.type));
  for (auto it = record.doc.begin(); it != record.doc.end(); ++it) {
    ledger::FieldOpening f;
    f.name = it.key();
    f.value = CanonicalValue(*it);
    f.salt = FieldSalt(salt_key, record.id, type, version, f.name);
    out.push_back(std::move(f));
  }
  return out;
}

Result<ledger::RecordLeaf> BuildRecordLeaf(const SecretKey& salt_key, const model::Record& record,
                                           int64_t version, const ledger::Hash& previous_leaf) {
  auto fields = FieldOpenings(salt_key, record, version);
  return ledger::RecordLeaf::Build(record.id, std::string(model::TypeName(record.type)),
                                   static_cast<uint64_t>(version), previous_leaf, fields);
}

Result<std::optional<ledger::EvidenceLeaf>> EvidenceLeafOf(const model::Record& record) {
  if (record.type != model::RecordType::kEvidence) return std::optional<ledger::EvidenceLeaf>();
  const auto& d = record.doc;
  std::string hex =
      d.contains("sha256") && d["sha256"].is_string() ? d["sha256"].get<std::string>() : "";
  ledger::EvidenceLeaf leaf;
  leaf.evidence_id = record.id;
  size_t bin_len = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(leaf.content_hash.data(), leaf.content_hash.size(), hex.data(), hex.size(),
                     nullptr, &bin_len, nullptr) != 0 ||
      bin_len != leaf.content_hash.size())
    return Status::Corrupt("evidence " + record.id + " has no valid sha256 to log");
  if (!d.contains("size") || !d["size"].is_number() || d["size"].get<double>() < 0)
    return Status::Corrupt("evidence " + record.id + " has no valid size to log");
  leaf.length = d["size"].get<uint64_t>();
  return std::optional<ledger::EvidenceLeaf>(std::move(leaf));
}

}  // namespace izde::vault
