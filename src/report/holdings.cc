#include "report/holdings.h"

namespace izde::report {
namespace {

void Add(Holdings& h, const vault::OpenedVersion& v) {
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
    case model::RecordType::kLink:
    case model::RecordType::kLinkQueue:
    case model::RecordType::kNotice:
      break;  // linkage bookkeeping (src/identity): not part of a case file
  }
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
  IZDE_RETURN_IF_ERROR(vault.ForEach([&](const vault::OpenedVersion& v) {
    Add(h, v);
    return Status::Ok();
  }));
  return h;
}

Holdings HoldingsOf(const std::vector<model::Record>& records) {
  Holdings h;
  for (const model::Record& r : records) Add(h, vault::OpenedVersion{r, 1, 0, ""});
  return h;
}

}  // namespace izde::report
