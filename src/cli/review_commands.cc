// `izde link`, `izde review` and `izde inquiries`: record linkage inside the vault
// (src/identity; docs/linkage.md, "In the vault").
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <set>
#include <thread>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/pair_text.h"
#include "cli/record_text.h"
#include "cli/terminal.h"
#include "identity/inquiries.h"
#include "identity/link_run.h"
#include "identity/person_fields.h"
#include "identity/review.h"

namespace izde::cli {
namespace {

using identity::Decision;

Status Link(const Context& ctx, const identity::LinkRunOptions& options) {
  // Linking searches nothing: the vault opens without its search index (the records it
  // saves are indexed by the next unlock that has one).
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock(/*search_index=*/false));
  ProgressBar bar("Scoring people");
  auto t = std::chrono::steady_clock::now();
  IZDE_ASSIGN_OR_RETURN(
      auto report, identity::LinkVault(*v, options, [&](size_t d, size_t n) { bar.Update(d, n); }));
  bar.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  const size_t pending = report.pending;
  if (ctx.json) {
    PrintJson({{"people", report.people},
               {"new_people", report.new_people},
               {"from_state", report.from_state},
               {"full_run_reason", report.full_run_reason},
               {"comparisons", report.comparisons},
               {"queued", report.queued},
               {"pending", pending},
               {"held_apart", report.held_apart},
               {"decisions_used", report.decisions_used},
               {"notices", report.notices},
               {"seconds", seconds},
               {"seconds_read", report.seconds_read},
               {"seconds_read_state", report.seconds_read_state},
               {"seconds_link", report.seconds_link},
               {"seconds_save", report.seconds_save},
               {"changes_only", report.changes_only},
               {"people_read", report.people_read},
               {"state_appended", report.state_appended},
               {"queue_rescored", report.queue_rescored},
               {"queue_reason", report.queue_reason},
               {"queue_appended", report.queue_appended}});
  } else if (!ctx.quiet) {
    if (report.from_state)
      std::cout << "Linked " << report.new_people << " new people against the "
                << report.people - report.new_people << " linked before";
    else
      std::cout << "Linked " << report.people << " people";
    std::cout << " (" << report.comparisons << " comparisons) in "
              << static_cast<int>(seconds * 10) / 10.0 << " s.\n"
              << "  " << pending << (pending == 1 ? " pair waits" : " pairs wait")
              << " for review (izde review)";
    if (report.held_apart)
      std::cout << "; " << report.held_apart
                << " pairs held apart (different ID numbers or relatives)";
    std::cout << ".\n";
    if (report.decisions_used)
      std::cout << "  " << report.decisions_used << " reviewer decisions re-estimated the model.\n";
    if (report.queue_rescored && report.from_state)
      std::cout << "  Every queued pair was scored again: " << report.queue_reason << ".\n";
    if (report.notices)
      std::cout << "  " << report.notices
                << (report.notices == 1 ? " inquiry notice has" : " inquiry notices have")
                << " something new (izde inquiries).\n";
  }
  return Status::Ok();
}

// One key from the terminal without waiting for Enter.
char ReadKey() {
  termios old{};
  if (tcgetattr(STDIN_FILENO, &old) != 0) {
    std::string line;
    if (!std::getline(std::cin, line)) return 'q';
    return line.empty() ? '\n' : line[0];
  }
  termios raw = old;
  raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  tcsetattr(STDIN_FILENO, TCSANOW, &raw);
  char c = 'q';
  if (::read(STDIN_FILENO, &c, 1) != 1) c = 'q';
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  return c;
}

size_t TerminalWidth() {
  winsize w{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 60) return w.ws_col;
  return 100;
}

Status Interactive(identity::Review& review) {
  std::set<std::string> skipped;
  const size_t width = TerminalWidth();
  while (true) {
    auto pending = review.Pending(skipped.size() + 1);
    const identity::PairView* item = nullptr;
    for (const auto& p : pending)
      if (!skipped.count(p.pair)) item = &p;
    if (!item) {
      std::cout << "\nNothing left to review" << (skipped.empty() ? "" : " except skipped pairs")
                << ". Run izde link again after adding records.\n";
      return Status::Ok();
    }
    std::cout << "\n" << review.PendingCount() << " pairs to review.\n" << PairToText(*item, width);
    std::cout << "[a]ccept same person  [r]eject  [s]kip  [u]ndo last  [q]uit > " << std::flush;
    const char key = ReadKey();
    std::cout << key << "\n";
    Result<identity::PairDecision> done = Status::Ok();
    switch (key) {
      case 'a':
        done = review.Decide(item->a, item->b, Decision::kSame);
        break;
      case 'r':
        done = review.Decide(item->a, item->b, Decision::kDifferent);
        break;
      case 's':
        skipped.insert(item->pair);
        continue;
      case 'u':
        done = review.Undo();
        break;
      case 'q':
      case 4:  // Ctrl-D: the terminal is in raw mode, so end of input arrives as a byte
        return Status::Ok();
      default:
        std::cout << "Keys: a, r, s, u or q.\n";
        continue;
    }
    if (done.ok())
      std::cout << DecisionToText(*done);
    else
      std::cout << "Not saved: " << done.status().message() << "\n";
  }
}

struct ReviewArgs {
  std::vector<std::string> accept, reject;
  std::string undo, split, show, cluster, note;
  bool undo_given = false, list = false;
  double accept_above = 0;
  size_t limit = 20;
};

Status ReviewCommand(const Context& ctx, const ReviewArgs& a) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto review, identity::Review::Open(*v));
  const bool acting = !a.accept.empty() || !a.reject.empty() || a.undo_given || !a.split.empty() ||
                      a.accept_above > 0;
  if (!acting && a.show.empty() && a.cluster.empty() && !a.list && !ctx.json &&
      ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {
    if (!review.queue())
      return Status::NotFound("there is no review queue yet: run izde link first");
    return Interactive(review);
  }
  nlohmann::json written = nlohmann::json::array();
  auto note = [&](const identity::PairDecision& d) {
    written.push_back(DecisionToJson(d));
    if (!ctx.json && !ctx.quiet) std::cout << DecisionToText(d);
  };
  for (const auto& [pairs, decision] : {std::make_pair(&a.accept, Decision::kSame),
                                        std::make_pair(&a.reject, Decision::kDifferent)})
    for (const auto& key : *pairs) {
      IZDE_ASSIGN_OR_RETURN(auto pair, identity::ParsePairKey(key));
      IZDE_ASSIGN_OR_RETURN(auto d, review.Decide(pair.first, pair.second, decision, a.note));
      note(d);
    }
  if (a.accept_above > 0) {
    IZDE_ASSIGN_OR_RETURN(auto ds, review.AcceptAbove(a.accept_above));
    for (const auto& d : ds) note(d);
    if (!ctx.json && !ctx.quiet) std::cout << "Accepted " << ds.size() << " pairs.\n";
  }
  if (a.undo_given) {
    IZDE_ASSIGN_OR_RETURN(auto d, review.Undo(a.undo));
    note(d);
  }
  if (!a.split.empty()) {
    IZDE_ASSIGN_OR_RETURN(auto ds, review.Split(a.split, a.note));
    for (const auto& d : ds) note(d);
  }
  nlohmann::json out = nlohmann::json::object();
  if (acting) out["decisions"] = written;
  if (!a.show.empty()) {
    IZDE_ASSIGN_OR_RETURN(auto pair, identity::ParsePairKey(a.show));
    IZDE_ASSIGN_OR_RETURN(auto view, review.Explain(pair.first, pair.second));
    if (ctx.json)
      out["pair"] = PairToJson(view);
    else
      std::cout << PairToText(view);
  }
  if (!a.cluster.empty()) {
    if (!review.view().people.count(a.cluster))
      return Status::NotFound("there is no person " + a.cluster + " in this vault");
    const auto members = review.clusters().MembersWith(a.cluster);
    if (ctx.json) {
      out["cluster"] = {{"id", review.clusters().ClusterOf(a.cluster)}, {"members", members}};
    } else {
      std::cout << "Cluster " << review.clusters().ClusterOf(a.cluster) << ": " << members.size()
                << (members.size() == 1 ? " record\n" : " records\n");
      for (const auto& m : members)
        std::cout << "  " << m << "  " << identity::AllNames(review.view().people.at(m).record.doc)
                  << "\n";
    }
  }
  if (a.list || (!acting && a.show.empty() && a.cluster.empty())) {
    const auto pending = review.Pending(a.limit);
    if (ctx.json) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& p : pending) items.push_back(PairToJson(p));
      out["pending"] = review.PendingCount();
      out["queue"] = items;
      out["queue_time"] = review.queue() ? FormatTime(review.queue()->at) : "";
    } else if (!review.queue()) {
      std::cout << "There is no review queue yet: run izde link first.\n";
    } else if (pending.empty()) {
      std::cout << "Nothing to review. Run izde link again after adding records.\n";
    } else {
      std::cout << review.PendingCount() << " pairs to review (queue from "
                << FormatTime(review.queue()->at) << "), most helpful first:\n";
      for (const auto& p : pending) {
        char prob[16];
        std::snprintf(prob, sizeof prob, "%.3f", p.probability.value_or(0));
        std::cout << "  " << p.pair << "  p=" << prob << "  " << p.names_a << "  ~  " << p.names_b
                  << "\n";
      }
      std::cout << "Decide with izde review --accept A+B or --reject A+B; see a pair side by "
                   "side with --show A+B.\n";
    }
  }
  if (ctx.json) PrintJson(out);
  return Status::Ok();
}

std::string Describe(const identity::VaultView& view, const std::string& id) {
  if (auto p = view.people.find(id); p != view.people.end())
    return "person " + id + ": " + identity::AllNames(p->second.record.doc);
  auto r = view.records.find(id);
  if (r == view.records.end()) return id;
  const auto& doc = r->second.record.doc;
  const std::string type(model::TypeName(r->second.record.type));
  std::string out = type + " " + id;
  for (const char* f : {"kind", "date", "place", "facility", "summary"})
    if (doc.contains(f) && doc[f].is_string()) out += ", " + doc[f].get<std::string>();
  if (r->second.record.type == model::RecordType::kRelation)
    out += ": " + doc.value("from", "") + " → " + doc.value("to", "");
  return out;
}

Status Inquiries(const Context& ctx, bool all, const std::string& seen) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto view, identity::VaultView::Read(*v));
  if (!seen.empty()) {
    IZDE_ASSIGN_OR_RETURN(auto n, identity::MarkSeen(*v, view, seen));
    if (ctx.json)
      PrintJson(NoticeToJson(n));
    else if (!ctx.quiet)
      std::cout << "Notice " << n.record_id << " marked as seen.\n";
    return Status::Ok();
  }
  auto notices = identity::AllNotices(view);
  if (ctx.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& n : notices)
      if (all || n.status == "open") arr.push_back(NoticeToJson(n));
    PrintJson({{"notices", arr}});
    return Status::Ok();
  }
  size_t shown = 0;
  for (const auto& n : notices) {
    if (!all && n.status != "open") continue;
    ++shown;
    char prob[16];
    std::snprintf(prob, sizeof prob, "%.2f", n.probability);
    std::cout << n.record_id << "  " << n.status << "  " << FormatTime(n.at) << "\n"
              << "  Inquiry " << Describe(view, n.sought) << "\n"
              << "  " << (n.accepted ? "is, as a reviewer accepted, " : "may be (probability ")
              << (n.accepted ? "" : std::string(prob) + ") ") << Describe(view, n.person) << "\n";
    if (n.new_records.empty()) std::cout << "  New: a reviewer confirmed the link.\n";
    for (const auto& r : n.new_records) std::cout << "  New: " << Describe(view, r) << "\n";
  }
  if (shown == 0)
    std::cout << "No " << (all ? "" : "open ")
              << "inquiry notices. izde link raises them when a sought person links to a record.\n";
  else
    std::cout << "Mark one handled with izde inquiries --seen NOTICE_ID.\n";
  return Status::Ok();
}

void AddReviewCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto lo = std::make_shared<identity::LinkRunOptions>();
  lo->threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto* link = app.add_subcommand(
      "link", "Score every pair of people in the vault and fill the review queue");
  link->add_option("--threads", lo->threads, "Threads to use");
  link->add_option("--queue-floor", lo->queue_floor,
                   "Queue pairs at or above this match probability");
  link->add_flag("--rebuild-queue", lo->rebuild_queue,
                 "Score every kept pair again and write the review queue whole (when izde "
                 "review says the queue is damaged)");
  link->callback(Guard(out, [&ctx, lo] { return Link(ctx, *lo); }));

  auto ra = std::make_shared<ReviewArgs>();
  auto* review = app.add_subcommand(
      "review",
      "Review suggested links: interactive on a terminal (keys a, r, s, u, q), or scripted");
  review->add_option("--accept", ra->accept, "Accept a pair A+B as one person (repeat)");
  review->add_option("--reject", ra->reject, "Reject a pair A+B: two different people (repeat)");
  review->add_option("--accept-above", ra->accept_above,
                     "Accept every pending pair at or above this probability");
  review
      ->add_option("--undo", ra->undo,
                   "Take back a decision: on pair A+B, or your latest when no pair is given")
      ->expected(0, 1);
  review->add_option("--split", ra->split, "Detach this person from their identity cluster");
  review->add_option("--note", ra->note, "A note saved with the decision (sealed)");
  review->add_option("--show", ra->show, "Show a pair A+B side by side");
  review->add_option("--cluster", ra->cluster, "Show the identity cluster of this person");
  review->add_flag("--list", ra->list, "List the queue, most helpful first");
  review->add_option("--limit", ra->limit, "List at most this many pairs");
  review->callback(Guard(out, [&ctx, ra, review] {
    ReviewArgs a = *ra;
    a.undo_given = review->count("--undo") > 0;
    return ReviewCommand(ctx, a);
  }));

  auto all = std::make_shared<bool>(false);
  auto seen = std::make_shared<std::string>();
  auto* inq = app.add_subcommand(
      "inquiries", "Notices: sought people (relatives' inquiries) who link to new records");
  inq->add_flag("--all", *all, "Also notices already marked as seen");
  inq->add_option("--seen", *seen, "Mark this notice as seen");
  inq->callback(Guard(out, [&ctx, all, seen] { return Inquiries(ctx, *all, *seen); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(36, AddReviewCommands);

}  // namespace izde::cli
