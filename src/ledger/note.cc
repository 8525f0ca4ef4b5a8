#include "ledger/note.h"

#include <algorithm>
#include <set>
#include <utility>

#include "ledger/base64.h"
#include "ledger/ed25519.h"
#include "ledger/utf8.h"

namespace izde::ledger {
namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 em dash, space
constexpr std::size_t kTimestampSize = 8;

std::string Hex8(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) s[i] = kDigits[v & 15];
  return s;
}

std::string Who(const std::string& name, std::uint32_t id) {
  return "'" + name + "' (key id " + Hex8(id) + ")";
}

Result<NoteSignature> ParseSignatureLine(std::string_view line, std::size_t number) {
  const std::string where = "signature line " + std::to_string(number);
  if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
    return Status::Corrupt(where + " does not start with an em dash and a space");
  }
  line.remove_prefix(kSigPrefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return Status::Corrupt(where + " has no space between key name and signature");
  }
  NoteSignature sig;
  sig.name = std::string(line.substr(0, space));
  IZDE_RETURN_IF_ERROR(CheckKeyName(sig.name).Within(where));
  auto raw = Base64Decode(line.substr(space + 1));
  if (!raw) return Status::Corrupt(where + " (" + sig.name + "): signature is not base64");
  if (raw->size() < 5) {
    return Status::Corrupt(where + " (" + sig.name + "): signature is too short");
  }
  sig.key_id = (std::uint32_t{(*raw)[0]} << 24) | (std::uint32_t{(*raw)[1]} << 16) |
               (std::uint32_t{(*raw)[2]} << 8) | std::uint32_t{(*raw)[3]};
  sig.signature.assign(raw->begin() + 4, raw->end());
  return sig;
}

}  // namespace

Status CheckNoteText(std::string_view text) {
  if (text.size() > kMaxNoteBytes) {
    return Status::Corrupt("note is " + std::to_string(text.size()) + " bytes, more than the " +
                           std::to_string(kMaxNoteBytes) + " allowed");
  }
  if (text.empty() || text.back() != '\n') {
    return Status::Corrupt("note text must end with a newline");
  }
  if (!IsValidUtf8(text)) return Status::Corrupt("note is not valid UTF-8");
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\n') {
      return Status::Corrupt("note has control character " + std::to_string(c) + " at byte " +
                             std::to_string(i));
    }
  }
  return Status::Ok();
}

Result<Note> ParseNote(std::string_view bytes) {
  IZDE_RETURN_IF_ERROR(CheckNoteText(bytes));
  const std::size_t blank = bytes.rfind("\n\n");
  if (blank == std::string_view::npos) {
    return Status::Corrupt("note has no blank line before its signatures: it is unsigned");
  }
  Note note;
  note.text = std::string(bytes.substr(0, blank + 1));
  std::string_view rest = bytes.substr(blank + 2);
  if (rest.empty()) return Status::Corrupt("note has no signature lines");
  std::set<std::pair<std::string, std::uint32_t>> seen;
  std::size_t number = 0;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');  // present: the note ends in "\n"
    ++number;
    if (number > kMaxSignatures) {
      return Status::Corrupt("note has more than " + std::to_string(kMaxSignatures) +
                             " signatures");
    }
    IZDE_ASSIGN_OR_RETURN(NoteSignature sig, ParseSignatureLine(rest.substr(0, nl), number));
    if (!seen.insert({sig.name, sig.key_id}).second) {
      return Status::Corrupt("note is signed twice by " + Who(sig.name, sig.key_id));
    }
    note.signatures.push_back(std::move(sig));
    rest.remove_prefix(nl + 1);
  }
  return note;
}

std::string FormatSignatureLine(const NoteSignature& sig) {
  std::vector<std::uint8_t> raw = {
      static_cast<std::uint8_t>(sig.key_id >> 24), static_cast<std::uint8_t>(sig.key_id >> 16),
      static_cast<std::uint8_t>(sig.key_id >> 8), static_cast<std::uint8_t>(sig.key_id)};
  raw.insert(raw.end(), sig.signature.begin(), sig.signature.end());
  return std::string(kSigPrefix) + sig.name + " " + Base64Encode(raw) + "\n";
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& sig : note.signatures) out += FormatSignatureLine(sig);
  return out;
}

Result<NoteSignature> SignNoteText(std::string_view text, const NoteSigner& signer) {
  IZDE_RETURN_IF_ERROR(CheckNoteText(text));
  if (signer.type() != KeyType::kEd25519) {
    return Status::InvalidInput("key '" + signer.name() +
                                "' is a cosigner key; it cannot sign notes directly");
  }
  auto s = signer.Sign(AsBytes(text));
  return NoteSignature{signer.name(), signer.key_id(), {s.begin(), s.end()}};
}

std::string CosignedMessage(std::string_view note_text, std::uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(note_text);
}

Result<VerifiedNote> OpenNote(std::string_view bytes, std::span<const NoteVerifier> verifiers) {
  VerifiedNote out;
  IZDE_ASSIGN_OR_RETURN(out.note, ParseNote(bytes));
  for (const NoteSignature& sig : out.note.signatures) {
    auto key = std::find_if(verifiers.begin(), verifiers.end(), [&](const NoteVerifier& v) {
      return v.name == sig.name && v.key_id == sig.key_id;
    });
    if (key == verifiers.end()) continue;
    VerifiedSignature ok{sig.name, sig.key_id, key->type, std::nullopt};
    bool good = false;
    if (key->type == KeyType::kEd25519) {
      good = Ed25519Verify(key->public_key, AsBytes(out.note.text), sig.signature);
    } else if (sig.signature.size() == kTimestampSize + kEd25519SignatureSize) {
      std::uint64_t ts = 0;
      for (std::size_t i = 0; i < kTimestampSize; ++i) ts = (ts << 8) | sig.signature[i];
      if (ts >> 63) {
        return Status::Corrupt("cosignature by " + Who(sig.name, sig.key_id) +
                               " has a timestamp beyond 2^63-1");
      }
      const std::string msg = CosignedMessage(out.note.text, ts);
      good = Ed25519Verify(key->public_key, AsBytes(msg),
                           std::span(sig.signature).subspan(kTimestampSize));
      ok.timestamp = ts;
    }
    if (!good) {
      return Status::Corrupt("signature by " + Who(sig.name, sig.key_id) +
                             " does not verify: the signed text or the signature was changed");
    }
    out.verified.push_back(std::move(ok));
  }
  if (out.verified.empty()) {
    std::string names;
    for (const NoteVerifier& v : verifiers) names += (names.empty() ? "" : ", ") + v.name;
    return Status::Corrupt("note is not signed by any trusted key (trusted: " +
                           (names.empty() ? std::string("none") : names) + ")");
  }
  return out;
}

}  // namespace izde::ledger
