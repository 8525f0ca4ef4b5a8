#include "ledger/fuzz/parse_everything.h"

#include <string_view>

#include "ledger/base64.h"
#include "ledger/bundle.h"
#include "ledger/cosignature.h"
#include "ledger/evidence_leaf.h"
#include "ledger/record_leaf.h"
#include "ledger/record_proof.h"
#include "ledger/tile_path.h"
#include "ledger/timestamp.h"

namespace izde::ledger {
namespace {

constexpr char kOrigin[] = "izde.example/fuzz-log";

NoteSigner FixedKey(std::string_view name, KeyType type, std::uint8_t fill) {
  std::vector<std::uint8_t> seed(kEd25519SeedSize, fill);
  return std::move(NoteSigner::FromSeed(name, type, seed)).value();
}

const NoteSigner& LogKey() {
  static const NoteSigner k = FixedKey(kOrigin, KeyType::kEd25519, 1);
  return k;
}
const NoteSigner& WitnessKey() {
  static const NoteSigner k = FixedKey("partner.example/w", KeyType::kCosignatureV1, 2);
  return k;
}

CheckpointPolicy Policy() {
  return CheckpointPolicy{LogKey().verifier(), "", {WitnessKey().verifier()}, 1};
}

}  // namespace

bool ParseEverything(Bytes input) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  bool verified = false;
  (void)ParseNote(text);
  (void)Checkpoint::ParseBody(text);
  (void)Base64Decode(text);
  (void)TilePath::Parse(text);
  (void)NoteVerifier::Parse(text);
  (void)NoteSigner::Parse(text);
  (void)RecordLeaf::Parse(input);
  (void)EvidenceLeaf::Parse(input);
  // RFC 3161 tokens arrive inside bundles: DER from anyone.
  (void)CarriedRootsPem(input);
  (void)VerifyTimestampToken(input, text, "");
  if (VerifyCheckpoint(text, Policy()).ok()) verified = true;
  auto proof = RecordProof::Parse(text);
  if (proof.ok()) {
    (void)proof->Format();
    if (VerifyRecordProof(*proof, Policy()).ok()) verified = true;
    (void)RecordLeaf::Parse(proof->entry);
  }
  // Bundles arrive from anyone: parsing and verifying one must never crash. Its result
  // does not count as "verified": a bundle's JSON may change harmlessly (white space,
  // its informational log_key) and still verify, unlike the signed objects above.
  auto bundle = Bundle::Parse(text);
  if (bundle.ok()) {
    (void)bundle->Format();
    (void)VerifyBundle(*bundle, Policy());
  }
  return verified;
}

namespace fuzz {

std::vector<std::string> SeedInputs() {
  std::vector<FieldOpening> fields = {{"name", "Synthetic Person", Salt{}},
                                      {"place", "Synthetic Place", Salt{1}}};
  RecordLeaf leaf = *RecordLeaf::Build("rec-1", "person", 1, Hash{}, fields);
  MerkleTree tree;
  for (int i = 0; i < 5; ++i) tree.Append(HashLeaf(AsBytes("other " + std::to_string(i))));
  tree.Append(leaf.LeafHash());
  tree.Append(HashLeaf(AsBytes("other 6")));
  const std::string note = *SignCheckpoint(Checkpoint{kOrigin, 7, tree.Root(), {}}, LogKey());
  CosignRequest req{note, LogKey().verifier(), std::nullopt, {}, 1700000000};
  NoteSignature cosig = *Cosign(req, WitnessKey());
  const std::string cosigned = *AddSignatures(note, std::span(&cosig, 1));
  RecordProof proof{leaf.Encode(), 5, *tree.InclusionProof(5, 7), cosigned};
  auto raw = [](const std::vector<std::uint8_t>& b) { return std::string(b.begin(), b.end()); };
  SecretBytes skey = LogKey().EncodePrivate();
  Bundle bundle{LogKey().verifier().Encode(), cosigned, {}, {}, {}, {}};
  bundle.records.push_back({"rec-1", "person", 1, proof.Format(), {fields[0]}});
  const auto evidence = *EvidenceLeaf::ForContent("ev-1", AsBytes("synthetic bytes"));
  bundle.evidence.push_back(
      {"ev-1", proof.Format(), HexOf(evidence.content_hash), evidence.length, true});
  return {cosigned,
          bundle.Format(),
          proof.Format(),
          cosigned,
          raw(leaf.Encode()),
          raw(EvidenceLeaf::ForContent("ev-1", AsBytes("synthetic bytes"))->Encode()),
          LogKey().verifier().Encode(),
          WitnessKey().verifier().Encode(),
          std::string(reinterpret_cast<const char*>(skey.data()), skey.size()),
          TilePath{2, 1234067, 17}.ToString(),
          TilePath{kEntriesLevel, 3, 256}.ToString()};
}

}  // namespace fuzz
}  // namespace izde::ledger
