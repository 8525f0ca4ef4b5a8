// The two kinds of structured chunk in a backup (docs/formats/backup.md):
//
//   versions pack  "IZV1" u32le(n) { str16 id, str16 type, u64le version, i64le created,
//                                    str16 tier, bytes32 wrapped key, bytes32 sealed }×n
//   keys pack      "IZK1" u32le(n) { str16 user, bytes32 salt, u64le ops, u64le mem,
//                                    bytes32 wrapped master, bytes32 wrapped witness,
//                                    i64le created }×n
//                         u32le(m) { str16 key, bytes32 value }×m
//
// (str16 = u16le length + bytes, bytes32 = u32le length + bytes.) Both hold exactly what
// the store holds: sealed versions, wrapped keys, plain settings. Nothing is opened.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace izde::backup {

std::string EncodeVersions(const std::vector<store::StoredVersion>& versions);
// `what` names the chunk in errors ("versions pack 3, chunk 1f2e…").
Result<std::vector<store::StoredVersion>> DecodeVersions(std::string_view bytes,
                                                         const std::string& what);

struct KeysPack {
  std::vector<store::KeySlot> slots;
  std::map<std::string, store::Bytes> settings;
};
std::string EncodeKeys(const KeysPack& keys);
Result<KeysPack> DecodeKeys(std::string_view bytes, const std::string& what);

}  // namespace izde::backup
