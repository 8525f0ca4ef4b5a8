// Inquiries: a relative's inquiry is a `sought` person. When linkage finds that a sought
// person is, or may be, someone documented in the vault, the coordinator gets a notice
// (a `notice` record, sealed like every record) saying which records are new to the
// inquiry: the documented person, their events, relations and testimonies. A later run
// that finds more adds a new version naming only what is new since the last one.
#pragma once

#include <string>
#include <vector>

#include "identity/identity_clusters.h"
#include "identity/review_queue_record.h"
#include "identity/vault_view.h"

namespace izde::identity {

struct Notice {
  std::string record_id, sought, person;
  double probability = 0;
  bool accepted = false;  // a reviewer accepted the link (else it is a suggestion)
  std::vector<std::string> new_records, reported;
  std::string status;  // open, seen
  int64_t version = 0, at = 0;
  std::string author;
};

Result<Notice> NoticeFromVersion(const vault::OpenedVersion& v);

// New versions of notices for every sought person S and documented person X who is in
// S's identity cluster, or in a queued pair with a member of it at or above
// `probability` that no reviewer rejected, whose records S was not yet told of, or whose
// suggested link a reviewer has since accepted.
std::vector<model::Record> RefreshNotices(const VaultView& view, const ReviewQueueRecord& queue,
                                          const IdentityClusters& clusters, double probability);

// Every notice in the view, open ones first, newest first.
std::vector<Notice> AllNotices(const VaultView& view);

// Marks a notice as seen (a new version) and puts that version into `view`, so a view
// kept between requests stays current. NotFound when there is no such notice.
Result<Notice> MarkSeen(vault::Vault& vault, VaultView& view, const std::string& notice_id);

}  // namespace izde::identity
