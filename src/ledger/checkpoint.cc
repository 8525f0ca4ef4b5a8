#include "ledger/checkpoint.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "ledger/base64.h"

namespace izde::ledger {
namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) nl = text.size();
    out.push_back(text.substr(0, nl));
    text.remove_prefix(std::min(nl + 1, text.size()));
  }
  return out;
}

Result<std::uint64_t> ParseSize(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) {
    return Status::Corrupt("checkpoint tree size '" + std::string(s) +
                           "' is not a decimal number without leading zeros");
  }
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return Status::Corrupt("checkpoint tree size '" + std::string(s) + "' is not a number");
  }
  return v;
}

}  // namespace

std::string Checkpoint::Body() const {
  std::string out = origin + "\n" + std::to_string(size) + "\n" + Base64Encode(root) + "\n";
  for (const std::string& e : extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> Checkpoint::ParseBody(std::string_view text) {
  IZDE_RETURN_IF_ERROR(CheckNoteText(text).Within("checkpoint"));
  std::vector<std::string_view> lines = Lines(text);
  if (lines.size() < 3) {
    return Status::Corrupt("checkpoint has " + std::to_string(lines.size()) +
                           " lines; it needs origin, tree size and root hash");
  }
  Checkpoint c;
  if (lines[0].empty()) return Status::Corrupt("checkpoint origin line is empty");
  c.origin = std::string(lines[0]);
  IZDE_ASSIGN_OR_RETURN(c.size, ParseSize(lines[1]));
  auto root = Base64Decode(lines[2]);
  if (!root) return Status::Corrupt("checkpoint root hash is not base64");
  IZDE_ASSIGN_OR_RETURN(c.root, HashFromBytes(*root, "checkpoint root hash"));
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return Status::Corrupt("checkpoint has an empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& log_key) {
  const std::string body = checkpoint.Body();
  IZDE_RETURN_IF_ERROR(Checkpoint::ParseBody(body).status().Within("cannot sign checkpoint"));
  IZDE_ASSIGN_OR_RETURN(NoteSignature sig, SignNoteText(body, log_key));
  return FormatNote(Note{body, {sig}});
}

Result<std::string> AddSignatures(std::string_view signed_note,
                                  std::span<const NoteSignature> signatures) {
  IZDE_ASSIGN_OR_RETURN(Note note, ParseNote(signed_note));
  for (const NoteSignature& s : signatures) note.signatures.push_back(s);
  std::string out = FormatNote(note);
  IZDE_RETURN_IF_ERROR(ParseNote(out).status());  // duplicates, limits
  return out;
}

Result<VerifiedCheckpoint> VerifyCheckpoint(std::string_view signed_note,
                                            const CheckpointPolicy& policy) {
  if (policy.log_key.type != KeyType::kEd25519) {
    return Status::InvalidInput("the log key '" + policy.log_key.name +
                                "' must be an Ed25519 note key (type 1)");
  }
  std::vector<NoteVerifier> keys = {policy.log_key};
  for (const NoteVerifier& c : policy.cosigners) {
    if (c.type != KeyType::kCosignatureV1) {
      return Status::InvalidInput("cosigner key '" + c.name +
                                  "' must be a cosignature/v1 key (type 4)");
    }
    keys.push_back(c);
  }
  auto opened_or = OpenNote(signed_note, keys);
  if (!opened_or.ok()) return opened_or.status().Within("checkpoint");
  const VerifiedNote& opened = opened_or.value();
  VerifiedCheckpoint out;
  bool log_signed = false;
  std::set<std::string> cosigned_by;
  for (const VerifiedSignature& v : opened.verified) {
    if (v.name == policy.log_key.name && v.key_id == policy.log_key.key_id) {
      log_signed = true;
    } else {
      cosigned_by.insert(v.name);
      out.cosignatures.push_back(v);
    }
  }
  if (!log_signed) {
    return Status::Corrupt("checkpoint is not signed by the log key '" + policy.log_key.name + "'");
  }
  IZDE_ASSIGN_OR_RETURN(out.checkpoint, Checkpoint::ParseBody(opened.note.text));
  const std::string& origin = policy.origin.empty() ? policy.log_key.name : policy.origin;
  if (out.checkpoint.origin != origin) {
    return Status::Corrupt("checkpoint is for log '" + out.checkpoint.origin + "', expected '" +
                           origin + "'");
  }
  if (cosigned_by.size() < policy.required_cosignatures) {
    return Status::Corrupt("checkpoint has " + std::to_string(cosigned_by.size()) +
                           " valid cosignatures from trusted partners, " +
                           std::to_string(policy.required_cosignatures) + " are required");
  }
  out.note = std::string(signed_note);
  return out;
}

}  // namespace izde::ledger
