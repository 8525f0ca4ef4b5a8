#include "report/holdings.h"

namespace izde::report {
namespace {

// Keeps the later of two decisions on one pair (as identity::VaultView::Note does).
void NoteDecision(Holdings& h, const identity::PairDecision& d) {
  auto [it, fresh] = h.decisions.emplace(d.pair(), d);
  if (!fresh && (d.sequence > it->second.sequence ||
                 (d.sequence == it->second.sequence && d.record_id == it->second.record_id &&
                  d.version > it->second.version)))
    it->second = d;
}

Status Add(Holdings& h, const vault::OpenedVersion& v) {
  const model::Record& r = v.record;
  switch (r.type) {
    case model::RecordType::kPerson:
      h.people[r.id] = v;
      break;
    case model::RecordType::kEvent:
      h.events[r.id] = v;
      if (r.doc.contains("person") && r.doc["person"].is_string()) {
        h.events_of[r.doc["person"].get<std::string>()].push_back(r.id);
      }
      break;
    case model::RecordType::kFacility:
      h.facilities[r.id] = v;
      break;
    case model::RecordType::kRelation:
      h.relations[r.id] = v;
      break;
    case model::RecordType::kSource:
      h.sources[r.id] = v;
      break;
    case model::RecordType::kTestimony:
      h.testimonies[r.id] = v;
      break;
    case model::RecordType::kEvidence:
      h.evidence[r.id] = v;
      break;
    case model::RecordType::kWitness:
      break;  // never loaded: see the header
    case model::RecordType::kLink: {
      // Which records are one person: the unit every count counts (counted_people.h).
      auto d = identity::DecisionFromVersion(v);
      if (!d.ok()) return d.status().Within("link record " + r.id);
      NoteDecision(h, *d);
      break;
    }
    case model::RecordType::kLinkQueue:
    case model::RecordType::kNotice:
      break;  // linkage bookkeeping (src/identity): not part of a case file
  }
  return Status::Ok();
}

void BuildClusters(Holdings& h) {
  std::vector<std::string> ids;
  ids.reserve(h.people.size());
  for (const auto& [id, _] : h.people) ids.push_back(id);
  std::vector<identity::PairDecision> decisions;
  decisions.reserve(h.decisions.size());
  for (const auto& [_, d] : h.decisions) decisions.push_back(d);
  h.clusters = identity::IdentityClusters::Build(ids, decisions);
}

}  // namespace

const vault::OpenedVersion* Holdings::Find(const std::string& id) const {
  for (const auto* m :
       {&people, &events, &facilities, &relations, &sources, &testimonies, &evidence}) {
    if (auto it = m->find(id); it != m->end()) return &it->second;
  }
  return nullptr;
}

Result<Holdings> LoadHoldings(vault::Vault& vault) {
  Holdings h;
  IZDE_RETURN_IF_ERROR(vault.ForEach([&](const vault::OpenedVersion& v) { return Add(h, v); }));
  BuildClusters(h);
  return h;
}

Status AddToHoldings(Holdings& holdings, const vault::OpenedVersion& version) {
  return Add(holdings, version);
}

void FinishHoldings(Holdings& holdings) { BuildClusters(holdings); }

vault::OpenedVersion StatisticsCopy(const vault::OpenedVersion& version) {
  static const char* const kKept[] = {"kind",      "date",        "sources",    "list",
                                      "testimony", "person",      "people",     "gender",
                                      "hometown",  "birth_date",  "facility",   "from",
                                      "to",        "term_months", "identifiers"};
  vault::OpenedVersion out{model::Record{version.record.id, version.record.type, {}},
                           version.version, version.created_at, version.author};
  if (version.record.type == model::RecordType::kLink) {
    out.record.doc = version.record.doc;
    return out;
  }
  out.record.doc = nlohmann::json::object();
  for (const char* f : kKept)
    if (auto it = version.record.doc.find(f); it != version.record.doc.end())
      out.record.doc[f] = *it;
  return out;
}

Holdings HoldingsOf(const std::vector<model::Record>& records) {
  Holdings h;
  for (const model::Record& r : records) {
    // Records in memory were validated where they were made; a malformed link record
    // here is a caller's bug, and counting without it is the safe reading.
    (void)Add(h, vault::OpenedVersion{r, 1, 0, ""});
  }
  BuildClusters(h);
  return h;
}

}  // namespace izde::report
