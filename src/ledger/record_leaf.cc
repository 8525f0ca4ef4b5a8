#include "ledger/record_leaf.h"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "ledger/secret_bytes.h"
#include "ledger/utf8.h"
#include "ledger/wire_format.h"

namespace izde::ledger {
namespace {

void U32(Sha256& h, std::size_t n) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                             static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
  h.Update(Bytes(b, 4));
}

Status CheckId(const std::string& s, const char* what) {
  if (s.empty() || s.size() > kMaxIdBytes || !IsValidUtf8(s)) {
    return Status::InvalidInput(std::string(what) + " must be 1 to " + std::to_string(kMaxIdBytes) +
                                " bytes of UTF-8");
  }
  return Status::Ok();
}

Status CheckShape(const RecordLeaf& leaf) {
  IZDE_RETURN_IF_ERROR(CheckId(leaf.record_id, "record id"));
  IZDE_RETURN_IF_ERROR(CheckId(leaf.record_type, "record type"));
  const std::string who = "record " + leaf.record_id;
  if (leaf.version == 0) return Status::InvalidInput(who + ": versions start at 1");
  const bool has_previous = leaf.previous_leaf != Hash{};
  if (leaf.version == 1 && has_previous) {
    return Status::InvalidInput(who + ": version 1 cannot have a previous version");
  }
  if (leaf.version > 1 && !has_previous) {
    return Status::InvalidInput(who + " version " + std::to_string(leaf.version) +
                                " must name its previous version's leaf hash");
  }
  if (leaf.commitments.size() > kMaxFields) {
    return Status::InvalidInput(who + " has more than " + std::to_string(kMaxFields) + " fields");
  }
  for (std::size_t i = 1; i < leaf.commitments.size(); ++i) {
    if (!(leaf.commitments[i - 1] < leaf.commitments[i])) {
      return Status::InvalidInput(who + ": field commitments are not sorted and distinct");
    }
  }
  return Status::Ok();
}

}  // namespace

Salt NewSalt() {
  EnsureSodium();
  Salt s;
  randombytes_buf(s.data(), s.size());
  return s;
}

Hash FieldCommitment(const FieldOpening& field) {
  Sha256 h;
  h.Update(Bytes(field.salt));
  U32(h, field.name.size());
  h.Update(field.name);
  U32(h, field.value.size());
  h.Update(field.value);
  return h.Finish();
}

Result<RecordLeaf> RecordLeaf::Build(std::string record_id, std::string record_type,
                                     std::uint64_t version, const Hash& previous_leaf,
                                     std::span<const FieldOpening> fields) {
  RecordLeaf leaf{std::move(record_id), std::move(record_type), version, previous_leaf, {}};
  std::set<std::string_view> names;
  for (const FieldOpening& f : fields) {
    if (f.name.empty() || !IsValidUtf8(f.name)) {
      return Status::InvalidInput("record " + leaf.record_id +
                                  ": a field name is empty or not UTF-8");
    }
    if (!names.insert(f.name).second) {
      return Status::InvalidInput("record " + leaf.record_id + ": field '" + f.name +
                                  "' appears twice");
    }
    leaf.commitments.push_back(FieldCommitment(f));
  }
  std::sort(leaf.commitments.begin(), leaf.commitments.end());
  if (std::adjacent_find(leaf.commitments.begin(), leaf.commitments.end()) !=
      leaf.commitments.end()) {
    return Status::InvalidInput("record " + leaf.record_id +
                                ": two fields share a salt and content; use fresh salts");
  }
  IZDE_RETURN_IF_ERROR(CheckShape(leaf));
  return leaf;
}

std::vector<std::uint8_t> RecordLeaf::Encode() const {
  WireWriter w;
  w.U8(kRecordLeafKind);
  w.String16(record_id);
  w.String16(record_type);
  w.U64(version);
  w.Raw(Bytes(previous_leaf));
  w.U16(static_cast<std::uint16_t>(commitments.size()));
  for (const Hash& c : commitments) w.Raw(Bytes(c));
  return w.Take();
}

Result<RecordLeaf> RecordLeaf::Parse(Bytes entry) {
  WireReader r(entry);
  auto kind = r.U8();
  if (!kind || *kind != kRecordLeafKind) return Status::Corrupt("entry is not a record leaf");
  RecordLeaf leaf;
  auto id = r.String16();
  auto type = id ? r.String16() : std::nullopt;
  auto version = type ? r.U64() : std::nullopt;
  auto previous = version ? r.HashValue() : std::nullopt;
  auto count = previous ? r.U16() : std::nullopt;
  if (!count) return Status::Corrupt("record leaf is truncated in its header");
  leaf.record_id = *id;
  leaf.record_type = *type;
  leaf.version = *version;
  leaf.previous_leaf = *previous;
  for (std::uint16_t i = 0; i < *count; ++i) {
    auto c = r.HashValue();
    if (!c) return Status::Corrupt("record leaf " + leaf.record_id + " is truncated in its fields");
    leaf.commitments.push_back(*c);
  }
  if (!r.AtEnd()) return Status::Corrupt("record leaf " + leaf.record_id + " has trailing bytes");
  Status shape = CheckShape(leaf);
  if (!shape.ok()) return Status::Corrupt(shape.message());
  return leaf;
}

RedactedRecord Redact(const RecordLeaf& leaf, std::span<const FieldOpening> fields,
                      std::span<const std::string> publishable_names) {
  RedactedRecord out{leaf, {}};
  for (const FieldOpening& f : fields) {
    if (std::find(publishable_names.begin(), publishable_names.end(), f.name) !=
        publishable_names.end()) {
      out.revealed.push_back(f);
    }
  }
  return out;
}

Result<Hash> VerifyRedactedRecord(const RedactedRecord& record) {
  const RecordLeaf& leaf = record.leaf;
  Status shape = CheckShape(leaf);
  if (!shape.ok()) return Status::Corrupt(shape.message());
  std::set<std::string_view> names;
  for (const FieldOpening& f : record.revealed) {
    const std::string where = "record " + leaf.record_id + " version " +
                              std::to_string(leaf.version) + ", field '" + f.name + "'";
    if (!names.insert(f.name).second) return Status::Corrupt(where + " is revealed twice");
    if (!std::binary_search(leaf.commitments.begin(), leaf.commitments.end(), FieldCommitment(f))) {
      return Status::Corrupt(where +
                             ": the revealed value or salt does not match any commitment in the "
                             "logged leaf (the value was changed after it was logged)");
    }
  }
  return leaf.LeafHash();
}

}  // namespace izde::ledger
