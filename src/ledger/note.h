// C2SP signed-note v1.0.0: a UTF-8 text ending in "\n", a blank line, then one or more
// signature lines "— <key name> <base64(key id || signature)>\n" (U+2014 em dash).
// Parsing is strict and bounded (kMaxNoteBytes, kMaxSignatures) because notes arrive
// from mirrors and bundles we do not control.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/note_key.h"

namespace izde::ledger {

inline constexpr std::size_t kMaxNoteBytes = 64 * 1024;
inline constexpr std::size_t kMaxSignatures = 100;  // the spec asks verifiers for >= 16

struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::vector<std::uint8_t> signature;  // after the 4-byte key id
};

struct Note {
  std::string text;  // ends in "\n"; excludes the blank separator line
  std::vector<NoteSignature> signatures;
};

// A signature that a trusted key verified. For cosignatures, the signed time.
struct VerifiedSignature {
  std::string name;
  std::uint32_t key_id = 0;
  KeyType type = KeyType::kEd25519;
  std::optional<std::uint64_t> timestamp;
};

struct VerifiedNote {
  Note note;
  std::vector<VerifiedSignature> verified;
};

// Checks that text could be the text of a note (UTF-8, no control characters but
// newline, ends in newline, not empty).
Status CheckNoteText(std::string_view text);

Result<Note> ParseNote(std::string_view bytes);
std::string FormatNote(const Note& note);
std::string FormatSignatureLine(const NoteSignature& sig);

// Signs text with an Ed25519 (type 0x01) note key and returns the signature.
Result<NoteSignature> SignNoteText(std::string_view text, const NoteSigner& signer);

// The message a tlog-cosignature/v1 signature covers.
std::string CosignedMessage(std::string_view note_text, std::uint64_t timestamp);

// Parses the note and verifies every signature made by one of `verifiers` (matched by
// name and key id; unknown signatures are ignored, as the spec requires). Fails if a
// known key's signature does not verify, or if no known key signed.
Result<VerifiedNote> OpenNote(std::string_view bytes, std::span<const NoteVerifier> verifiers);

}  // namespace izde::ledger
