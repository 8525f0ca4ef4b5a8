#include "publish/public_dataset.h"

#include <algorithm>

#include "dates/partial_date.h"
#include "ledger/record_proof.h"
#include "model/schema.h"

namespace izde::publish {
namespace {

using model::FieldKind;
using model::RecordType;

bool IsStringField(RecordType type, std::string_view name) {
  for (const auto& f : model::FieldsOf(type))
    if (f.name == name)
      return f.kind == FieldKind::kText || f.kind == FieldKind::kEnum ||
             f.kind == FieldKind::kDate || f.kind == FieldKind::kRecordRef ||
             f.kind == FieldKind::kSha256;
  return false;
}

std::vector<std::string> Refs(const nlohmann::json& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array())
    for (const auto& x : v)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

std::string FirstName(const nlohmann::json& fields) {
  auto it = fields.find("names");
  if (it == fields.end() || !it->is_array()) return "";
  for (const auto& n : *it)
    if (n.is_object() && n.contains("text") && n["text"].is_string())
      return n["text"].get<std::string>();
  return "";
}

// Sort key of an event date: its earliest day, undated and unreadable dates last.
int64_t DateKey(const PublicRecord& e) {
  auto d = dates::Parse(e.Text("date"));
  if (!d.ok()) return INT64_MAX;
  return int64_t{d->earliest.year} * 10000 + d->earliest.month * 100 + d->earliest.day;
}

}  // namespace

std::string PublicRecord::Text(const char* field) const {
  auto it = fields.find(field);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : "";
}

const PublicRecord* PublicDataset::Find(const std::string& id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &records[it->second];
}

std::string PublicDataset::NameOf(const std::string& id) const {
  const PublicRecord* r = Find(id);
  std::string n = r ? FirstName(r->fields) : "";
  return n.empty() ? id : n;
}

Result<PublicDataset> ReadBundle(const ledger::Bundle& bundle) {
  PublicDataset d;
  d.log_key = bundle.log_key;
  d.checkpoint = bundle.checkpoint;
  {
    size_t nl = d.checkpoint.find('\n');
    d.origin = d.checkpoint.substr(0, nl);
    size_t nl2 = d.checkpoint.find('\n', nl + 1);
    if (nl != std::string::npos && nl2 != std::string::npos)
      d.log_size = std::strtoull(d.checkpoint.substr(nl + 1, nl2 - nl - 1).c_str(), nullptr, 10);
  }
  d.records.reserve(bundle.records.size());
  for (const auto& br : bundle.records) {
    auto type = model::ParseType(br.type);
    if (!type) return Status::InvalidInput("record " + br.id + ": unknown type " + br.type);
    IZDE_ASSIGN_OR_RETURN(auto proof, ledger::RecordProof::ParseBody(br.proof));
    PublicRecord r{br.id, *type, br.version, proof.index, nlohmann::json::object()};
    for (const auto& f : br.revealed) {
      if (IsStringField(*type, f.name)) {
        r.fields[f.name] = f.value;
      } else {
        auto v = nlohmann::json::parse(f.value, nullptr, false);
        if (v.is_discarded())
          return Status::InvalidInput("record " + br.id + " field " + f.name + ": not JSON");
        r.fields[f.name] = std::move(v);
      }
    }
    d.by_id.emplace(r.id, d.records.size());
    d.records.push_back(std::move(r));
  }
  for (const auto& e : bundle.evidence) {
    IZDE_ASSIGN_OR_RETURN(auto proof, ledger::RecordProof::ParseBody(e.proof));
    d.evidence_leaf[e.id] = proof.index;
  }

  std::unordered_map<std::string, size_t> person_at;
  for (const auto& r : d.records)
    if (r.type == RecordType::kPerson) {
      person_at.emplace(r.id, d.people.size());
      PersonEntry p;
      p.person = &r;
      p.display_name = FirstName(r.fields);
      if (p.display_name.empty()) p.display_name = r.id;
      d.people.push_back(std::move(p));
    }
  auto entry_of = [&](const std::string& id) -> PersonEntry* {
    auto it = person_at.find(id);
    return it == person_at.end() ? nullptr : &d.people[it->second];
  };
  for (const auto& r : d.records) {
    switch (r.type) {
      case RecordType::kEvent:
        if (auto it = r.fields.find("person"); it != r.fields.end())
          for (const auto& id : Refs(*it))
            if (auto* p = entry_of(id)) p->events.push_back(&r);
        break;
      case RecordType::kTestimony:
        if (auto it = r.fields.find("people"); it != r.fields.end())
          for (const auto& id : Refs(*it))
            if (auto* p = entry_of(id)) {
              p->testimonies.push_back(&r);
              if (auto ev = r.fields.find("evidence"); ev != r.fields.end())
                for (const auto& e : Refs(*ev))
                  if (const auto* er = d.Find(e);
                      er && er->type == RecordType::kEvidence &&
                      std::find(p->evidence.begin(), p->evidence.end(), er) == p->evidence.end())
                    p->evidence.push_back(er);
            }
        break;
      case RecordType::kRelation:
        for (const char* end : {"from", "to"})
          if (auto* p = entry_of(r.Text(end))) p->relations.push_back(&r);
        break;
      default:
        break;
    }
  }
  for (auto& p : d.people) {
    std::vector<std::pair<int64_t, const PublicRecord*>> keyed;
    for (const auto* e : p.events) keyed.emplace_back(DateKey(*e), e);
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    p.events.clear();
    for (const auto& [k, e] : keyed) {
      p.events.push_back(e);
      if (k != INT64_MAX) p.status = e->Text("kind"), p.status_date = k;
      const std::string kind = e->Text("kind");
      if (k != INT64_MAX && !p.first_detained_year &&
          (kind == "detained" || kind == "held_at_facility"))
        p.first_detained_year = static_cast<int>(k / 10000);
    }
    if (p.status.empty() && !p.events.empty()) p.status = p.events.back()->Text("kind");
  }
  return d;
}

}  // namespace izde::publish
