#include "backup/pack.h"

#include <cstring>

namespace izde::backup {
namespace {

constexpr std::string_view kVersionsMagic = "IZV1";
constexpr std::string_view kKeysMagic = "IZK1";

void PutInt(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutStr16(std::string& out, std::string_view s) {
  PutInt(out, s.size(), 2);
  out.append(s);
}
void PutBytes32(std::string& out, const store::Bytes& b) {
  PutInt(out, b.size(), 4);
  out.append(reinterpret_cast<const char*>(b.data()), b.size());
}

// A bounded reader: every read checks the length first, so a damaged pack is an error,
// never a read past its end.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool Int(uint64_t& v, int bytes) {
    if (b_.size() - pos_ < static_cast<size_t>(bytes)) return false;
    v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t(uint8_t(b_[pos_ + i])) << (8 * i);
    pos_ += bytes;
    return true;
  }
  bool Str16(std::string& s) {
    uint64_t n;
    if (!Int(n, 2) || b_.size() - pos_ < n) return false;
    s.assign(b_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool Bytes32(store::Bytes& out) {
    uint64_t n;
    if (!Int(n, 4) || b_.size() - pos_ < n) return false;
    out.assign(b_.begin() + pos_, b_.begin() + pos_ + n);
    pos_ += n;
    return true;
  }
  bool Magic(std::string_view m) {
    if (b_.substr(0, m.size()) != m) return false;
    pos_ = m.size();
    return true;
  }
  bool AtEnd() const { return pos_ == b_.size(); }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeVersions(const std::vector<store::StoredVersion>& versions) {
  std::string out(kVersionsMagic);
  PutInt(out, versions.size(), 4);
  for (const auto& v : versions) {
    PutStr16(out, v.record_id);
    PutStr16(out, v.type);
    PutInt(out, static_cast<uint64_t>(v.version), 8);
    PutInt(out, static_cast<uint64_t>(v.created_at), 8);
    PutStr16(out, v.tier);
    PutBytes32(out, v.wrapped_key);
    PutBytes32(out, v.sealed);
  }
  return out;
}

Result<std::vector<store::StoredVersion>> DecodeVersions(std::string_view bytes,
                                                         const std::string& what) {
  Reader r(bytes);
  uint64_t n = 0;
  if (!r.Magic(kVersionsMagic) || !r.Int(n, 4))
    return Status::Corrupt(what + " is not a versions pack");
  std::vector<store::StoredVersion> out;
  for (uint64_t i = 0; i < n; ++i) {
    store::StoredVersion v;
    uint64_t version = 0, created = 0;
    if (!r.Str16(v.record_id) || !r.Str16(v.type) || !r.Int(version, 8) || !r.Int(created, 8) ||
        !r.Str16(v.tier) || !r.Bytes32(v.wrapped_key) || !r.Bytes32(v.sealed))
      return Status::Corrupt(what + ": entry " + std::to_string(i + 1) + " of " +
                             std::to_string(n) + " is cut short");
    v.version = static_cast<int64_t>(version);
    v.created_at = static_cast<int64_t>(created);
    out.push_back(std::move(v));
  }
  if (!r.AtEnd()) return Status::Corrupt(what + " has bytes after its last entry");
  return out;
}

std::string EncodeKeys(const KeysPack& keys) {
  std::string out(kKeysMagic);
  PutInt(out, keys.slots.size(), 4);
  for (const auto& s : keys.slots) {
    PutStr16(out, s.user);
    PutBytes32(out, s.salt);
    PutInt(out, s.opslimit, 8);
    PutInt(out, s.memlimit, 8);
    PutBytes32(out, s.wrapped_master);
    PutBytes32(out, s.wrapped_witness);
    PutInt(out, static_cast<uint64_t>(s.created_at), 8);
  }
  PutInt(out, keys.settings.size(), 4);
  for (const auto& [k, v] : keys.settings) {
    PutStr16(out, k);
    PutBytes32(out, v);
  }
  return out;
}

Result<KeysPack> DecodeKeys(std::string_view bytes, const std::string& what) {
  Reader r(bytes);
  uint64_t n = 0;
  if (!r.Magic(kKeysMagic) || !r.Int(n, 4)) return Status::Corrupt(what + " is not a keys pack");
  KeysPack out;
  for (uint64_t i = 0; i < n; ++i) {
    store::KeySlot s;
    uint64_t created = 0;
    if (!r.Str16(s.user) || !r.Bytes32(s.salt) || !r.Int(s.opslimit, 8) || !r.Int(s.memlimit, 8) ||
        !r.Bytes32(s.wrapped_master) || !r.Bytes32(s.wrapped_witness) || !r.Int(created, 8))
      return Status::Corrupt(what + ": key slot " + std::to_string(i + 1) + " is cut short");
    s.created_at = static_cast<int64_t>(created);
    out.slots.push_back(std::move(s));
  }
  uint64_t m = 0;
  if (!r.Int(m, 4)) return Status::Corrupt(what + ": the settings are missing");
  for (uint64_t i = 0; i < m; ++i) {
    std::string key;
    store::Bytes value;
    if (!r.Str16(key) || !r.Bytes32(value))
      return Status::Corrupt(what + ": setting " + std::to_string(i + 1) + " is cut short");
    out.settings[key] = std::move(value);
  }
  if (!r.AtEnd()) return Status::Corrupt(what + " has bytes after its last setting");
  return out;
}

}  // namespace izde::backup
