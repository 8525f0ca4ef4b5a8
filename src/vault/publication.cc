#include "vault/publication.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "ledger/note.h"
#include "ledger/record_proof.h"

namespace izde::vault {
namespace {

using model::RecordType;

struct Consent {
  bool name = false, face_voice = false, testimony_text = false, id_number = false;
  bool Any() const { return name || face_voice || testimony_text || id_number; }
  void Merge(const Consent& o) {
    name |= o.name, face_voice |= o.face_voice, testimony_text |= o.testimony_text,
        id_number |= o.id_number;
  }
};

Consent ConsentOf(const nlohmann::json& doc) {
  Consent c;
  auto it = doc.find("consent");
  if (it == doc.end() || !it->is_object()) return c;
  auto flag = [&](const char* k) {
    return it->contains(k) && (*it)[k].is_boolean() && (*it)[k].get<bool>();
  };
  c.name = flag("name"), c.face_voice = flag("face_voice"),
  c.testimony_text = flag("testimony_text"), c.id_number = flag("id_number");
  return c;
}

std::vector<std::string> Refs(const nlohmann::json& doc, const char* key) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array())
    for (const auto& x : *it)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

// The fields of a published record that its consent lets us reveal.
std::vector<std::string> RevealedFields(RecordType type, const Consent& c) {
  std::vector<std::string> f;
  switch (type) {
    case RecordType::kTestimony:
      f = {"language", "date", "people", "evidence", "consent"};
      if (c.testimony_text) f.insert(f.end(), {"transcript", "summary"});
      break;
    case RecordType::kPerson:
      f = {"kind", "gender"};
      if (c.name)
        f.insert(f.end(), {"names", "birth_date", "hometown", "ethnicity", "citizenships"});
      if (c.id_number) f.push_back("identifiers");
      break;
    case RecordType::kEvent:
      f = {"person", "kind", "date", "place", "facility", "agency", "term_months", "confidence"};
      break;
    case RecordType::kFacility:
      f = {"names", "type", "county", "latitude", "longitude"};
      break;
    case RecordType::kEvidence:
      f = {"media_type", "sha256", "size", "testimony"};
      break;
    case RecordType::kRelation:
      f = {"from", "to", "kind"};  // only when asked for (PublicationOptions::relations)
      break;
    default:
      break;  // witnesses and sources: never published
  }
  return f;
}

}  // namespace

Result<ledger::Bundle> BuildPublicBundle(Vault& vault, const PublicationOptions& options) {
  std::map<std::string, OpenedVersion> latest;
  IZDE_RETURN_IF_ERROR(vault.ForEachOwned([&](OpenedVersion&& v) {
    if (v.record.type == RecordType::kWitness) return Status::Ok();
    if (options.also_read) IZDE_RETURN_IF_ERROR(options.also_read(v));
    std::string id = v.record.id;
    latest.emplace(std::move(id), std::move(v));
    return Status::Ok();
  }));
  // Consent flows from testimonies to the people they speak about and the evidence they
  // attach; events follow their person, facilities their events.
  std::map<std::string, Consent> publish;
  for (const auto& [id, v] : latest) {
    if (v.record.type != RecordType::kTestimony) continue;
    Consent c = ConsentOf(v.record.doc);
    if (!c.Any()) continue;
    publish[id].Merge(c);
    for (const auto& p : Refs(v.record.doc, "people")) publish[p].Merge(c);
    if (c.face_voice)
      for (const auto& e : Refs(v.record.doc, "evidence")) publish[e].Merge(c);
  }
  for (const auto& [id, v] : latest) {
    if (v.record.type != RecordType::kEvent) continue;
    auto person = Refs(v.record.doc, "person");
    if (person.empty() || !publish.count(person[0])) continue;
    publish[id].Merge(publish[person[0]]);
    for (const auto& f : Refs(v.record.doc, "facility")) publish[f].Merge(publish[person[0]]);
  }
  if (options.relations) {
    for (const auto& [id, v] : latest) {
      if (v.record.type != RecordType::kRelation) continue;
      auto from = Refs(v.record.doc, "from"), to = Refs(v.record.doc, "to");
      if (from.empty() || to.empty()) continue;
      auto a = publish.find(from[0]), b = publish.find(to[0]);
      if (a == publish.end() || b == publish.end() || !a->second.name || !b->second.name) continue;
      Consent both;
      both.name = true;
      publish[id].Merge(both);
    }
  }

  VaultLog* log = vault.log();
  ledger::Bundle bundle;
  bundle.log_key = log->verifier().Encode();
  IZDE_ASSIGN_OR_RETURN(bundle.checkpoint, log->LatestCheckpoint());
  IZDE_ASSIGN_OR_RETURN(auto cosigners, log->Cosigners());
  for (const auto& k : cosigners) bundle.cosigner_keys.push_back(k.Encode());
  // What to publish, then every proof at once (each entry bundle of the log read once),
  // all against the one checkpoint the bundle carries.
  struct Item {
    const OpenedVersion* v;
    std::vector<std::string> fields;
    uint64_t leaf = 0, evidence_leaf = 0;
  };
  std::vector<Item> items;
  std::vector<uint64_t> leaves;
  for (const auto& [id, consent] : publish) {
    auto it = latest.find(id);
    if (it == latest.end()) continue;  // a reference to a record this vault lacks
    const OpenedVersion& v = it->second;
    if (v.record.type == RecordType::kRelation && !options.relations) continue;
    auto fields = RevealedFields(v.record.type, consent);
    if (options.field_allowed)
      std::erase_if(fields,
                    [&](const std::string& f) { return !options.field_allowed(v.record.type, f); });
    if (fields.empty()) continue;
    const auto* tip = log->LatestRecord(id);
    if (!tip || tip->version != static_cast<uint64_t>(v.version))
      return Status::Corrupt("record " + id + " version " + std::to_string(v.version) +
                             " is not in the log; run `izde verify --vault`");
    Item item{&v, std::move(fields), tip->index, 0};
    leaves.push_back(tip->index);
    if (v.record.type == RecordType::kEvidence) {
      const auto* ev = log->LatestEvidence(id);
      if (!ev) return Status::Corrupt("evidence " + id + " has no file hash in the log");
      item.evidence_leaf = ev->index;
      leaves.push_back(ev->index);
    }
    items.push_back(std::move(item));
  }
  IZDE_ASSIGN_OR_RETURN(auto proofs, ledger::ProveEntries(log->log(), leaves, bundle.checkpoint));
  size_t next = 0;
  for (const Item& item : items) {
    const OpenedVersion& v = *item.v;
    const ledger::RecordProof& proof = proofs[next++];
    IZDE_ASSIGN_OR_RETURN(auto leaf, ledger::RecordLeaf::Parse(proof.entry));
    IZDE_ASSIGN_OR_RETURN(auto openings, vault.Openings(v));
    auto redacted = ledger::Redact(leaf, openings, item.fields);
    bundle.records.push_back({v.record.id, std::string(model::TypeName(v.record.type)),
                              static_cast<uint64_t>(v.version), proof.FormatBody(),
                              std::move(redacted.revealed)});
    if (v.record.type == RecordType::kEvidence) {
      const ledger::RecordProof& ev_proof = proofs[next++];
      IZDE_ASSIGN_OR_RETURN(auto ev_leaf, ledger::EvidenceLeaf::Parse(ev_proof.entry));
      bundle.evidence.push_back({v.record.id, ev_proof.FormatBody(),
                                 ledger::HexOf(ev_leaf.content_hash), ev_leaf.length,
                                 options.with_files});
    }
  }
  IZDE_ASSIGN_OR_RETURN(ledger::Note note, ledger::ParseNote(bundle.checkpoint));
  IZDE_ASSIGN_OR_RETURN(ledger::Checkpoint cp, ledger::Checkpoint::ParseBody(note.text));
  IZDE_ASSIGN_OR_RETURN(bundle.timestamp, log->TimestampToken(cp.size));
  return bundle;
}

namespace {

Status WriteWhole(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".part";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) return Status::Io("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return ec ? Status::Io("cannot write " + path + ": " + ec.message()) : Status::Ok();
}

}  // namespace

Result<ledger::Bundle> WritePublicBundle(Vault& vault, const std::string& out,
                                         const PublicationOptions& options) {
  IZDE_ASSIGN_OR_RETURN(auto bundle, BuildPublicBundle(vault, options));
  if (options.with_files) {
    const std::filesystem::path files = out + ".files";
    std::error_code ec;
    std::filesystem::create_directories(files, ec);
    if (ec) return Status::Io("cannot create " + files.string() + ": " + ec.message());
    for (const auto& e : bundle.evidence)
      IZDE_RETURN_IF_ERROR(vault.ExtractEvidence(e.id, (files / e.sha256).string()));
  }
  IZDE_RETURN_IF_ERROR(WriteWhole(out, bundle.Format()));
  IZDE_RETURN_IF_ERROR(WriteWhole(out + ".pub", bundle.log_key + "\n"));
  return bundle;
}

}  // namespace izde::vault
