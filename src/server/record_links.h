// What the person page and the dashboard need but the vault does not index:
// for each person, the ids of the events, relations and testimonies that
// name them; the most recently written records; how many records of each
// type this user can read (Vault::Summary counts with a scan of the store,
// half a second at 100,000 people). Built with one pass of
// Vault::ForEach at unlock (it decrypts every record once more, on top of the
// index build: about as long again as the unlock itself), then kept current
// by the server's own saves. It holds record ids and the account ids of their
// authors (for documenters, who see what they wrote), never names or text.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "vault/vault.h"

namespace izde::server {

struct RecentRecord {
  std::string id;
  std::string type;
  int64_t created_at = 0;
};

class RecordLinks {
 public:
  static constexpr size_t kRecent = 12;

  static Result<RecordLinks> Build(vault::Vault& v);
  // Takes in the versions written since Build or the last call, by this server or any
  // other process on the vault (another server on one PostgreSQL database, `izde import`).
  Status FollowChanges(vault::Vault& v);
  // Takes note of a version just written, and by whom (an account id).
  void Add(const model::Record& r, int64_t created_at, const std::string& author = "");
  // Who wrote the latest version of `id` ("" if unknown).
  const std::string& AuthorOf(const std::string& id) const;
  // Ids of records that referred to `person_id` when written; a later version
  // may no longer do so, so callers check the record they open.
  std::vector<std::string> Linked(const std::string& person_id) const;
  // Newest first: documentation a dashboard lists, so neither witnesses (their
  // reads are audited) nor the linkage's bookkeeping.
  const std::vector<RecentRecord>& Recent() const { return recent_; }
  // Records by type name ("person" -> 100000).
  const std::map<std::string, int64_t>& Counts() const { return counts_; }
  // Grows with every Add(): what the server derived from the vault may be stale once
  // it changes.
  uint64_t generation() const { return generation_; }

 private:
  std::map<std::string, std::vector<std::string>> links_;
  std::vector<RecentRecord> recent_;
  std::map<std::string, int64_t> counts_;
  // Record id -> index of its latest version's author in authors_.
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> authors_;
  uint64_t generation_ = 0;
  int64_t change_seen_ = 0;  // the store's last change number taken in
};

// Reviewers' link decisions, the review queue and inquiry notices are the
// linkage's bookkeeping (src/identity): shown as the queue and the inquiries,
// not as records beside people and testimonies.
bool IsLinkageBookkeeping(std::string_view type);

// The person ids a record refers to (event.person, relation.from/to,
// testimony.people).
std::vector<std::string> PeopleReferredTo(const model::Record& r);

}  // namespace izde::server
