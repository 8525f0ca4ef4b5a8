// The web application: routes, the locked/unlocked state, accounts and
// roles, sessions, CSRF, rate limiting of unlock and sign-in attempts, the
// audit trail and the idle auto-lock. Routes and their forms are listed in
// docs/api.md; which role may use which route is in roles.h.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <shared_mutex>
#include <string>
#include <thread>

#include "base/status.h"
#include "identity/review.h"
#include "server/account_book.h"
#include "server/audit_trail.h"
#include "server/listen_options.h"
#include "server/open_vaults.h"
#include "server/pages.h"
#include "server/rate_limiter.h"
#include "server/roles.h"
#include "server/session.h"

namespace izde::server {

struct WebAppOptions {
  std::string vault_dir;
  vault::VaultOptions vault_options;
  // Failed unlocks and sign-ins allowed per client address and per user
  // before one more every `unlock_refill`.
  int unlock_burst = 5;
  std::chrono::seconds unlock_refill{60};
  // Lock every vault after this long without an unlocked request (0: never).
  std::chrono::seconds idle_lock{std::chrono::minutes(30)};
  // Argon2id cost of account passwords set through the users page.
  vault::KdfCost password_cost = vault::KdfCost::kInteractive;
};

class WebApp {
 public:
  explicit WebApp(WebAppOptions options);
  ~WebApp();

  // Checks the options, creates the (TLS) server and binds; returns the port
  // (useful when options.port is 0).
  Result<int> Bind(const ListenOptions& options);
  // Serves until Stop(); locks every vault before returning.
  Status Run();
  void Stop();
  // Wipes every key, as the "Lock now" button does.
  void LockNow();

 private:
  struct Call;
  // kStatic: no session. kOpen: any session (unlock). kSignIn: the vault must
  // be unlocked. kAccount: an account with the route's permission. kApi: the
  // JSON API, an account's bearer token instead of a session (no cookies, so
  // no CSRF), with the route's permission.
  enum class Access { kStatic, kOpen, kSignIn, kAccount, kApi };
  using Handler = void (WebApp::*)(Call&);

  // `reader`: the body is not read yet (a streamed upload); the handler reads it, and
  // checks the CSRF token itself before it keeps any byte of a file.
  void Route(Access access, Permission permission, Handler handler, const httplib::Request& req,
             httplib::Response& res, const httplib::ContentReader* reader = nullptr);
  void AddRoutes();
  void IdleLockLoop();

  // Renders `page` with the common model (language links, CSRF token, user).
  void Render(Call& c, const std::string& page, nlohmann::json model, int status = 200);
  void RenderUnlock(Call& c, int status, const std::string& error_key);
  void RenderLogin(Call& c, int status, const std::string& error_key);
  void RenderMessage(Call& c, int status, const std::string& message_key);
  void Redirect(Call& c, const std::string& location);

  void GetStyle(Call& c);
  void GetUnlock(Call& c);
  void PostUnlock(Call& c);
  void PostLock(Call& c);
  void GetLogin(Call& c);
  void PostLogin(Call& c);
  void PostLogout(Call& c);
  void GetUsers(Call& c);
  void PostUsers(Call& c);
  void GetAudit(Call& c);
  void GetNewTestimony(Call& c);
  void PostNewTestimony(Call& c);
  // `candidates`: people already in the vault who may be the new person (PeopleNamed).
  void RenderTestimonyForm(Call& c, int status, bool error,
                           const nlohmann::json& candidates = nlohmann::json::array(),
                           bool file_dropped = false);
  void GetSuggestPeople(Call& c);
  void GetScript(Call& c);
  void ApiDashboard(Call& c);
  void ApiSearch(Call& c);
  void ApiRecord(Call& c);
  void ApiPerson(Call& c);
  void ApiSave(Call& c);
  void ApiExport(Call& c);
  void ApiError(Call& c, int status, const std::string& error);
  bool RouteApi(Call& c, Permission permission);
  void GetDashboard(Call& c);
  void GetSearch(Call& c);
  void GetPerson(Call& c);
  void GetRecord(Call& c);
  void GetNewPerson(Call& c);
  void PostNewPerson(Call& c);
  void GetNewEvent(Call& c);
  void PostNewEvent(Call& c);
  void GetReview(Call& c);
  void PostReview(Call& c);
  void RenderReview(Call& c, int status, const std::string& error_key, const std::string& detail);
  void GetInquiries(Call& c);
  void PostInquiries(Call& c);
  void ApiReview(Call& c);
  void ApiReviewDecide(Call& c);
  void ApiInquiries(Call& c);
  void ApiInquirySeen(Call& c);

  // The search's hits that the viewer may see (pages.h, SearchLimit and KeepVisible).
  Result<std::vector<index::Hit>> FindHits(Call& c, Viewer& viewer, const std::string& q,
                                           const SearchFacets& facets);
  // Who is looking, for the pages' record filter.
  Viewer MakeViewer(const Call& c);
  // Appends to the audit trail; failures are logged (ids only), never shown.
  void Audit(const Call& c, const std::string& action, const std::string& target = "");
  void AuditLocked(vault::Vault& v, const std::string& account, const std::string& action,
                   const std::string& target, const std::string& from);
  nlohmann::json AccountsModel(Call& c);
  // The review queue's size and the open inquiry notices, for the dashboard. Counting
  // reads the whole vault, so the counts are kept until the server saves anything, the
  // review queue gets a new version (izde link ran), or a minute passes.
  // Group commit for testimonies without a file: requests that arrive while one save
  // is in progress are saved together in the next transaction (one fsync, one log
  // checkpoint, one index flush for all). If a joint save fails, each request's
  // records are saved on their own, so one bad request never fails another.
  struct PendingSave {
    std::vector<model::Record> records;
    std::string author;
    Status result;
    bool done = false;
  };
  Status SaveTogether(PendingSave& p);
  void SaveBatch(const std::vector<PendingSave*>& batch);
  std::mutex batch_mu_;
  std::condition_variable batch_cv_;
  std::vector<PendingSave*> batch_queue_;
  bool batch_leader_ = false;

  struct ReviewSummary {
    bool valid = false;
    uint64_t generation = 0;
    std::string queue_stamp;  // identity::QueueStamp
    int64_t at_ms = 0;
    size_t pending = 0, open_notices = 0;
  };
  Result<ReviewSummary> SummaryLocked(vault::Vault& v, const RecordLinks& links);

  // The review (queue, decisions, identity clusters, inquiry notices) over the vault,
  // kept between requests: making it reads every record of the vault (a minute at
  // 100,000 people). Called under the vault's lock. It is made again when the vault
  // changed in a way that can alter it: any new version of a record it holds, and any
  // decision, queue, relation or notice; new people, events, testimonies, sources,
  // evidence and facilities (intake) cannot change a queued pair or a constraint and
  // leave it as it is. The server's own decisions are applied to it as they are saved
  // (ReviewSaved). Dropped at lock.
  Result<identity::Review*> ReviewLocked(vault::Vault& v, const std::string& author);
  // After `written` versions were saved through the cached review: it stays current if
  // they were all the store got meanwhile.
  void ReviewSaved(vault::Vault& v, int64_t before, size_t written);
  // However a decision made through the cached review ends, the review follows it (or
  // is read again): ReviewSaved when this goes out of scope.
  struct ReviewFollower {
    WebApp* app;
    vault::Vault& v;
    int64_t before;
    const std::vector<identity::PairDecision>& written;
    ~ReviewFollower() { app->ReviewSaved(v, before, written.size()); }
  };
  void DropReview();
  struct ReviewCache {
    std::unique_ptr<identity::Review> review;
    uint64_t opened = 0;      // OpenVaults::opened() when made
    int64_t change = -1;      // the store's last change number it follows
    std::string queue_stamp;  // identity::QueueStamp of the queue it holds
  };
  std::mutex review_mu_;  // taken under the vault's lock, or alone (DropReview)
  ReviewCache review_cache_;

  WebAppOptions options_;
  bool tls_ = false;
  std::unique_ptr<httplib::Server> server_;
  SessionStore sessions_;
  RateLimiter unlock_by_client_, unlock_by_user_;
  RateLimiter login_by_client_, login_by_user_;
  OpenVaults vaults_;
  // The accounts, loaded at unlock and wiped at lock. Reads take the shared
  // lock; the vault's lock, when both are needed, is taken first.
  std::shared_mutex accounts_mu_;
  AccountBook accounts_;
  AuditTrail audit_;  // guarded by the vault's lock (OpenVaults::With)
  std::mutex summary_mu_;
  ReviewSummary summary_;
  std::atomic<int64_t> last_activity_;  // steady_clock milliseconds
  std::mutex idle_mu_;
  std::condition_variable idle_cv_;
  bool stopping_ = false;        // guarded by idle_mu_: the idle loop ends
  bool stop_requested_ = false;  // guarded by idle_mu_: Stop() came, maybe before Run()
  bool running_ = false;         // guarded by idle_mu_: Run() is between start and end
  std::thread idle_thread_;
};

}  // namespace izde::server
