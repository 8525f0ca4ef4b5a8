// Big-endian, length-prefixed fields for leaf entries (docs/formats/ledger.md). The
// reader is bounds-checked everywhere: entries come from tiles and bundles on disks we
// do not trust.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/sha256.h"

namespace izde::ledger {

class WireWriter {
 public:
  void U8(std::uint8_t v) { out_.push_back(v); }
  void U16(std::uint16_t v) {
    U8(static_cast<std::uint8_t>(v >> 8));
    U8(static_cast<std::uint8_t>(v));
  }
  void U64(std::uint64_t v) {
    for (int i = 7; i >= 0; --i) U8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void Raw(Bytes b) { out_.insert(out_.end(), b.begin(), b.end()); }
  // u16 length, then the bytes; callers check the length limit first.
  void String16(std::string_view s) {
    U16(static_cast<std::uint16_t>(s.size()));
    Raw(AsBytes(s));
  }
  std::vector<std::uint8_t> Take() { return std::move(out_); }

 private:
  std::vector<std::uint8_t> out_;
};

class WireReader {
 public:
  explicit WireReader(Bytes in) : in_(in) {}
  std::optional<std::uint8_t> U8() {
    if (pos_ + 1 > in_.size()) return std::nullopt;
    return in_[pos_++];
  }
  std::optional<std::uint16_t> U16() {
    if (pos_ + 2 > in_.size()) return std::nullopt;
    std::uint16_t v = static_cast<std::uint16_t>((in_[pos_] << 8) | in_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::optional<std::uint64_t> U64() {
    if (pos_ + 8 > in_.size()) return std::nullopt;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | in_[pos_++];
    return v;
  }
  std::optional<Hash> HashValue() {
    if (pos_ + kHashSize > in_.size()) return std::nullopt;
    Hash h;
    for (std::size_t i = 0; i < kHashSize; ++i) h[i] = in_[pos_++];
    return h;
  }
  std::optional<std::string> String16() {
    auto n = U16();
    if (!n || pos_ + *n > in_.size()) return std::nullopt;
    std::string s(reinterpret_cast<const char*>(in_.data() + pos_), *n);
    pos_ += *n;
    return s;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  Bytes in_;
  std::size_t pos_ = 0;
};

}  // namespace izde::ledger
