#include "ledger/evidence_leaf.h"

#include "ledger/record_leaf.h"
#include "ledger/utf8.h"
#include "ledger/wire_format.h"

namespace izde::ledger {

Result<EvidenceLeaf> EvidenceLeaf::ForContent(std::string evidence_id, Bytes original) {
  if (evidence_id.empty() || evidence_id.size() > kMaxIdBytes || !IsValidUtf8(evidence_id)) {
    return Status::InvalidInput("evidence id must be 1 to 255 bytes of UTF-8");
  }
  return EvidenceLeaf{std::move(evidence_id), original.size(), Sha256Of(original)};
}

std::vector<std::uint8_t> EvidenceLeaf::Encode() const {
  WireWriter w;
  w.U8(kEvidenceLeafKind);
  w.String16(evidence_id);
  w.U64(length);
  w.Raw(Bytes(content_hash));
  return w.Take();
}

Result<EvidenceLeaf> EvidenceLeaf::Parse(Bytes entry) {
  WireReader r(entry);
  auto kind = r.U8();
  if (!kind || *kind != kEvidenceLeafKind) return Status::Corrupt("entry is not an evidence leaf");
  auto id = r.String16();
  auto length = id ? r.U64() : std::nullopt;
  auto hash = length ? r.HashValue() : std::nullopt;
  if (!hash || !r.AtEnd()) return Status::Corrupt("evidence leaf is truncated or too long");
  if (id->empty() || id->size() > kMaxIdBytes || !IsValidUtf8(*id)) {
    return Status::Corrupt("evidence leaf has an invalid id");
  }
  return EvidenceLeaf{*id, *length, *hash};
}

Status EvidenceLeaf::Matches(Bytes copy) const {
  if (copy.size() != length) {
    return Status::Corrupt("evidence " + evidence_id + " is " + std::to_string(copy.size()) +
                           " bytes, the logged original was " + std::to_string(length));
  }
  if (Sha256Of(copy) != content_hash) {
    return Status::Corrupt("evidence " + evidence_id +
                           " differs from the logged original (SHA-256 mismatch)");
  }
  return Status::Ok();
}

}  // namespace izde::ledger
