#include "ledger/record_proof.h"

#include <charconv>

#include "ledger/base64.h"
#include "ledger/merkle_proof.h"

namespace izde::ledger {
namespace {

constexpr std::string_view kHeader = "c2sp.org/tlog-proof@v1";
constexpr std::string_view kExtra = "extra ";
constexpr std::string_view kIndex = "index ";

// Takes the next line (without its "\n"); false if there is no complete line.
bool NextLine(std::string_view& text, std::string_view& line) {
  const std::size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return false;
  line = text.substr(0, nl);
  text.remove_prefix(nl + 1);
  return true;
}

}  // namespace

std::string RecordProof::FormatBody() const {
  std::string out = std::string(kHeader) + "\n";
  if (!entry.empty()) out += std::string(kExtra) + Base64Encode(entry) + "\n";
  out += std::string(kIndex) + std::to_string(index) + "\n";
  for (const Hash& h : inclusion) out += Base64Encode(h) + "\n";
  return out;
}

std::string RecordProof::Format() const { return FormatBody() + "\n" + checkpoint; }

Result<RecordProof> RecordProof::Parse(std::string_view text) {
  return ParseLines(text, /*with_checkpoint=*/true);
}

Result<RecordProof> RecordProof::ParseBody(std::string_view text) {
  return ParseLines(text, /*with_checkpoint=*/false);
}

Result<RecordProof> RecordProof::ParseLines(std::string_view text, bool with_checkpoint) {
  if (text.size() > kMaxNoteBytes + 2 * kMaxEntryBytes)
    return Status::Corrupt("proof is too large");
  RecordProof p;
  std::string_view line;
  if (!NextLine(text, line) || line != kHeader) {
    return Status::Corrupt("proof does not start with '" + std::string(kHeader) + "'");
  }
  if (!NextLine(text, line)) return Status::Corrupt("proof is truncated after its header");
  if (line.substr(0, kExtra.size()) == kExtra) {
    auto extra = Base64Decode(line.substr(kExtra.size()));
    if (!extra || extra->empty() || extra->size() > kMaxEntryBytes) {
      return Status::Corrupt("proof's extra line is not the base64 of a log entry");
    }
    p.entry = std::move(*extra);
    if (!NextLine(text, line)) return Status::Corrupt("proof is truncated after its extra line");
  }
  if (line.substr(0, kIndex.size()) != kIndex) return Status::Corrupt("proof has no index line");
  std::string_view idx = line.substr(kIndex.size());
  if (idx.empty() || (idx.size() > 1 && idx[0] == '0')) {
    return Status::Corrupt("proof index '" + std::string(idx) + "' is not a plain decimal");
  }
  auto [end, ec] = std::from_chars(idx.data(), idx.data() + idx.size(), p.index);
  if (ec != std::errc() || end != idx.data() + idx.size()) {
    return Status::Corrupt("proof index '" + std::string(idx) + "' is not a number");
  }
  while (true) {
    if (!with_checkpoint && text.empty()) return p;  // the body ends after its last hash
    if (!NextLine(text, line)) {
      return Status::Corrupt(with_checkpoint ? "proof has no blank line before its checkpoint"
                                             : "proof's last line does not end in a newline");
    }
    if (line.empty()) {
      if (!with_checkpoint)
        return Status::Corrupt(
            "proof carries a checkpoint of its own where the bundle's is shared");
      break;
    }
    if (p.inclusion.size() == kMaxProofHashes) {
      return Status::Corrupt("proof has more than " + std::to_string(kMaxProofHashes) + " hashes");
    }
    auto raw = Base64Decode(line);
    if (!raw) {
      return Status::Corrupt("proof hash " + std::to_string(p.inclusion.size() + 1) +
                             " is not base64");
    }
    auto h = HashFromBytes(*raw, "proof hash");
    if (!h.ok()) return h.status();
    p.inclusion.push_back(*h);
  }
  IZDE_RETURN_IF_ERROR(ParseNote(text).status().Within("proof checkpoint"));
  p.checkpoint = std::string(text);
  return p;
}

Result<RecordProof> ProveEntry(const Log& log, std::uint64_t index,
                               std::string_view signed_checkpoint) {
  IZDE_ASSIGN_OR_RETURN(Note note, ParseNote(signed_checkpoint));
  IZDE_ASSIGN_OR_RETURN(Checkpoint cp, Checkpoint::ParseBody(note.text));
  IZDE_ASSIGN_OR_RETURN(Hash root, log.RootAt(cp.size));
  if (root != cp.root) {
    return Status::Corrupt("the checkpoint of size " + std::to_string(cp.size) +
                           " does not match this log's tree at that size");
  }
  RecordProof p;
  IZDE_ASSIGN_OR_RETURN(p.entry, log.Entry(index));
  IZDE_ASSIGN_OR_RETURN(p.inclusion, log.InclusionProof(index, cp.size));
  p.index = index;
  p.checkpoint = std::string(signed_checkpoint);
  return p;
}

Result<std::vector<RecordProof>> ProveEntries(const Log& log,
                                              const std::vector<std::uint64_t>& indexes,
                                              std::string_view signed_checkpoint) {
  IZDE_ASSIGN_OR_RETURN(Note note, ParseNote(signed_checkpoint));
  IZDE_ASSIGN_OR_RETURN(Checkpoint cp, Checkpoint::ParseBody(note.text));
  IZDE_ASSIGN_OR_RETURN(Hash root, log.RootAt(cp.size));
  if (root != cp.root) {
    return Status::Corrupt("the checkpoint of size " + std::to_string(cp.size) +
                           " does not match this log's tree at that size");
  }
  IZDE_ASSIGN_OR_RETURN(auto entries, log.Entries(indexes));
  std::vector<RecordProof> out(indexes.size());
  for (std::size_t i = 0; i < indexes.size(); ++i) {
    out[i].entry = std::move(entries[i]);
    IZDE_ASSIGN_OR_RETURN(out[i].inclusion, log.InclusionProof(indexes[i], cp.size));
    out[i].index = indexes[i];
  }
  return out;
}

Result<VerifiedCheckpoint> VerifyRecordProof(const RecordProof& proof,
                                             const CheckpointPolicy& policy) {
  IZDE_ASSIGN_OR_RETURN(VerifiedCheckpoint v, VerifyCheckpoint(proof.checkpoint, policy));
  if (proof.entry.empty()) return Status::Corrupt("proof carries no entry to check");
  const Hash leaf = HashLeaf(proof.entry);
  IZDE_RETURN_IF_ERROR(
      VerifyInclusion(proof.index, v.checkpoint.size, leaf, proof.inclusion, v.checkpoint.root)
          .Within("entry " + std::to_string(proof.index)));
  return v;
}

}  // namespace izde::ledger
