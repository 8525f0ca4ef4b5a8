#include "server/record_links.h"

#include <algorithm>

namespace izde::server {

std::vector<std::string> PeopleReferredTo(const model::Record& r) {
  std::vector<std::string> out;
  auto take = [&](const char* field) {
    auto it = r.doc.find(field);
    if (it == r.doc.end()) return;
    if (it->is_string()) out.push_back(it->get<std::string>());
    if (it->is_array())
      for (const auto& e : *it)
        if (e.is_string()) out.push_back(e.get<std::string>());
  };
  switch (r.type) {
    case model::RecordType::kEvent:
      take("person");
      break;
    case model::RecordType::kRelation:
      take("from");
      take("to");
      break;
    case model::RecordType::kTestimony:
      take("people");
      break;
    default:
      break;
  }
  return out;
}

Result<RecordLinks> RecordLinks::Build(vault::Vault& v) {
  RecordLinks links;
  // Read before the pass: what is written during it is taken in again by FollowChanges.
  IZDE_ASSIGN_OR_RETURN(links.change_seen_, v.store()->LastChange());
  IZDE_RETURN_IF_ERROR(v.ForEach([&](const vault::OpenedVersion& o) {
    links.Add(o.record, o.created_at, o.author);
    return Status::Ok();
  }));
  return links;
}

Status RecordLinks::FollowChanges(vault::Vault& v) {
  IZDE_ASSIGN_OR_RETURN(int64_t last, v.store()->LastChange());
  if (last <= change_seen_) return Status::Ok();
  std::vector<std::string> ids;
  IZDE_RETURN_IF_ERROR(v.store()->ChangesSince(change_seen_, [&](const std::string& id, int64_t) {
    ids.push_back(id);
    return Status::Ok();
  }));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const auto& id : ids) {
    // A record this server's keys cannot open (the witness tier without the witness
    // key) is not in the table at all, as at Build.
    auto opened = v.Get(id);
    if (opened.ok()) Add(opened->record, opened->created_at, opened->author);
  }
  change_seen_ = last;
  return Status::Ok();
}

void RecordLinks::Add(const model::Record& r, int64_t created_at, const std::string& author) {
  ++generation_;
  auto who = std::find(authors_.begin(), authors_.end(), author);
  if (who == authors_.end()) who = authors_.insert(authors_.end(), author);
  auto [it, added] = ids_.insert_or_assign(r.id, static_cast<uint32_t>(who - authors_.begin()));
  (void)it;
  if (added) ++counts_[std::string(model::TypeName(r.type))];
  for (const auto& person : PeopleReferredTo(r)) {
    auto& ids = links_[person];
    if (std::find(ids.begin(), ids.end(), r.id) == ids.end()) ids.push_back(r.id);
  }
  std::string type(model::TypeName(r.type));
  if (type == "witness" || IsLinkageBookkeeping(type)) return;
  std::erase_if(recent_, [&](const RecentRecord& e) { return e.id == r.id; });
  RecentRecord entry{r.id, std::move(type), created_at};
  auto pos = std::find_if(recent_.begin(), recent_.end(), [&](const RecentRecord& e) {
    return e.created_at < created_at || (e.created_at == created_at && e.id < r.id);
  });
  recent_.insert(pos, entry);
  if (recent_.size() > kRecent) recent_.resize(kRecent);
}

const std::string& RecordLinks::AuthorOf(const std::string& id) const {
  static const std::string kNobody;
  auto it = ids_.find(id);
  return it == ids_.end() ? kNobody : authors_[it->second];
}

std::vector<std::string> RecordLinks::Linked(const std::string& person_id) const {
  auto it = links_.find(person_id);
  return it == links_.end() ? std::vector<std::string>{} : it->second;
}

bool IsLinkageBookkeeping(std::string_view type) {
  return type == "link" || type == "link_queue" || type == "notice";
}

}  // namespace izde::server
