#include "identity/vault_view.h"

#include <algorithm>

namespace izde::identity {
namespace {

using model::RecordType;

void AddAbout(VaultView& view, const nlohmann::json& value, const std::string& record_id) {
  if (value.is_string()) view.about[value.get<std::string>()].push_back(record_id);
  if (value.is_array())
    for (const auto& x : value)
      if (x.is_string()) view.about[x.get<std::string>()].push_back(record_id);
}

}  // namespace

Result<VaultView> VaultView::Read(vault::Vault& vault) {
  VaultView view;
  IZDE_RETURN_IF_ERROR(vault.ForEach([&](const vault::OpenedVersion& v) { return view.Add(v); }));
  view.Finish();
  return view;
}

Status VaultView::Add(const vault::OpenedVersion& v) {
  const auto& r = v.record;
  switch (r.type) {
    case RecordType::kPerson:
      if (people.emplace(r.id, v).second && r.doc.value("kind", "") == "sought")
        sought.push_back(r.id);
      return Status::Ok();
    case RecordType::kEvent:
      AddAbout(*this, r.doc.value("person", nlohmann::json()), r.id);
      break;
    case RecordType::kTestimony:
      AddAbout(*this, r.doc.value("people", nlohmann::json()), r.id);
      break;
    case RecordType::kRelation: {
      const std::string from = r.doc.value("from", ""), to = r.doc.value("to", "");
      about[from].push_back(r.id);
      about[to].push_back(r.id);
      if (!from.empty() && !to.empty() && from != to) relatives.insert(PairKey(from, to));
      break;
    }
    case RecordType::kLink: {
      IZDE_ASSIGN_OR_RETURN(PairDecision d, DecisionFromVersion(v));
      pending_.push_back(std::move(d));
      break;
    }
    case RecordType::kLinkQueue:
      if (r.id == kQueueRecordId) queue = v;
      break;
    case RecordType::kNotice:
      if (!records.count(r.id)) notices.push_back(r.id);
      break;
    case RecordType::kSource:
      break;
    default:
      return Status::Ok();  // witnesses, evidence, facilities: not needed
  }
  records.emplace(r.id, v);
  return Status::Ok();
}

void VaultView::Finish() {
  for (auto& d : pending_) Note(d);
  pending_.clear();
  std::sort(sought.begin(), sought.end());
  std::sort(notices.begin(), notices.end());
}

std::vector<std::string> VaultView::PersonIds() const {
  std::vector<std::string> ids;
  ids.reserve(people.size());
  for (const auto& [id, _] : people) ids.push_back(id);
  return ids;
}

std::vector<PairDecision> VaultView::DecisionList() const {
  std::vector<PairDecision> out;
  out.reserve(decisions.size());
  for (const auto& [_, d] : decisions) out.push_back(d);
  return out;
}

bool VaultView::IsSought(const std::string& person) const {
  auto it = people.find(person);
  return it != people.end() && it->second.record.doc.value("kind", "") == "sought";
}

const PairDecision* VaultView::DecisionOf(const std::string& a, const std::string& b) const {
  auto it = decisions.find(PairKey(a, b));
  return it == decisions.end() ? nullptr : &it->second;
}

void VaultView::Note(const PairDecision& d) {
  last_sequence = std::max(last_sequence, d.sequence);
  auto [it, fresh] = decisions.emplace(d.pair(), d);
  if (!fresh && (d.sequence > it->second.sequence ||
                 (d.sequence == it->second.sequence && d.record_id == it->second.record_id &&
                  d.version > it->second.version)))
    it->second = d;
}

}  // namespace izde::identity
