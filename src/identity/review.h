// The review of suggested links over a vault: the queue in the order in which a
// decision helps most, each pair side by side with how every field agrees, and the
// decisions themselves — accept, reject, undo, split — checked against the hard
// constraints and saved as `link` records (decision.h). The web application and the
// terminal (`izde review`) both work through this class.
//
// A decision helps most where the engine is least sure and where it joins the most
// records: the queue is ordered by the binary entropy of the pair's match probability
// times the mean size of the two identity clusters it would join, doubled when one side
// is a sought person (a family is waiting).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "identity/identity_clusters.h"
#include "identity/inquiries.h"
#include "identity/review_queue_record.h"
#include "identity/vault_view.h"
#include "link/fields.h"
#include "names/compare.h"

namespace izde::identity {

struct FieldAgreement {
  std::string field;
  std::string level;             // link::LevelName: "exact", "different", "missing", ...
  std::string a, b;              // the values compared, as written
  std::optional<double> weight;  // log2(m/u) of the level, when a queue holds the model
};

struct PairView {
  std::string pair, a, b;
  std::optional<double> probability;
  bool queued = false;
  double help = 0;
  std::string cluster_a, cluster_b;
  size_t size_a = 1, size_b = 1;
  bool sought_a = false, sought_b = false;
  std::string names_a, names_b;  // every name form
  std::vector<FieldAgreement> fields;
  std::optional<names::NameComparison> names;
  std::optional<PairDecision> decision;  // the latest, if any
};

class Review {
 public:
  static Result<Review> Open(vault::Vault& vault);

  // Pairs still to decide, most helpful first: queued pairs without a decision whose
  // people are not yet one cluster and may be (no hard constraint between them).
  std::vector<PairView> Pending(size_t limit = SIZE_MAX) const;
  size_t PendingCount() const;
  // Any two people side by side, queued or not.
  Result<PairView> Explain(const std::string& a, const std::string& b) const;

  // Why a and b can never be one person (their clusters included), or "" when they can.
  std::string WhyApart(const std::string& a, const std::string& b) const;

  Result<PairDecision> Decide(const std::string& a, const std::string& b, Decision decision,
                              const std::string& notes = "");
  // Accepts every pending pair at or above `probability` that the constraints allow,
  // in one transaction. Returns the decisions written.
  Result<std::vector<PairDecision>> AcceptAbove(double probability);
  // Takes back the latest decision on a pair ("A+B" or a link record id), or, with an
  // empty argument, the latest decision of the user who unlocked the vault that is not
  // itself an undo. The pair returns to what it was before that decision.
  Result<PairDecision> Undo(const std::string& pair_or_record = "");
  // Detaches a person from their cluster: every accepted link between them and another
  // member becomes "different".
  Result<std::vector<PairDecision>> Split(const std::string& person, const std::string& notes = "");
  // Marks an inquiry notice as seen (inquiries.h); the review's view keeps the new version,
  // so a review kept between requests need not be read again.
  Result<Notice> MarkNoticeSeen(const std::string& notice_id) {
    return MarkSeen(*vault_, view_, notice_id);
  }

  // Who decides: decisions are saved under this author, and Undo() with no argument
  // takes back this author's latest. Empty (the default): the vault user. A server that
  // holds the vault for many accounts sets an account id.
  void set_author(std::string author) { author_ = std::move(author); }
  const std::string& author() const { return author_.empty() ? vault_->user() : author_; }

  const IdentityClusters& clusters() const { return clusters_; }
  const VaultView& view() const { return view_; }
  const std::optional<ReviewQueueRecord>& queue() const { return queue_; }

 private:
  Review(vault::Vault& vault, VaultView view) : vault_(&vault), view_(std::move(view)) {}
  PairView View(const std::string& a, const std::string& b, const QueuedPair* queued) const;
  double Help(const QueuedPair& p) const;
  Status CheckPerson(const std::string& id) const;
  PairDecision Next(const std::string& a, const std::string& b, Decision decision,
                    const std::string& notes) const;
  Status SaveDecisions(std::vector<PairDecision>& decisions);
  const link::FieldValue& IdNumber(const std::string& person) const;

  vault::Vault* vault_;
  VaultView view_;
  std::optional<ReviewQueueRecord> queue_;
  std::unordered_map<std::string, size_t> queued_;  // PairKey -> index in queue_->pairs
  IdentityClusters clusters_;
  mutable std::unordered_map<std::string, link::FieldValue> id_numbers_;
  std::string author_;
};

}  // namespace izde::identity
