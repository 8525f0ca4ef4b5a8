#include "ledger/bundle.h"

#include <fstream>
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

// A bundle is checked byte for byte: an unknown member could carry anything past the
// verifier, so every object may hold only the members the format defines.
Status OnlyMembers(const json& j, std::initializer_list<const char*> allowed,
                   const std::string& where) {
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const char* a : allowed) known |= key == a;
    if (!known) return Status::Corrupt(where + ": unknown member \"" + key + "\"");
  }
  return Status::Ok();
}

bool IsLowerHex64(const std::string& s) {
  return s.size() == 2 * kHashSize && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// SHA-256 and size of a file, read in chunks (evidence may be a long video).
Result<std::pair<Hash, std::uint64_t>> HashFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path.string());
  Sha256 h;
  std::uint64_t size = 0;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    h.Update(Bytes(reinterpret_cast<const std::uint8_t*>(buf.data()), n));
    size += n;
  }
  if (in.bad()) return Status::Io("cannot read " + path.string());
  return std::make_pair(h.Finish(), size);
}

}  // namespace

namespace {

// A JSON string as nlohmann::json::dump writes it. Proofs, salts, ids and keys are ASCII
// and take the short way; other text goes through nlohmann (its escapes, its UTF-8 check).
void AppendJsonString(std::string& out, const std::string& s) {
  const size_t start = out.size();
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u < 0x20 && c != '\n')) {
      out.resize(start);
      out += json(s).dump();
      return;
    }
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}

}  // namespace

// Written member by member, byte for byte what json::dump(1) of the bundle's object
// would give (members in name order), without building that object: at 100,000 people
// the bundle is over half a gigabyte.
std::string Bundle::Format() const {
  std::string out;
  size_t estimate = checkpoint.size() + log_key.size() + 256;
  for (const auto& r : records) {
    estimate += r.id.size() + r.type.size() + r.proof.size() * 9 / 8 + 128;
    for (const auto& f : r.revealed) estimate += f.name.size() + f.value.size() + 128;
  }
  for (const auto& e : evidence) estimate += e.id.size() + e.proof.size() * 9 / 8 + 256;
  out.reserve(estimate);
  auto key = [&](int depth, const char* name) {
    out.append(static_cast<size_t>(depth), ' ');
    out += '"';
    out += name;
    out += "\": ";
  };
  auto str = [&](const std::string& s) { AppendJsonString(out, s); };
  out += "{\n";
  key(1, "checkpoint");
  str(checkpoint);
  out += ",\n";
  key(1, "cosigner_keys");
  if (cosigner_keys.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    for (size_t i = 0; i < cosigner_keys.size(); ++i) {
      out += "  ";
      str(cosigner_keys[i]);
      out += i + 1 < cosigner_keys.size() ? ",\n" : "\n";
    }
    out += " ]";
  }
  out += ",\n";
  key(1, "evidence");
  if (evidence.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    for (size_t i = 0; i < evidence.size(); ++i) {
      const auto& e = evidence[i];
      out += "  {\n";
      if (e.file) {
        key(3, "file");
        str(e.sha256);
        out += ",\n";
      }
      key(3, "id");
      str(e.id);
      out += ",\n";
      key(3, "proof");
      str(e.proof);
      if (!e.sha256.empty()) {
        out += ",\n";
        key(3, "sha256");
        str(e.sha256);
      }
      if (e.size) {
        out += ",\n";
        key(3, "size");
        out += std::to_string(*e.size);
      }
      out += i + 1 < evidence.size() ? "\n  },\n" : "\n  }\n";
    }
    out += " ]";
  }
  out += ",\n";
  key(1, "format");
  str(std::string(kBundleFormat));
  out += ",\n";
  key(1, "log_key");
  str(log_key);
  out += ",\n";
  key(1, "records");
  if (records.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    for (size_t i = 0; i < records.size(); ++i) {
      const auto& r = records[i];
      out += "  {\n";
      key(3, "id");
      str(r.id);
      out += ",\n";
      key(3, "proof");
      str(r.proof);
      out += ",\n";
      key(3, "revealed");
      if (r.revealed.empty()) {
        out += "[]";
      } else {
        out += "[\n";
        for (size_t k = 0; k < r.revealed.size(); ++k) {
          const auto& f = r.revealed[k];
          out += "    {\n";
          key(5, "name");
          str(f.name);
          out += ",\n";
          key(5, "salt");
          str(Base64Encode(f.salt));
          out += ",\n";
          key(5, "value");
          str(f.value);
          out += k + 1 < r.revealed.size() ? "\n    },\n" : "\n    }\n";
        }
        out += "   ]";
      }
      out += ",\n";
      key(3, "type");
      str(r.type);
      out += ",\n";
      key(3, "version");
      out += std::to_string(r.version);
      out += i + 1 < records.size() ? "\n  },\n" : "\n  }\n";
    }
    out += " ]";
  }
  if (!timestamp.empty()) {
    out += ",\n";
    key(1, "timestamp");
    str(Base64Encode(timestamp));
  }
  out += "\n}\n";
  return out;
}

Result<Bundle> Bundle::Parse(std::string_view text) {
  if (text.size() > kMaxBundleBytes) return Status::Corrupt("the bundle is larger than 1 GiB");
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corrupt("the bundle is not a JSON object");
  IZDE_ASSIGN_OR_RETURN(std::string format, Text(j, "format", "bundle"));
  if (format != kBundleFormat && format != kBundleFormatV1)
    return Status::Corrupt("the bundle's format is '" + format + "', expected '" +
                           std::string(kBundleFormat) + "' (or the older '" +
                           std::string(kBundleFormatV1) + "')");
  const bool v1 = format == kBundleFormatV1;
  IZDE_RETURN_IF_ERROR(OnlyMembers(
      j, {"format", "log_key", "checkpoint", "cosigner_keys", "records", "evidence", "timestamp"},
      "bundle"));
  Bundle b;
  IZDE_ASSIGN_OR_RETURN(b.log_key, Text(j, "log_key", "bundle"));
  IZDE_ASSIGN_OR_RETURN(b.checkpoint, Text(j, "checkpoint", "bundle"));
  // A v1 proof carries the checkpoint after a blank line; it must be the bundle's, and
  // is kept once.
  auto body = [&](std::string proof, const std::string& what) -> Result<std::string> {
    if (!v1) return proof;
    const std::string tail = "\n" + b.checkpoint;
    if (proof.size() <= tail.size() || !proof.ends_with(tail) ||
        proof[proof.size() - tail.size() - 1] != '\n')
      return Status::Corrupt(what + ": its proof is against another checkpoint than the bundle's");
    proof.resize(proof.size() - tail.size());
    return proof;
  };
  if (auto it = j.find("cosigner_keys"); it != j.end()) {
    if (!it->is_array()) return Status::Corrupt("bundle: \"cosigner_keys\" is not a list");
    for (const auto& k : *it) {
      if (!k.is_string()) return Status::Corrupt("bundle: a cosigner key is not text");
      auto key = NoteVerifier::Parse(k.get<std::string>());
      if (!key.ok()) return key.status().Within("bundle: cosigner key");
      b.cosigner_keys.push_back(k.get<std::string>());
    }
  }
  if (j.contains("timestamp")) {
    IZDE_ASSIGN_OR_RETURN(std::string token, Text(j, "timestamp", "bundle"));
    auto raw = Base64Decode(token);
    if (!raw || raw->empty() || raw->size() > kMaxTimestampTokenBytes)
      return Status::Corrupt("bundle: \"timestamp\" is not a base64 token of at most 64 KiB");
    b.timestamp = std::move(*raw);
  }
  auto records = j.find("records");
  auto evidence = j.find("evidence");
  if (records == j.end() || !records->is_array() || evidence == j.end() || !evidence->is_array())
    return Status::Corrupt("the bundle has no \"records\" and \"evidence\" lists");
  for (std::size_t i = 0; i < records->size(); ++i) {
    const json& r = (*records)[i];
    std::string where = "bundle record " + std::to_string(i + 1);
    if (!r.is_object()) return Status::Corrupt(where + " is not an object");
    IZDE_RETURN_IF_ERROR(OnlyMembers(r, {"id", "type", "version", "revealed", "proof"}, where));
    BundleRecord out;
    IZDE_ASSIGN_OR_RETURN(out.id, Text(r, "id", where));
    where = "record " + out.id;
    IZDE_ASSIGN_OR_RETURN(out.type, Text(r, "type", where));
    IZDE_ASSIGN_OR_RETURN(out.proof, Text(r, "proof", where));
    IZDE_ASSIGN_OR_RETURN(out.proof, body(std::move(out.proof), where));
    auto version = r.find("version");
    if (version == r.end() || !version->is_number_unsigned())
      return Status::Corrupt(where + ": \"version\" is missing or not a number");
    out.version = version->get<std::uint64_t>();
    auto revealed = r.find("revealed");
    if (revealed == r.end() || !revealed->is_array())
      return Status::Corrupt(where + ": \"revealed\" is missing");
    for (const auto& f : *revealed) {
      if (!f.is_object()) return Status::Corrupt(where + ": a revealed field is not an object");
      IZDE_RETURN_IF_ERROR(OnlyMembers(f, {"name", "value", "salt"}, where + ": revealed field"));
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
    IZDE_RETURN_IF_ERROR(OnlyMembers(e, {"id", "sha256", "size", "file", "proof"}, where));
    BundleEvidence out;
    IZDE_ASSIGN_OR_RETURN(out.id, Text(e, "id", where));
    where = "evidence " + out.id;
    IZDE_ASSIGN_OR_RETURN(out.proof, Text(e, "proof", where));
    IZDE_ASSIGN_OR_RETURN(out.proof, body(std::move(out.proof), where));
    if (e.contains("sha256")) {
      IZDE_ASSIGN_OR_RETURN(out.sha256, Text(e, "sha256", where));
      if (!IsLowerHex64(out.sha256))
        return Status::Corrupt(where + ": \"sha256\" is not 64 lowercase hex digits");
    }
    if (auto size = e.find("size"); size != e.end()) {
      if (!size->is_number_unsigned()) return Status::Corrupt(where + ": \"size\" is not a number");
      out.size = size->get<std::uint64_t>();
    }
    if (e.contains("file")) {
      IZDE_ASSIGN_OR_RETURN(std::string name, Text(e, "file", where));
      if (name != out.sha256)
        return Status::Corrupt(where + ": \"file\" must be the file's \"sha256\"");
      out.file = true;
    }
    b.evidence.push_back(std::move(out));
  }
  return b;
}

Result<BundleCheck> VerifyBundle(const Bundle& bundle, const CheckpointPolicy& policy,
                                 const BundleOptions& options) {
  BundleCheck check;
  if (bundle.log_key != policy.log_key.Encode())
    return Status::Corrupt("the bundle's log_key '" + bundle.log_key +
                           "' is not the log key you gave ('" + policy.log_key.Encode() + "')");
  auto verified = VerifyCheckpoint(bundle.checkpoint, policy);
  if (!verified.ok()) return verified.status().Within("the bundle's checkpoint");
  check.checkpoint = std::move(verified).value();
  const Checkpoint& cp = check.checkpoint.checkpoint;
  // Every proof is against the checkpoint just verified (they share it): its signature is
  // checked once, and each inclusion proof against its root.
  auto included = [&](const std::string& what, const std::string& text) -> Result<RecordProof> {
    auto proof = RecordProof::ParseBody(text);
    if (!proof.ok()) return proof.status().Within(what + ": proof");
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
    const std::string logged_hex = HexOf(leaf->content_hash);
    if (!e.sha256.empty() && e.sha256 != logged_hex)
      return Status::Corrupt(what + ": its sha256 " + e.sha256 + " is not the logged " +
                             logged_hex);
    if (e.size && *e.size != leaf->length)
      return Status::Corrupt(what + ": its size " + std::to_string(*e.size) +
                             " is not the logged " + std::to_string(leaf->length));
    if (e.file && !options.files_dir.empty()) {
      const std::filesystem::path path = options.files_dir / logged_hex;
      auto got = HashFile(path);
      if (!got.ok()) return got.status().Within(what + ": its file");
      if (got->first != leaf->content_hash || got->second != leaf->length)
        return Status::Corrupt(what + ": the file " + path.string() +
                               " is not the file the log recorded (SHA-256 or size differs)");
      ++check.files;
    }
    ++check.evidence;
  }
  if (bundle.timestamp.empty()) {
    if (options.require_timestamp)
      return Status::Corrupt("the bundle's checkpoint carries no RFC 3161 timestamp");
    return check;
  }
  auto note = ParseNote(bundle.checkpoint);
  if (!note.ok()) return note.status().Within("the bundle's checkpoint");
  std::string pem = options.tsa_pem;
  check.timestamp_pinned = !pem.empty();
  if (pem.empty()) {
    auto carried = CarriedRootsPem(bundle.timestamp);
    if (!carried.ok()) return carried.status().Within("the bundle's timestamp");
    pem = std::move(carried).value();
  }
  auto stamp = VerifyTimestampToken(bundle.timestamp, note->text, pem);
  if (!stamp.ok()) return stamp.status().Within("the bundle's timestamp");
  check.timestamp = std::move(stamp).value();
  return check;
}

}  // namespace izde::ledger
