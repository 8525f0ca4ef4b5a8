#include "vault/sealed_document.h"

#include <algorithm>
#include <cstring>

namespace izde::vault {
namespace {

constexpr char kMagic[4] = {'I', 'Z', 'F', '1'};
// Sealed first in every document: the author and the list of field names,
// so that dropping a sealed field from the document is detected.
constexpr const char* kMetaField = "_meta";

void PutU16(Bytes& b, uint16_t v) {
  b.push_back(v & 0xff);
  b.push_back(v >> 8);
}
void PutU32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back((v >> (8 * i)) & 0xff);
}
uint32_t GetLe(const uint8_t* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string Binding(const char* label, const std::string& id, const std::string& type,
                    int64_t version, std::string_view last) {
  std::string ad(label);
  ad += '\0';
  ad += id;
  ad += '\0';
  ad += type;
  ad += '\0';
  for (int i = 0; i < 8; ++i)
    ad += static_cast<char>((static_cast<uint64_t>(version) >> (8 * i)) & 0xff);
  ad += '\0';
  ad += last;
  return ad;
}

}  // namespace

store::StoredVersion SealDocument(const FieldCipher& cipher, const SecretKey& tier_key,
                                  const std::string& tier, const model::Record& record,
                                  int64_t version, int64_t created_at, const std::string& author) {
  store::StoredVersion out;
  out.record_id = record.id;
  out.type = std::string(model::TypeName(record.type));
  out.version = version;
  out.created_at = created_at;
  out.tier = tier;

  ScratchKey data_key;
  ScratchKey::Random(data_key);
  cipher.Seal(tier_key.data(),
              std::string_view(reinterpret_cast<const char*>(data_key.bytes), SecretKey::kSize),
              Binding("izde/key/v1", out.record_id, out.type, version, tier), out.wrapped_key);

  Bytes& s = out.sealed;
  s.reserve(64 + record.doc.size() * 80);
  s.insert(s.end(), kMagic, kMagic + 4);
  PutU32(s, static_cast<uint32_t>(record.doc.size() + 1));
  uint32_t field_index = 0;
  auto seal_field = [&](const std::string& name, const std::string& plain) {
    PutU16(s, static_cast<uint16_t>(name.size()));
    s.insert(s.end(), name.begin(), name.end());
    size_t len_at = s.size();
    PutU32(s, 0);
    size_t start = s.size();
    // The data key is fresh for this version and seals each field once, so
    // the field's position is a unique nonce (and spares a getrandom per field).
    uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = {};
    for (int b = 0; b < 4; ++b) nonce[b] = static_cast<uint8_t>(field_index >> (8 * b));
    ++field_index;
    cipher.Seal(data_key.bytes, plain,
                Binding("izde/field/v1", out.record_id, out.type, version, name), s, nonce);
    uint32_t len = static_cast<uint32_t>(s.size() - start);
    for (int i = 0; i < 4; ++i) s[len_at + i] = (len >> (8 * i)) & 0xff;
  };
  nlohmann::json meta = {{"author", author}, {"fields", nlohmann::json::array()}};
  for (auto it = record.doc.begin(); it != record.doc.end(); ++it)
    meta["fields"].push_back(it.key());
  seal_field(kMetaField, meta.dump());
  for (auto it = record.doc.begin(); it != record.doc.end(); ++it) seal_field(it.key(), it->dump());
  return out;
}

Result<OpenedVersion> OpenDocument(const FieldCipher& cipher, const SecretKey& tier_key,
                                   const store::StoredVersion& stored) {
  std::string where = "record " + stored.record_id + " version " + std::to_string(stored.version);
  auto type = model::ParseType(stored.type);
  if (!type) return Status::Corrupt(where + ": unknown record type '" + stored.type + "'");
  ScratchKey data_key;
  Status st = cipher.OpenKey(
      tier_key.data(), stored.wrapped_key.data(), stored.wrapped_key.size(),
      Binding("izde/key/v1", stored.record_id, stored.type, stored.version, stored.tier),
      data_key.bytes);
  if (!st.ok())
    return Status::Corrupt(where +
                           ": its data key does not open (the stored record was altered, "
                           "or moved from another record)");

  const Bytes& s = stored.sealed;
  if (s.size() < 8 || std::memcmp(s.data(), kMagic, 4) != 0)
    return Status::Corrupt(where + ": not a sealed izde document");
  OpenedVersion out;
  out.record.id = stored.record_id;
  out.record.type = *type;
  out.version = stored.version;
  out.created_at = stored.created_at;
  uint32_t count = GetLe(s.data() + 4, 4);
  size_t pos = 8;
  std::string plain;
  nlohmann::json meta;
  for (uint32_t i = 0; i < count; ++i) {
    if (pos + 2 > s.size()) return Status::Corrupt(where + ": sealed document is truncated");
    size_t name_len = GetLe(s.data() + pos, 2);
    pos += 2;
    if (pos + name_len + 4 > s.size())
      return Status::Corrupt(where + ": sealed document is truncated");
    std::string name(reinterpret_cast<const char*>(s.data() + pos), name_len);
    pos += name_len;
    size_t box_len = GetLe(s.data() + pos, 4);
    pos += 4;
    if (pos + box_len > s.size()) return Status::Corrupt(where + ": sealed document is truncated");
    Status fs = cipher.Open(
        data_key.bytes, s.data() + pos, box_len,
        Binding("izde/field/v1", stored.record_id, stored.type, stored.version, name), plain);
    if (!fs.ok())
      return Status::Corrupt(where + ", field '" + name +
                             "': the ciphertext was altered or belongs to another record");
    pos += box_len;
    nlohmann::json value = nlohmann::json::parse(plain, nullptr, false);
    sodium_memzero(plain.data(), plain.size());
    if (value.is_discarded()) return Status::Corrupt(where + ", field '" + name + "': not JSON");
    if (i == 0) {
      if (name != kMetaField || !value.is_object() || !value["fields"].is_array())
        return Status::Corrupt(where + ": the sealed document has no field list");
      meta = std::move(value);
    } else {
      out.record.doc[name] = std::move(value);
    }
  }
  if (pos != s.size()) return Status::Corrupt(where + ": trailing bytes after the sealed fields");
  std::vector<std::string> listed = meta["fields"].get<std::vector<std::string>>();
  std::vector<std::string> present;
  for (auto it = out.record.doc.begin(); it != out.record.doc.end(); ++it)
    present.push_back(it.key());
  std::sort(listed.begin(), listed.end());
  if (listed != present || count != listed.size() + 1)
    return Status::Corrupt(where + ": sealed fields were removed or added");
  out.author = meta.value("author", "");
  return out;
}

}  // namespace izde::vault
