#include "identity/inquiries.h"

#include <algorithm>
#include <set>

namespace izde::identity {
namespace {

std::vector<std::string> Strings(const nlohmann::json& doc, const char* field) {
  std::vector<std::string> out;
  if (auto it = doc.find(field); it != doc.end() && it->is_array())
    for (const auto& x : *it)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

model::Record ToRecord(const Notice& n) {
  model::Record r{n.record_id, model::RecordType::kNotice, nlohmann::json::object()};
  r.doc["sought"] = n.sought;
  r.doc["person"] = n.person;
  r.doc["probability"] = n.probability;
  r.doc["accepted"] = n.accepted ? "yes" : "no";
  r.doc["new_records"] = n.new_records;
  r.doc["reported"] = n.reported;
  r.doc["status"] = n.status;
  return r;
}

}  // namespace

Result<Notice> NoticeFromVersion(const vault::OpenedVersion& v) {
  if (v.record.type != model::RecordType::kNotice)
    return Status::InvalidInput(v.record.id + " is not a notice");
  const auto& doc = v.record.doc;
  Notice n;
  n.record_id = v.record.id;
  n.sought = doc.value("sought", "");
  n.person = doc.value("person", "");
  n.probability = doc.value("probability", 0.0);
  n.accepted = doc.value("accepted", "no") == "yes";
  n.new_records = Strings(doc, "new_records");
  n.reported = Strings(doc, "reported");
  n.status = doc.value("status", "open");
  n.version = v.version;
  n.at = v.created_at;
  n.author = v.author;
  return n;
}

std::vector<model::Record> RefreshNotices(const VaultView& view, const ReviewQueueRecord& queue,
                                          const IdentityClusters& clusters, double probability) {
  // Existing notices by (sought, person).
  std::map<std::pair<std::string, std::string>, Notice> existing;
  for (const auto& id : view.notices) {
    auto v = view.records.find(id);
    if (v == view.records.end()) continue;
    auto n = NoticeFromVersion(v->second);
    if (n.ok()) existing.emplace(std::make_pair(n->sought, n->person), *n);
  }
  // Queue partners of every person, at or above the notice probability.
  std::unordered_map<std::string, std::vector<std::pair<std::string, double>>> partners;
  for (const auto& p : queue.pairs) {
    if (p.probability < probability) continue;
    partners[p.a].emplace_back(p.b, p.probability);
    partners[p.b].emplace_back(p.a, p.probability);
  }
  std::vector<model::Record> out;
  for (const auto& [sought, _] : view.people) {
    if (!view.IsSought(sought)) continue;
    // Documented people this inquiry may be about, with the evidence for each.
    std::map<std::string, std::pair<double, bool>> found;  // person -> (probability, accepted)
    const auto own = clusters.MembersWith(sought);
    for (const auto& m : own)
      if (!view.IsSought(m)) found[m] = {1.0, true};
    for (const auto& m : own) {
      auto it = partners.find(m);
      if (it == partners.end()) continue;
      for (const auto& [other, p] : it->second) {
        const PairDecision* d = view.DecisionOf(m, other);
        if (d && d->decision == Decision::kDifferent) continue;
        for (const auto& x : clusters.MembersWith(other)) {
          if (view.IsSought(x) || found.count(x)) continue;
          found[x] = {p, false};
        }
      }
    }
    for (const auto& [person, evidence] : found) {
      std::set<std::string> material = {person};
      if (auto it = view.about.find(person); it != view.about.end())
        material.insert(it->second.begin(), it->second.end());
      Notice n;
      auto old = existing.find({sought, person});
      if (old != existing.end())
        n = old->second;
      else {
        n.record_id = model::NewRecordId(model::RecordType::kNotice);
        n.sought = sought;
        n.person = person;
      }
      const std::set<std::string> reported(n.reported.begin(), n.reported.end());
      std::vector<std::string> fresh;
      for (const auto& m : material)
        if (!reported.count(m)) fresh.push_back(m);
      // A reviewer confirming a suggested link is news too.
      const bool confirmed = evidence.second && !n.accepted && old != existing.end();
      if (fresh.empty() && !confirmed) continue;
      n.probability = evidence.first;
      n.accepted = evidence.second;
      n.new_records = fresh;
      n.reported.insert(n.reported.end(), fresh.begin(), fresh.end());
      std::sort(n.reported.begin(), n.reported.end());
      n.status = "open";
      out.push_back(ToRecord(n));
    }
  }
  return out;
}

std::vector<Notice> AllNotices(const VaultView& view) {
  std::vector<Notice> out;
  out.reserve(view.notices.size());
  for (const auto& id : view.notices) {
    auto v = view.records.find(id);
    if (v == view.records.end()) continue;
    auto n = NoticeFromVersion(v->second);
    if (n.ok()) out.push_back(*n);
  }
  std::sort(out.begin(), out.end(), [](const Notice& x, const Notice& y) {
    if ((x.status == "open") != (y.status == "open")) return x.status == "open";
    if (x.at != y.at) return x.at > y.at;
    return x.record_id < y.record_id;
  });
  return out;
}

Result<Notice> MarkSeen(vault::Vault& vault, VaultView& view, const std::string& notice_id) {
  auto it = view.records.find(notice_id);
  if (it == view.records.end() || it->second.record.type != model::RecordType::kNotice)
    return Status::NotFound("there is no notice " + notice_id + " (izde inquiries lists them)");
  IZDE_ASSIGN_OR_RETURN(Notice n, NoticeFromVersion(it->second));
  if (n.status == "seen") return n;
  n.status = "seen";
  IZDE_ASSIGN_OR_RETURN(n.version, vault.Save(ToRecord(n)));
  IZDE_ASSIGN_OR_RETURN(it->second, vault.Get(notice_id));
  return n;
}

}  // namespace izde::identity
