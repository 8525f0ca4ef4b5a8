#include "server/web_app.h"

#include <sodium.h>

#include <algorithm>
#include <iostream>

#include "identity/review_json.h"
#include "model/schema.h"
#include "server/catalog.h"
#include "server/embedded_files.h"
#include "server/html_escape.h"
#include "server/intake_form.h"
#include "server/pages.h"
#include "server/review_pages.h"
#include "server/search_facets.h"
#include "server/security_headers.h"
#include "server/templates.h"

namespace izde::server {
namespace {

using json = nlohmann::json;

constexpr size_t kWorkerThreads = 32;
// Forms are small; an evidence upload (the testimony form only) may be larger.
constexpr size_t kMaxFormBody = 1 << 20;
constexpr size_t kMaxUpload = 64u << 20;

// A form value, from a urlencoded body or the query, or a multipart body.
std::string FormValue(const httplib::Request& req, const std::string& key) {
  if (req.has_param(key)) return req.get_param_value(key);
  if (req.has_file(key)) return req.get_file_value(key).content;
  return "";
}

// The last path component of an uploaded file's name, without control or
// bidi characters: it is kept (sealed) as a label and never used as a path.
std::string SafeUploadName(const std::string& name) {
  std::string base =
      name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  std::string out;
  for (size_t i = 0; i < base.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(base[i]);
    if (ch < 0x20 || ch == 0x7f) continue;
    // U+202A..U+202E and U+2066..U+2069 are E2 80 AA..AE and E2 81 A6..A9.
    if (ch == 0xE2 && i + 2 < base.size()) {
      unsigned char b1 = base[i + 1], b2 = base[i + 2];
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        i += 2;
        continue;
      }
    }
    out += base[i];
  }
  if (out == "." || out == "..") out.clear();
  return out.substr(0, 200);
}

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Log lines carry ids, account names and addresses; never record content.
void Log(const std::string& line) { std::cerr << "izde serve: " << line << "\n"; }

// Where to go after unlocking: a path on this server only (no "//host").
std::string SafeNext(const std::string& next) {
  if (next.size() < 1 || next[0] != '/' || (next.size() > 1 && next[1] == '/')) return "/";
  for (char ch : next)
    if (ch == '\\' || static_cast<unsigned char>(ch) < 0x20) return "/";
  return next;
}

// The request's path and query without `lang` and `csrf`, for the language links.
std::string QueryWithout(const httplib::Request& req) {
  std::string q;
  for (const auto& [k, v] : req.params) {
    if (k == "lang" || k == "csrf" || k == "passphrase") continue;
    q += EscapeUrlComponent(k) + "=" + EscapeUrlComponent(v) + "&";
  }
  return q;
}

// Sets `status`'s outcome for pages: NotFound and PermissionDenied look the
// same, so that a user without the witness key learns nothing from the id.
int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kNotFound:
    case Status::Code::kPermissionDenied:
      return 404;
    case Status::Code::kLocked:
      return 403;
    case Status::Code::kInvalidInput:
      return 400;
    default:
      return 500;
  }
}

}  // namespace

struct WebApp::Call {
  const httplib::Request& req;
  httplib::Response& res;
  Session session;
  std::string lang = "en";
  std::optional<Account> account;                  // the signed-in account, if any
  const httplib::ContentReader* reader = nullptr;  // a streamed body, not read yet
  // A streamed form's fields once read (files excepted).
  bool streamed = false;
  std::map<std::string, std::string> form;

  std::string Form(const std::string& key) const {
    if (!streamed) return FormValue(req, key);
    auto it = form.find(key);
    return it == form.end() ? "" : it->second;
  }
};

WebApp::WebApp(WebAppOptions options)
    : options_(std::move(options)),
      unlock_by_client_(options_.unlock_burst, options_.unlock_refill),
      unlock_by_user_(options_.unlock_burst, options_.unlock_refill),
      login_by_client_(options_.unlock_burst, options_.unlock_refill),
      login_by_user_(options_.unlock_burst, options_.unlock_refill),
      vaults_(options_.vault_dir, options_.vault_options),
      last_activity_(SteadyMillis()) {}

WebApp::~WebApp() {
  Stop();
  vaults_.StopFollowing();
  LockNow();
}

Result<int> WebApp::Bind(const ListenOptions& options) {
  IZDE_RETURN_IF_ERROR(CheckListenOptions(options));
  tls_ = options.tls();
  if (tls_) {
    server_ =
        std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!server_->is_valid())
      return Status::InvalidInput("cannot use the TLS certificate " + options.tls_cert +
                                  " with the key " + options.tls_key);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  // Bodies: 1 MiB, except the testimony form's evidence upload (64 MiB). The
  // length is checked before the body is read.
  server_->set_payload_max_length(kMaxUpload + kMaxFormBody);
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    size_t limit = req.path == "/new/testimony" ? kMaxUpload + kMaxFormBody : kMaxFormBody;
    if (req.has_header("Content-Length") &&
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > limit) {
      res.status = 413;
      res.set_content("Request too large\n", "text/plain; charset=utf-8");
      ApplySecurityHeaders(res, tls_);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // A browser keeps its connection open, and httplib gives each open
  // connection a thread: enough threads that 16 concurrent users do not wait
  // for each other's idle connections (vault work is serialised anyway).
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_keep_alive_max_count(1000);
  server_->set_keep_alive_timeout(5);
  // httplib writes headers and body in separate sends; with Nagle's algorithm
  // the body then waits for the client's delayed ACK (40 ms on Linux).
  server_->set_tcp_nodelay(true);
  server_->set_read_timeout(10, 0);
  server_->set_write_timeout(10, 0);
  AddRoutes();
  int port = options.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options.host);
    if (port < 0) return Status::Io("cannot listen on " + options.host);
  } else if (!server_->bind_to_port(options.host, port)) {
    return Status::Io("cannot listen on " + options.host + ":" + std::to_string(port) +
                      " (in use, or not an address of this machine)");
  }
  return port;
}

Status WebApp::Run() {
  if (!server_) return Status::InvalidInput("Bind() first");
  {
    std::lock_guard lock(idle_mu_);
    if (stop_requested_) return Status::Ok();  // stopped before it started
    stopping_ = false;
    running_ = true;
  }
  idle_thread_ = std::thread([this] { IdleLockLoop(); });
  // What other servers on the same database (or other processes on the same vault)
  // save: searchable here within the catch-up period, and the cached counts redone.
  const int catch_up_ms = options_.vault_options.catch_up_ms;
  vaults_.FollowOthers(std::chrono::milliseconds(catch_up_ms >= 0 ? catch_up_ms : 3600000), [this] {
    std::lock_guard lock(summary_mu_);
    summary_.valid = false;
  });
  bool ok = server_->listen_after_bind();
  {
    std::lock_guard lock(idle_mu_);
    stopping_ = true;
    running_ = false;
  }
  idle_cv_.notify_all();
  if (idle_thread_.joinable()) idle_thread_.join();
  LockNow();
  return ok ? Status::Ok() : Status::Io("the server stopped on an error");
}

void WebApp::Stop() {
  bool running;
  {
    std::lock_guard lock(idle_mu_);
    stop_requested_ = true;
    stopping_ = true;
    running = running_;
  }
  idle_cv_.notify_all();
  if (!server_) return;
  // httplib's stop() does nothing until the server is listening, so a Stop()
  // that comes between Run()'s start and the listening would be lost: wait
  // for the listening (or for Run() to end on an error) first.
  while (running && !server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard lock(idle_mu_);
    running = running_;
  }
  server_->stop();
}

void WebApp::LockNow() {
  bool was_open = vaults_.AnyOpen();
  vaults_.LockAll();
  {
    std::unique_lock lock(accounts_mu_);
    accounts_.Wipe();
  }
  sessions_.UnbindAll();
  {
    std::lock_guard lock(summary_mu_);
    summary_ = ReviewSummary{};
  }
  DropReview();
  if (was_open) Log("locked: every key wiped");
}

void WebApp::IdleLockLoop() {
  std::unique_lock lock(idle_mu_);
  while (!stopping_) {
    // Check often enough that a short idle limit is kept to within a quarter.
    auto period = std::clamp<std::chrono::milliseconds>(
        options_.idle_lock / 4, std::chrono::milliseconds(100), std::chrono::seconds(5));
    idle_cv_.wait_for(lock, period);
    if (stopping_ || options_.idle_lock.count() == 0) continue;
    auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(options_.idle_lock);
    if (SteadyMillis() - last_activity_.load() >= limit.count() && vaults_.AnyOpen()) {
      Log("idle for " + std::to_string(options_.idle_lock.count()) + "s: locking");
      LockNow();
    }
  }
}

void WebApp::AddRoutes() {
  auto route = [this](Access a, Permission p, Handler h) {
    return [this, a, p, h](const httplib::Request& req, httplib::Response& res) {
      Route(a, p, h, req, res);
    };
  };
  using P = Permission;
  const Access open = Access::kOpen, sign_in = Access::kSignIn, acct = Access::kAccount;
  server_->Get("/static/style.css", route(Access::kStatic, P::kSignedIn, &WebApp::GetStyle));
  server_->Get("/unlock", route(open, P::kSignedIn, &WebApp::GetUnlock));
  server_->Post("/unlock", route(open, P::kSignedIn, &WebApp::PostUnlock));
  server_->Get("/login", route(sign_in, P::kSignedIn, &WebApp::GetLogin));
  server_->Post("/login", route(sign_in, P::kSignedIn, &WebApp::PostLogin));
  server_->Post("/logout", route(acct, P::kSignedIn, &WebApp::PostLogout));
  server_->Post("/lock", route(acct, P::kSignedIn, &WebApp::PostLock));
  server_->Get("/", route(acct, P::kRead, &WebApp::GetDashboard));
  server_->Get("/search", route(acct, P::kRead, &WebApp::GetSearch));
  server_->Get(R"(/person/([A-Za-z0-9._-]{1,64}))", route(acct, P::kRead, &WebApp::GetPerson));
  server_->Get(R"(/record/([A-Za-z0-9._-]{1,64}))", route(acct, P::kRead, &WebApp::GetRecord));
  server_->Get("/new/person", route(acct, P::kRecord, &WebApp::GetNewPerson));
  server_->Post("/new/person", route(acct, P::kRecord, &WebApp::PostNewPerson));
  server_->Get("/new/event", route(acct, P::kRecord, &WebApp::GetNewEvent));
  server_->Post("/new/event", route(acct, P::kRecord, &WebApp::PostNewEvent));
  server_->Get("/static/intake.js", route(Access::kStatic, P::kSignedIn, &WebApp::GetScript));
  server_->Get("/suggest/people", route(acct, P::kRecord, &WebApp::GetSuggestPeople));
  server_->Get("/review", route(acct, P::kReview, &WebApp::GetReview));
  server_->Post("/review", route(acct, P::kReview, &WebApp::PostReview));
  server_->Get("/inquiries", route(acct, P::kInquiries, &WebApp::GetInquiries));
  server_->Post("/inquiries", route(acct, P::kInquiries, &WebApp::PostInquiries));
  server_->Get("/users", route(acct, P::kUsers, &WebApp::GetUsers));
  server_->Post("/users", route(acct, P::kUsers, &WebApp::PostUsers));
  server_->Get("/audit", route(acct, P::kAudit, &WebApp::GetAudit));
  server_->Get("/new/testimony", route(acct, P::kRecord, &WebApp::GetNewTestimony));
  // The testimony form's evidence file is streamed into the sealed blob store as it
  // arrives: the handler reads the body itself.
  server_->Post("/new/testimony", [this](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& reader) {
    Route(Access::kAccount, Permission::kRecord, &WebApp::PostNewTestimony, req, res, &reader);
  });
  const Access api = Access::kApi;
  server_->Get("/api/v1/dashboard", route(api, P::kRead, &WebApp::ApiDashboard));
  server_->Get("/api/v1/search", route(api, P::kRead, &WebApp::ApiSearch));
  server_->Get(R"(/api/v1/records/([A-Za-z0-9._-]{1,64}))",
               route(api, P::kRead, &WebApp::ApiRecord));
  server_->Get(R"(/api/v1/people/([A-Za-z0-9._-]{1,64}))",
               route(api, P::kRead, &WebApp::ApiPerson));
  server_->Post("/api/v1/records", route(api, P::kRecord, &WebApp::ApiSave));
  server_->Get("/api/v1/export", route(api, P::kExport, &WebApp::ApiExport));
  server_->Get("/api/v1/review", route(api, P::kReview, &WebApp::ApiReview));
  server_->Post("/api/v1/review", route(api, P::kReview, &WebApp::ApiReviewDecide));
  server_->Get("/api/v1/inquiries", route(api, P::kInquiries, &WebApp::ApiInquiries));
  server_->Post("/api/v1/inquiries", route(api, P::kInquiries, &WebApp::ApiInquirySeen));
  // Errors httplib answers itself (unknown route, oversized body) get the
  // same headers; responses our handlers wrote already have them.
  httplib::Server::HandlerWithResponse on_error = [this](const httplib::Request&,
                                                         httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    res.set_content(res.status == 404 ? "Not found\n" : "Bad request\n",
                    "text/plain; charset=utf-8");
    ApplySecurityHeaders(res, tls_);
    return httplib::Server::HandlerResponse::Handled;
  };
  server_->set_error_handler(on_error);
}

void WebApp::Route(Access access, Permission permission, Handler handler,
                   const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader* reader) {
  Call c{req, res, {}, "en", std::nullopt, reader, false, {}};

  try {
    bool handled = false;
    if (access == Access::kApi) {
      handled = !RouteApi(c, permission);
    } else if (access != Access::kStatic) {
      const std::string cookies = req.get_header_value("Cookie");
      std::string sid = CookieValue(cookies, kSessionCookie);
      auto s = sid.empty() ? std::nullopt : sessions_.Find(sid);
      if (!s) {
        s = sessions_.Create();
        res.set_header("Set-Cookie", SessionCookie(s->id, tls_));
      }
      c.session = *s;
      const bool unlocked = vaults_.AnyOpen();
      if (unlocked && !c.session.user.empty()) {
        std::shared_lock lock(accounts_mu_);
        const Account* a = accounts_.Find(c.session.user);
        if (a && !a->disabled) c.account = *a;
      }
      std::string chosen = req.get_param_value("lang");
      if (IsLanguage(chosen)) {
        res.set_header("Set-Cookie", std::string(kLanguageCookie) + "=" + chosen +
                                         "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict" +
                                         (tls_ ? "; Secure" : ""));
        // The choice follows the account to other browsers.
        if (c.account && c.account->lang != chosen && req.method == "GET") {
          Status saved = vaults_.With([&](vault::Vault& v, RecordLinks&) {
            std::unique_lock lock(accounts_mu_);
            IZDE_RETURN_IF_ERROR(accounts_.SetLanguage(c.account->id, chosen));
            return accounts_.Save(v);
          });
          if (saved.ok()) c.account->lang = chosen;
        }
      } else if (c.account && IsLanguage(c.account->lang)) {
        chosen = c.account->lang;
      } else {
        chosen = CookieValue(cookies, kLanguageCookie);
      }
      c.lang = PickLanguage(chosen, req.get_header_value("Accept-Language"));

      if (req.method == "POST") {
        // SameSite=Strict already keeps other sites' forms from carrying the
        // cookie; the token and the Origin check are the second and third locks.
        std::string origin = req.get_header_value("Origin");
        bool origin_ok = origin.empty() ||
                         origin == (tls_ ? "https://" : "http://") + req.get_header_value("Host");
        if (!origin_ok || (!reader && !TokensEqual(FormValue(req, "csrf"), c.session.csrf))) {
          Log("rejected " + req.method + " " + req.path + " from " + req.remote_addr +
              ": missing or wrong CSRF token or origin");
          RenderMessage(c, 403, "err_csrf");
          handled = true;
        }
      }
      if (!handled && access != Access::kOpen && !unlocked) {
        RenderUnlock(c, 403, "");
        handled = true;
      }
      if (!handled && access == Access::kAccount) {
        if (!c.account) {
          // Anonymous visitors get the sign-in page and nothing else.
          RenderLogin(c, 403, "");
          handled = true;
        } else if (!Allows(c.account->role, permission)) {
          Log("refused " + req.method + " " + req.path + " to account " + c.account->id +
              " (role " + std::string(RoleName(c.account->role)) + ")");
          RenderMessage(c, 403, "err_forbidden");
          handled = true;
        } else {
          last_activity_ = SteadyMillis();
        }
      }
    }
    if (!handled) (this->*handler)(c);
  } catch (const std::exception& e) {
    Log("internal error on " + req.method + " " + req.path + ": " + e.what());
    res.status = 500;
    res.set_content("Internal error\n", "text/plain; charset=utf-8");
  }
  ApplySecurityHeaders(res, tls_);
}

bool WebApp::RouteApi(Call& c, Permission permission) {
  if (!vaults_.AnyOpen()) {
    ApiError(c, 503, "locked");
    return false;
  }
  std::string auth = c.req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (auth.rfind(prefix, 0) == 0) {
    std::shared_lock lock(accounts_mu_);
    if (const Account* a = accounts_.FindByApiToken(auth.substr(prefix.size()))) c.account = *a;
  }
  if (!c.account) {
    c.res.set_header("WWW-Authenticate", "Bearer");
    Log("API: no valid token from " + c.req.remote_addr);
    ApiError(c, 401, "unauthorized");
    return false;
  }
  if (!Allows(c.account->role, permission)) {
    ApiError(c, 403, "forbidden");
    return false;
  }
  last_activity_ = SteadyMillis();
  return true;
}

void WebApp::ApiError(Call& c, int status, const std::string& error) {
  c.res.status = status;
  c.res.set_content(json{{"error", error}}.dump() + "\n", "application/json");
}

Viewer WebApp::MakeViewer(const Call& c) {
  Viewer viewer;
  if (!c.account) return viewer;
  viewer.account_id = c.account->id;
  viewer.read_all = Allows(c.account->role, Permission::kReadAll);
  viewer.witness = c.account->witness;
  if (!viewer.read_all) {
    std::shared_lock lock(accounts_mu_);
    viewer.shared = accounts_.RecordsSharedWith(c.account->id);
  }
  return viewer;
}

void WebApp::AuditLocked(vault::Vault& v, const std::string& account, const std::string& action,
                         const std::string& target, const std::string& from) {
  AuditEntry e{0, static_cast<int64_t>(std::time(nullptr)), account, action, target, from};
  if (Status s = audit_.Append(v, e); !s.ok())
    Log("audit trail: cannot append " + action + ": " + s.message());
}

void WebApp::Audit(const Call& c, const std::string& action, const std::string& target) {
  std::string who = c.account ? c.account->id : "-";
  (void)vaults_.With([&](vault::Vault& v, RecordLinks&) {
    AuditLocked(v, who, action, target, c.req.remote_addr);
    return Status::Ok();
  });
}

void WebApp::Render(Call& c, const std::string& page, json model, int status) {
  bool unlocked = c.account.has_value() && vaults_.AnyOpen();
  model["lang"] = c.lang;
  model["csrf"] = c.session.csrf;
  model["user"] = c.account ? c.account->name : "";
  model["role"] =
      c.account ? Translate(c.lang, "role_" + std::string(RoleName(c.account->role))) : "";
  model["unlocked"] = unlocked;
  auto may = [&](Permission p) { return c.account && Allows(c.account->role, p); };
  model["can_record"] = may(Permission::kRecord);
  model["can_users"] = may(Permission::kUsers);
  model["can_audit"] = may(Permission::kAudit);
  model["can_review"] = may(Permission::kReview);
  model["can_inquiries"] = may(Permission::kInquiries);
  // A locked page keeps no query in its links either (see RenderUnlock).
  std::string query = unlocked ? QueryWithout(c.req) : "";
  json languages = json::array();
  for (const auto& l : Languages()) {
    std::string code(l.code);
    languages.push_back({{"code", code},
                         {"name", std::string(l.own_name)},
                         {"href", c.req.path + "?" + query + "lang=" + code},
                         {"current", code == c.lang}});
  }
  model["languages"] = languages;
  auto html = RenderPage(page, std::move(model));
  if (!html.ok()) {
    Log("template " + page + ": " + html.status().message());
    c.res.status = 500;
    c.res.set_content("Internal error\n", "text/plain; charset=utf-8");
    return;
  }
  c.res.status = status;
  c.res.set_content(*html, "text/html; charset=utf-8");
}

void WebApp::RenderUnlock(Call& c, int status, const std::string& error_key) {
  // Back to the same page after unlocking, but without its query: a locked
  // page must not echo even the words someone searched for.
  std::string next = c.req.path == "/unlock" ? c.req.get_param_value("next") : c.req.path;
  Render(c, "unlock",
         {{"error", error_key.empty() ? "" : Translate(c.lang, error_key)},
          {"has_error", !error_key.empty()},
          {"next", SafeNext(next)},
          {"user_value", c.req.get_param_value("user")}},
         status);
}

void WebApp::RenderLogin(Call& c, int status, const std::string& error_key) {
  std::string next = c.req.path == "/login" ? c.req.get_param_value("next") : c.req.path;
  Render(c, "login",
         {{"error", error_key.empty() ? "" : Translate(c.lang, error_key)},
          {"has_error", !error_key.empty()},
          {"next", SafeNext(next)},
          {"name_value", c.req.path == "/login" ? c.req.get_param_value("name") : ""}},
         status);
}

void WebApp::RenderMessage(Call& c, int status, const std::string& message_key) {
  Render(c, "message", {{"message", Translate(c.lang, message_key)}}, status);
}

void WebApp::Redirect(Call& c, const std::string& location) {
  c.res.status = 303;
  c.res.set_header("Location", location);
}

// The stylesheet and the intake form's script, compiled in.
static void ServeEmbedded(httplib::Response& res, const char* name, const char* type) {
  auto file = EmbeddedFile(name);
  if (!file) {
    res.status = 404;
    return;
  }
  res.set_header("Cache-Control", "max-age=3600");
  res.set_content(std::string(*file), type);
}

void WebApp::GetStyle(Call& c) { ServeEmbedded(c.res, "style.css", "text/css; charset=utf-8"); }

void WebApp::GetScript(Call& c) {
  ServeEmbedded(c.res, "intake.js", "text/javascript; charset=utf-8");
}

// GET /suggest/people?name=: people already in the vault whose names match what is
// being typed, in any script, for the intake form's script (intake.js). JSON; the
// session's cookie, as for pages.
void WebApp::GetSuggestPeople(Call& c) {
  const std::string name = c.req.get_param_value("name");
  json people = json::array();
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(people, PeopleNamed(v, viewer, name, 8, false));
    return Status::Ok();
  });
  if (!s.ok()) return ApiError(c, HttpStatusOf(s), "internal");
  c.res.set_content(json{{"people", people}}.dump() + "\n", "application/json");
}

void WebApp::GetUnlock(Call& c) {
  if (vaults_.AnyOpen()) return Redirect(c, c.account ? "/" : "/login");
  RenderUnlock(c, 200, "");
}

void WebApp::PostUnlock(Call& c) {
  if (vaults_.AnyOpen()) return Redirect(c, c.account ? "/" : "/login");
  std::string user = c.req.get_param_value("user");
  std::string pass = c.req.get_param_value("passphrase");
  // httplib keeps its own copies in the request; wipe them too (the request
  // object is ours for the duration of the handler and dies right after).
  auto& req = const_cast<httplib::Request&>(c.req);
  sodium_memzero(req.body.data(), req.body.size());
  for (auto& [k, v] : req.params)
    if (k == "passphrase") sodium_memzero(v.data(), v.size());

  const std::string client_key = "addr " + c.req.remote_addr, user_key = "user " + user;
  if (!unlock_by_client_.Allow(client_key) || !unlock_by_user_.Allow(user_key)) {
    int wait =
        std::max(unlock_by_client_.RetryAfter(client_key), unlock_by_user_.RetryAfter(user_key));
    c.res.set_header("Retry-After", std::to_string(wait));
    Log("unlock refused (rate limit) for user " + EscapeUrlComponent(user) + " from " +
        c.req.remote_addr);
    sodium_memzero(pass.data(), pass.size());
    return RenderUnlock(c, 429, "err_rate_limited");
  }
  Status s = user.empty() || pass.empty() ? Status::InvalidInput("user and passphrase needed")
                                          : vaults_.Unlock(user, pass);
  sodium_memzero(pass.data(), pass.size());
  if (!s.ok()) {
    unlock_by_client_.RecordFailure(client_key);
    unlock_by_user_.RecordFailure(user_key);
    Log("unlock failed from " + c.req.remote_addr + ": " + s.message());
    return RenderUnlock(c, 403, "err_unlock_failed");
  }
  // The accounts and the audit trail are sealed in the vault: read them now.
  // Whoever unlocks with a vault passphrase is an admin: the account of the
  // same name, or a new admin account without a password (it signs in only
  // by unlocking) if there is none yet.
  AccountBook book;
  std::string account_id;
  s = vaults_.With([&](vault::Vault& v, RecordLinks&) {
    IZDE_ASSIGN_OR_RETURN(book, AccountBook::Load(v));
    IZDE_RETURN_IF_ERROR(audit_.Open(v));
    const Account* a = book.FindByName(user);
    if (!a || a->role != Role::kAdmin || a->disabled) {
      if (a) {
        IZDE_RETURN_IF_ERROR(book.SetRole(a->id, Role::kAdmin));
        IZDE_RETURN_IF_ERROR(book.SetDisabled(a->id, false));
      } else {
        IZDE_ASSIGN_OR_RETURN(auto added, book.Add(user, Role::kAdmin, "", v.has_witness_key(),
                                                   options_.password_cost));
        (void)added;
      }
      IZDE_RETURN_IF_ERROR(book.Save(v));
      a = book.FindByName(user);
    }
    account_id = a->id;
    AuditLocked(v, account_id, "unlock", "", c.req.remote_addr);
    return Status::Ok();
  });
  if (!s.ok()) {
    Log("unlock: cannot read the accounts: " + s.message());
    vaults_.LockAll();
    return RenderUnlock(c, 500, "err_internal");
  }
  {
    std::unique_lock lock(accounts_mu_);
    accounts_ = std::move(book);
  }
  // A new session id at the moment of privilege: an id planted before
  // unlocking (session fixation) is worth nothing after.
  c.session = sessions_.Rotate(c.session.id, account_id);
  c.res.set_header("Set-Cookie", SessionCookie(c.session.id, tls_));
  last_activity_ = SteadyMillis();
  Log("unlocked by account " + account_id + " from " + c.req.remote_addr);
  Redirect(c, SafeNext(c.req.get_param_value("next")));
}

void WebApp::PostLock(Call& c) {
  Log("lock requested by account " + c.account->id + " from " + c.req.remote_addr);
  Audit(c, "lock");
  LockNow();
  Redirect(c, "/unlock");
}

void WebApp::GetLogin(Call& c) {
  if (c.account) return Redirect(c, "/");
  RenderLogin(c, 200, "");
}

void WebApp::PostLogin(Call& c) {
  std::string name = c.req.get_param_value("name");
  std::string pass = c.req.get_param_value("password");
  std::string code = c.req.get_param_value("code");
  auto& req = const_cast<httplib::Request&>(c.req);
  sodium_memzero(req.body.data(), req.body.size());
  for (auto& [k, v] : req.params)
    if (k == "password") sodium_memzero(v.data(), v.size());

  const std::string client_key = "addr " + c.req.remote_addr, user_key = "name " + name;
  if (!login_by_client_.Allow(client_key) || !login_by_user_.Allow(user_key)) {
    int wait =
        std::max(login_by_client_.RetryAfter(client_key), login_by_user_.RetryAfter(user_key));
    c.res.set_header("Retry-After", std::to_string(wait));
    Log("sign-in refused (rate limit) from " + c.req.remote_addr);
    sodium_memzero(pass.data(), pass.size());
    return RenderLogin(c, 429, "err_rate_limited");
  }
  std::optional<Account> found;
  {
    std::shared_lock lock(accounts_mu_);
    if (const Account* a = accounts_.FindByName(name)) found = *a;
  }
  // Argon2id outside any lock; an unknown name costs the same work.
  bool ok = PasswordMatches(
      found && !found->password_hash.empty() ? found->password_hash : DummyPasswordHash(), pass);
  sodium_memzero(pass.data(), pass.size());
  ok = ok && found && !found->disabled && !found->password_hash.empty();
  if (ok && !found->totp_secret.empty()) {
    auto step = TotpStep(found->totp_secret, code, static_cast<int64_t>(std::time(nullptr)));
    std::unique_lock lock(accounts_mu_);
    ok = step && accounts_.AcceptTotpStep(found->id, *step);
  }
  if (!ok) {
    login_by_client_.RecordFailure(client_key);
    login_by_user_.RecordFailure(user_key);
    Log("sign-in failed from " + c.req.remote_addr);
    Audit(c, "sign_in_failed", found ? found->id : "");
    return RenderLogin(c, 403, "err_login_failed");
  }
  c.session = sessions_.Rotate(c.session.id, found->id);
  c.res.set_header("Set-Cookie", SessionCookie(c.session.id, tls_));
  c.account = found;
  last_activity_ = SteadyMillis();
  Log("signed in: account " + found->id + " from " + c.req.remote_addr);
  Audit(c, "sign_in");
  Redirect(c, SafeNext(c.req.get_param_value("next")));
}

void WebApp::PostLogout(Call& c) {
  Audit(c, "sign_out");
  sessions_.Erase(c.session.id);
  Redirect(c, "/login");
}

void WebApp::GetDashboard(Call& c) {
  json model;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(model, DashboardModel(v, links, viewer, c.lang));
    // Documenters see only some records: the counts are for those who read all.
    if (Allows(c.account->role, Permission::kReadAll) &&
        (Allows(c.account->role, Permission::kReview) ||
         Allows(c.account->role, Permission::kInquiries))) {
      IZDE_ASSIGN_OR_RETURN(auto summary, SummaryLocked(v, links));
      model["has_linkage"] = true;
      model["review_pending"] = std::to_string(summary.pending);
      model["open_notices"] = std::to_string(summary.open_notices);
    }
    return Status::Ok();
  });
  if (!s.ok()) return RenderMessage(c, HttpStatusOf(s), "err_internal");
  Render(c, "dashboard", std::move(model));
}

Result<std::vector<index::Hit>> WebApp::FindHits(Call& c, Viewer& viewer, const std::string& q,
                                                 const SearchFacets& facets) {
  if (q.empty()) return std::vector<index::Hit>();
  // The index is searched beside other requests (several searches at once); the vault's
  // lock is taken after only when the hits must be checked against it.
  IZDE_ASSIGN_OR_RETURN(auto found, vaults_.Search(q, SearchLimit(viewer, &facets)));
  if (!SearchNeedsVault(viewer, &facets, found))
    return KeepVisible(nullptr, std::move(found), viewer, nullptr, nullptr);
  std::vector<index::Hit> hits;
  IZDE_RETURN_IF_ERROR(vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(hits, KeepVisible(&v, std::move(found), viewer, &facets, &links));
    viewer.links = nullptr;
    for (const auto& h : hits)
      if (h.type == "witness")
        AuditLocked(v, c.account->id, "read_witness", h.id, c.req.remote_addr);
    return Status::Ok();
  }));
  return hits;
}

void WebApp::GetSearch(Call& c) {
  std::string q = c.req.get_param_value("q");
  json model;
  Viewer viewer = MakeViewer(c);
  auto facets = ParseFacets(c.req);
  if (!facets.ok()) {
    model = {{"q", q},
             {"searched", false},
             {"hits", json::array()},
             {"has_hits", false},
             {"count", "0"},
             {"facets", FacetsModel(SearchFacets{}, c.lang)},
             {"has_error", true},
             {"error", Translate(c.lang, "facet_error")},
             {"error_detail", facets.status().message()}};
    return Render(c, "search", std::move(model), 400);
  }
  auto hits = FindHits(c, viewer, q, *facets);
  if (hits.ok()) {
    model = SearchModel(*hits, q, c.lang);
  } else {
    // A query the index cannot parse is the user's input, not a fault.
    model = {
        {"q", q}, {"searched", true}, {"hits", json::array()}, {"has_hits", false}, {"count", "0"}};
  }
  model["facets"] = FacetsModel(*facets, c.lang);
  model["facets"]["clear_href"] = "/search?q=" + EscapeUrlComponent(q);
  model["facets_need_query"] = facets->any() && q.empty();
  Render(c, "search", std::move(model));
}

void WebApp::GetPerson(Call& c) {
  std::string id = c.req.matches[1];
  json model;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(model, PersonModel(v, links, viewer, id, c.lang));
    return Status::Ok();
  });
  if (!s.ok())
    return RenderMessage(c, HttpStatusOf(s),
                         HttpStatusOf(s) == 404 ? "err_not_found" : "err_internal");
  Render(c, "person", std::move(model));
}

void WebApp::GetRecord(Call& c) {
  std::string id = c.req.matches[1];
  json model;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(model, RecordModel(v, viewer, id, c.lang));
    // Every read of witness data is in the audit trail.
    if (model.value("is_witness", false))
      AuditLocked(v, c.account->id, "read_witness", id, c.req.remote_addr);
    return Status::Ok();
  });
  if (!s.ok())
    return RenderMessage(c, HttpStatusOf(s),
                         HttpStatusOf(s) == 404 ? "err_not_found" : "err_internal");
  Render(c, "record", std::move(model));
}

void WebApp::GetNewPerson(Call& c) {
  Render(c, "person_form", PersonFormModel(IntakeForm{}, c.lang));
}

void WebApp::PostNewPerson(Call& c) {
  IntakeForm form = ReadPersonForm(c.req.params);
  bool save_failed = false;
  if (form.ok()) {
    Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
      IZDE_ASSIGN_OR_RETURN(int64_t version, v.Save(form.record, c.account->id));
      (void)version;
      links.Add(form.record, static_cast<int64_t>(std::time(nullptr)), c.account->id);
      return Status::Ok();
    });
    if (s.ok()) {
      Log("saved person " + form.record.id);
      return Redirect(c, "/person/" + form.record.id);
    }
    std::string field = FieldOfError(s.message(), kPersonFormFields);
    if (!field.empty())
      form.errors[field] = "err_invalid";
    else
      save_failed = true;
  }
  json model = PersonFormModel(form, c.lang);
  model["save_failed"] = save_failed;
  Render(c, "person_form", std::move(model), 400);
}

void WebApp::GetNewEvent(Call& c) {
  IntakeForm form;
  form.values["person"] = c.req.get_param_value("person");
  Render(c, "event_form", EventFormModel(form, c.lang));
}

void WebApp::PostNewEvent(Call& c) {
  IntakeForm form;
  bool save_failed = false;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    form = ReadEventForm(c.req.params, [&](const std::string& id) {
      auto r = viewer.Open(v, id);
      return r.ok() && r->record.type == model::RecordType::kPerson;
    });
    if (!form.ok()) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(int64_t version, v.Save(form.record, c.account->id));
    (void)version;
    links.Add(form.record, static_cast<int64_t>(std::time(nullptr)), c.account->id);
    return Status::Ok();
  });
  if (s.ok() && form.ok()) {
    Log("saved event " + form.record.id);
    return Redirect(c, "/person/" + form.values["person"]);
  }
  if (!s.ok()) {
    std::string field = FieldOfError(s.message(), kEventFormFields);
    if (!field.empty())
      form.errors[field] = "err_invalid";
    else
      save_failed = true;
  }
  json model = EventFormModel(form, c.lang);
  model["save_failed"] = save_failed;
  Render(c, "event_form", std::move(model), 400);
}

json WebApp::AccountsModel(Call& c) {
  json accounts = json::array();
  std::shared_lock lock(accounts_mu_);
  for (const auto& a : accounts_.accounts()) {
    json roles = json::array();
    for (Role r : AllRoles())
      roles.push_back({{"value", std::string(RoleName(r))},
                       {"label", Translate(c.lang, "role_" + std::string(RoleName(r)))},
                       {"selected", r == a.role}});
    accounts.push_back({{"id", a.id},
                        {"name", a.name},
                        {"role", Translate(c.lang, "role_" + std::string(RoleName(a.role)))},
                        {"roles", roles},
                        {"witness", a.witness},
                        {"disabled", a.disabled},
                        {"totp", !a.totp_secret.empty()},
                        {"api_token", !a.api_token_hash.empty()},
                        {"is_self", c.account && a.id == c.account->id}});
  }
  json roles = json::array();
  for (Role r : AllRoles())
    roles.push_back({{"value", std::string(RoleName(r))},
                     {"label", Translate(c.lang, "role_" + std::string(RoleName(r)))},
                     {"selected", r == Role::kDocumenter}});
  return json{{"accounts", accounts}, {"roles", roles}};
}

void WebApp::GetUsers(Call& c) { Render(c, "users", AccountsModel(c)); }

// One form handler for every change to accounts: `op` says which.
void WebApp::PostUsers(Call& c) {
  const std::string op = c.req.get_param_value("op");
  const std::string id = c.req.get_param_value("account");
  std::string secret, error_key, target = id;
  std::string password = c.req.get_param_value("password");
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks&) {
    std::unique_lock lock(accounts_mu_);
    AccountBook& book = accounts_;
    // An admin cannot lock themself out (nor the last way in) by accident.
    if (id == c.account->id && (op == "role" || op == "disable"))
      return Status::InvalidInput("own account");
    if (op == "add") {
      auto role = ParseRole(c.req.get_param_value("role"));
      if (!role) return Status::InvalidInput("role");
      IZDE_ASSIGN_OR_RETURN(
          auto a, book.Add(c.req.get_param_value("name"), *role, password,
                           c.req.get_param_value("witness") == "1", options_.password_cost));
      target = a.id;
    } else if (op == "role") {
      auto role = ParseRole(c.req.get_param_value("role"));
      if (!role) return Status::InvalidInput("role");
      IZDE_RETURN_IF_ERROR(book.SetRole(id, *role));
      IZDE_RETURN_IF_ERROR(book.SetWitness(id, c.req.get_param_value("witness") == "1"));
    } else if (op == "disable" || op == "enable") {
      IZDE_RETURN_IF_ERROR(book.SetDisabled(id, op == "disable"));
    } else if (op == "password") {
      IZDE_RETURN_IF_ERROR(book.SetPassword(id, password, options_.password_cost));
    } else if (op == "totp_on") {
      IZDE_ASSIGN_OR_RETURN(secret, book.EnableTotp(id));
    } else if (op == "totp_off") {
      IZDE_RETURN_IF_ERROR(book.DisableTotp(id));
    } else if (op == "share") {
      std::string record = c.req.get_param_value("record");
      if (!book.Find(id) || model::ValidateRecordId(record).code() != Status::Code::kOk ||
          !v.Exists(record))
        return Status::InvalidInput("record");
      book.Share(record, id);
      target = record;
    } else if (op == "token") {
      IZDE_ASSIGN_OR_RETURN(secret, book.NewApiToken(id));
    } else {
      return Status::InvalidInput("op");
    }
    IZDE_RETURN_IF_ERROR(book.Save(v));
    AuditLocked(v, c.account->id, "account_" + op, target, c.req.remote_addr);
    return Status::Ok();
  });
  sodium_memzero(password.data(), password.size());
  json model = AccountsModel(c);
  if (!s.ok()) {
    Log("account change " + op + " refused for account " + c.account->id);
    model["has_error"] = true;
    model["error"] = Translate(
        c.lang, "users_err_" +
                    std::string(s.code() == Status::Code::kAlreadyExists ? "exists" : "invalid"));
    return Render(c, "users", std::move(model), 400);
  }
  if (!secret.empty()) {
    model["secret"] = secret;
    model["secret_is_totp"] = op == "totp_on";
    if (op == "totp_on") {
      std::shared_lock lock(accounts_mu_);
      const Account* a = accounts_.Find(id);
      model["otpauth"] =
          "otpauth://totp/izde:" + (a ? a->name : id) + "?secret=" + secret + "&issuer=izde";
    }
    return Render(c, "users", std::move(model));
  }
  Redirect(c, "/users");
}

void WebApp::GetAudit(Call& c) {
  std::vector<AuditEntry> entries;
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks&) {
    IZDE_ASSIGN_OR_RETURN(entries, audit_.Recent(v, 200));
    return Status::Ok();
  });
  if (!s.ok()) return RenderMessage(c, HttpStatusOf(s), "err_internal");
  json rows = json::array();
  std::shared_lock lock(accounts_mu_);
  for (const auto& e : entries) {
    const Account* a = accounts_.Find(e.account);
    std::time_t t = static_cast<std::time_t>(e.time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    rows.push_back({{"seq", std::to_string(e.seq)},
                    {"when", std::string(when)},
                    {"account", e.account},
                    {"name", a ? a->name : ""},
                    {"action", e.action},
                    {"target", e.target},
                    {"from", e.from}});
  }
  lock.unlock();
  Render(c, "audit", {{"entries", rows}, {"has_entries", !rows.empty()}});
}

// The JSON API: the same models as the pages, as JSON, for the same accounts.
namespace {

json RecordJson(const vault::OpenedVersion& o) {
  json doc = o.record.doc;
  // Evidence keys stay inside the server.
  doc.erase("blob_key");
  return json{{"id", o.record.id},
              {"type", std::string(model::TypeName(o.record.type))},
              {"version", o.version},
              {"created_at", o.created_at},
              {"doc", doc}};
}

}  // namespace

void WebApp::ApiDashboard(Call& c) {
  json model;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(model, DashboardModel(v, links, viewer, "en"));
    return Status::Ok();
  });
  if (!s.ok())
    return ApiError(c, HttpStatusOf(s), s.code() == Status::Code::kLocked ? "locked" : "internal");
  json counts = json::object();
  {
    // Counts by type name rather than the translated labels the page shows.
    (void)vaults_.With([&](vault::Vault&, RecordLinks& links) {
      for (const auto& [type, n] : links.Counts())
        if (type != "witness" || viewer.witness) counts[type] = n;
      return Status::Ok();
    });
  }
  json recent = json::array();
  for (const auto& r : model["recent"]) recent.push_back({{"id", r["id"]}, {"title", r["title"]}});
  c.res.set_content(json{{"counts", counts}, {"recent", recent}}.dump() + "\n", "application/json");
}

void WebApp::ApiSearch(Call& c) {
  std::string q = c.req.get_param_value("q");
  Viewer viewer = MakeViewer(c);
  auto facets = ParseFacets(c.req);
  if (!facets.ok()) return ApiError(c, 400, facets.status().message());
  auto found = FindHits(c, viewer, q, *facets);
  json hits = json::array(), model = found.ok() ? SearchModel(*found, q, "en") : json::object();
  if (found.ok())
    for (const auto& h : model["hits"]) {
      std::string snippet;
      for (const auto& part : h["snippet"]) snippet += part["text"].get<std::string>();
      hits.push_back({{"id", h["id"]}, {"title", h["title"]}, {"snippet", snippet}});
    }
  c.res.set_content(json{{"q", q}, {"hits", hits}}.dump() + "\n", "application/json");
}

void WebApp::ApiRecord(Call& c) {
  std::string id = c.req.matches[1];
  json out;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(auto opened, viewer.Open(v, id));
    if (opened.record.type == model::RecordType::kWitness)
      AuditLocked(v, c.account->id, "read_witness", id, c.req.remote_addr);
    out = RecordJson(opened);
    return Status::Ok();
  });
  if (!s.ok())
    return ApiError(c, HttpStatusOf(s), HttpStatusOf(s) == 404 ? "not_found" : "internal");
  c.res.set_content(out.dump() + "\n", "application/json");
}

void WebApp::ApiPerson(Call& c) {
  std::string id = c.req.matches[1];
  json out;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(auto person, viewer.Open(v, id));
    if (person.record.type != model::RecordType::kPerson) return Status::NotFound("not a person");
    out = RecordJson(person);
    json linked = json::array();
    for (const auto& lid : links.Linked(id)) {
      auto o = viewer.Open(v, lid);
      if (!o.ok()) continue;
      auto refers = PeopleReferredTo(o->record);
      if (std::find(refers.begin(), refers.end(), id) == refers.end()) continue;
      linked.push_back(RecordJson(*o));
    }
    out["linked"] = linked;
    return Status::Ok();
  });
  if (!s.ok())
    return ApiError(c, HttpStatusOf(s), HttpStatusOf(s) == 404 ? "not_found" : "internal");
  c.res.set_content(out.dump() + "\n", "application/json");
}

// POST {"type": "person", "id": optional, "doc": {...}}: a new record, or a
// new version of one this account may read. 201 {"id", "version"}.
void WebApp::ApiSave(Call& c) {
  json body = json::parse(c.req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("doc") || !body["doc"].is_object())
    return ApiError(c, 400, "a JSON object with \"type\" and \"doc\" is needed");
  auto type = model::ParseType(body.value("type", ""));
  if (!type) return ApiError(c, 400, "unknown type; one of " + model::TypeList());
  if (*type == model::RecordType::kWitness && !c.account->witness)
    return ApiError(c, 403, "forbidden");
  if (*type == model::RecordType::kEvidence)
    return ApiError(c, 400, "evidence is added with its file, not as JSON");
  model::Record r{body.value("id", ""), *type, body["doc"]};
  if (r.id.empty()) r.id = model::NewRecordId(*type);
  int64_t version = 0;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    // A new version only of a record this account may read.
    if (v.Exists(r.id)) IZDE_RETURN_IF_ERROR(viewer.Open(v, r.id).status());
    IZDE_ASSIGN_OR_RETURN(version, v.Save(r, c.account->id));
    links.Add(r, static_cast<int64_t>(std::time(nullptr)), c.account->id);
    return Status::Ok();
  });
  if (!s.ok()) {
    int status = HttpStatusOf(s);
    // The message may quote the value sent: it goes back to its sender only, never to the log.
    return ApiError(c, status,
                    status == 400   ? s.message()
                    : status == 404 ? "not_found"
                                    : "internal");
  }
  Log("API: account " + c.account->id + " saved " + r.id);
  c.res.status = 201;
  c.res.set_content(json{{"id", r.id}, {"version", version}}.dump() + "\n", "application/json");
}

// Every record this account may read, one JSON object a line. Audited.
void WebApp::ApiExport(Call& c) {
  std::string out;
  size_t n = 0;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    AuditLocked(v, c.account->id, "export", "", c.req.remote_addr);
    return v.ForEach([&](const vault::OpenedVersion& o) {
      if (!viewer.MayRead(o.record.id, std::string(model::TypeName(o.record.type))))
        return Status::Ok();
      out += RecordJson(o).dump() + "\n";
      ++n;
      return Status::Ok();
    });
  });
  if (!s.ok()) return ApiError(c, HttpStatusOf(s), "internal");
  Log("API: account " + c.account->id + " exported " + std::to_string(n) + " records");
  c.res.set_content(std::move(out), "application/x-ndjson");
}

void WebApp::RenderTestimonyForm(Call& c, int status, bool error, const json& candidates,
                                 bool file_dropped) {
  json v = json::object();
  for (const char* f :
       {"witness_name", "witness_contact", "witness_relation", "person_name", "person",
        "person2_name", "person2", "event_date", "event_place", "date", "summary"})
    v[f] = c.req.method == "POST" ? c.Form(f) : c.req.get_param_value(f);
  std::string chosen = c.req.method == "POST" ? c.Form("event_kind") : "";
  json kinds = json::array({{{"value", ""}, {"label", "—"}, {"selected", chosen.empty()}}});
  for (const auto& spec : model::FieldsOf(model::RecordType::kEvent))
    if (spec.name == "kind")
      for (const auto& k : spec.choices)
        kinds.push_back({{"value", std::string(k)},
                         {"label", Translate(c.lang, "kind_" + std::string(k))},
                         {"selected", chosen == k}});
  const std::string relation = c.req.method == "POST" ? c.Form("relation") : "";
  json relations = json::array({{{"value", ""}, {"label", "—"}, {"selected", relation.empty()}}});
  for (const auto& spec : model::FieldsOf(model::RecordType::kRelation))
    if (spec.name == "kind")
      for (const auto& k : spec.choices)
        relations.push_back({{"value", std::string(k)},
                             {"label", Translate(c.lang, "relation_" + std::string(k))},
                             {"selected", relation == k}});
  json consent = json::object();
  for (const char* k :
       {"consent_name", "consent_face_voice", "consent_testimony_text", "consent_id_number"})
    consent[k] = c.req.method == "POST" && c.Form(k) == "1";
  Render(c, "testimony_form",
         {{"v", v},
          {"consent", consent},
          {"relation_kinds", relations},
          {"candidates", candidates},
          {"has_candidates", !candidates.empty()},
          {"file_dropped", file_dropped},
          {"event_kinds", kinds},
          {"witness_allowed", c.account->witness},
          {"has_error", error},
          {"error", error ? Translate(c.lang, "err_testimony") : ""}},
         status);
}

void WebApp::GetNewTestimony(Call& c) { RenderTestimonyForm(c, 200, false); }

Status WebApp::SaveTogether(PendingSave& p) {
  std::unique_lock lock(batch_mu_);
  batch_queue_.push_back(&p);
  while (!p.done) {
    if (batch_leader_) {
      batch_cv_.wait(lock);
      continue;
    }
    // This request leads: it saves everything queued so far, its own included.
    batch_leader_ = true;
    std::vector<PendingSave*> batch;
    batch.swap(batch_queue_);
    lock.unlock();
    SaveBatch(batch);
    lock.lock();
    for (PendingSave* b : batch) b->done = true;
    batch_leader_ = false;
    batch_cv_.notify_all();
  }
  return p.result;
}

void WebApp::SaveBatch(const std::vector<PendingSave*>& batch) {
  Status locked = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    // One transaction per author (versions carry their author).
    std::map<std::string, std::vector<PendingSave*>> by_author;
    for (PendingSave* b : batch) by_author[b->author].push_back(b);
    for (auto& [author, group] : by_author) {
      std::vector<model::Record> all;
      for (PendingSave* b : group) all.insert(all.end(), b->records.begin(), b->records.end());
      Status joint = group.size() > 1 ? v.SaveAll(all, nullptr, author).status()
                                      : Status::InvalidInput("one request");
      for (PendingSave* b : group) {
        b->result = joint.ok() ? Status::Ok() : v.SaveAll(b->records, nullptr, author).status();
        if (b->result.ok())
          for (const auto& r : b->records) links.Add(r, now, author);
      }
    }
    return Status::Ok();
  });
  if (!locked.ok())
    for (PendingSave* b : batch) b->result = locked;
}

// One testimony: the witness (witness tier, only with the witness grant), the
// person spoken about (new, or an existing id), what happened to them, the
// testimony with its consent flags, and an evidence file sealed into the blob store
// as it arrives. The records are saved in one transaction.
void WebApp::PostNewTestimony(Call& c) {
  // The body, read here: the fields into memory (1 MiB in all), the evidence file
  // sealed into the blob store chunk by chunk as it arrives, up to 64 MiB. Browsers
  // send the parts in the form's order, so the CSRF token (the form's first field)
  // is checked before a byte of the file is kept.
  std::unique_ptr<vault::Vault::PendingEvidence> pending;
  std::string file_name, file_type;
  if (c.reader) {
    c.streamed = true;
    bool too_large = false, refused = false, in_file = false;
    size_t form_bytes = 0;
    std::string part;
    bool read_ok;
    if (c.req.is_multipart_form_data()) {
      read_ok = (*c.reader)(
          [&](const httplib::MultipartFormData& header) {
            part = header.name;
            in_file = header.name == "evidence" && !header.filename.empty();
            if (!in_file) {
              c.form[part];  // present, even if empty
              return true;
            }
            if (pending || !TokensEqual(c.Form("csrf"), c.session.csrf)) {
              refused = true;
              return false;
            }
            file_name = header.filename;
            file_type = header.content_type;
            Status s = vaults_.With([&](vault::Vault& v, RecordLinks&) {
              IZDE_ASSIGN_OR_RETURN(pending, v.BeginEvidence());
              return Status::Ok();
            });
            return s.ok();
          },
          [&](const char* data, size_t n) {
            if (in_file) {
              if (pending->size() + n > kMaxUpload) {
                too_large = true;
                return false;
              }
              return pending->Append(std::string_view(data, n)).ok();
            }
            form_bytes += n;
            if (form_bytes > kMaxFormBody) {
              too_large = true;
              return false;
            }
            c.form[part].append(data, n);
            return true;
          });
    } else {
      std::string body;
      read_ok = (*c.reader)([&](const char* data, size_t n) {
        if (body.size() + n > kMaxFormBody) {
          too_large = true;
          return false;
        }
        body.append(data, n);
        return true;
      });
      httplib::Params params;
      httplib::detail::parse_query_text(body, params);
      for (const auto& [k, v] : params) c.form[k] = v;
    }
    if (too_large) {
      pending.reset();  // removes what was sealed so far
      Log("testimony upload over the limit from account " + c.account->id);
      return RenderMessage(c, 413, "err_upload_too_large");
    }
    if (refused || !TokensEqual(c.Form("csrf"), c.session.csrf)) {
      pending.reset();
      Log("rejected POST /new/testimony from " + c.req.remote_addr +
          ": missing or wrong CSRF token");
      return RenderMessage(c, 403, "err_csrf");
    }
    if (!read_ok) {
      pending.reset();
      return RenderTestimonyForm(c, 400, true);
    }
  }
  auto val = [&](const char* k) { return c.Form(k); };
  const std::string witness_name = val("witness_name");
  std::string person_name = val("person_name"), person_id = val("person");
  if (!witness_name.empty() && !c.account->witness) return RenderMessage(c, 403, "err_forbidden");
  // The volunteer was shown people already in the vault who may be this person, and
  // chose one of them (or, with an empty choice, a new person).
  const bool checked = val("checked_duplicates") == "1";
  if (checked && !val("use_person").empty()) {
    person_id = val("use_person");
    person_name.clear();
  }
  if (person_name.empty() == person_id.empty()) return RenderTestimonyForm(c, 400, true);
  if (!person_name.empty() && !checked) {
    json candidates;
    Viewer viewer = MakeViewer(c);
    Status found = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
      viewer.links = &links;
      IZDE_ASSIGN_OR_RETURN(candidates, PeopleNamed(v, viewer, person_name, 8, true));
      return Status::Ok();
    });
    if (found.ok() && !candidates.empty())
      return RenderTestimonyForm(c, 200, false, candidates, pending && pending->size() > 0);
  }

  std::vector<model::Record> records;
  std::string witness_id;
  if (!witness_name.empty()) {
    witness_id = model::NewRecordId(model::RecordType::kWitness);
    json doc = {{"name", witness_name}};
    if (!val("witness_contact").empty()) doc["contact"] = val("witness_contact");
    // How the witness is related to the people spoken about (witness tier too).
    if (!val("witness_relation").empty()) doc["relation_to_people"] = val("witness_relation");
    records.push_back({witness_id, model::RecordType::kWitness, doc});
  }
  if (!person_name.empty()) {
    person_id = model::NewRecordId(model::RecordType::kPerson);
    records.push_back({person_id,
                       model::RecordType::kPerson,
                       {{"names", json::array({{{"text", person_name}, {"part", "full"}}})}}});
  }
  // A second person spoken about (new, or an existing id), and how the first is related
  // to them: a relation record, "the first is the <kind> of the second".
  std::string person2_name = val("person2_name"), person2_id = val("person2");
  if (!person2_name.empty() && !person2_id.empty()) return RenderTestimonyForm(c, 400, true);
  if (!person2_name.empty()) {
    person2_id = model::NewRecordId(model::RecordType::kPerson);
    records.push_back({person2_id,
                       model::RecordType::kPerson,
                       {{"names", json::array({{{"text", person2_name}, {"part", "full"}}})}}});
  }
  if (!val("relation").empty()) {
    if (person2_id.empty() || person2_id == person_id) return RenderTestimonyForm(c, 400, true);
    records.push_back({model::NewRecordId(model::RecordType::kRelation),
                       model::RecordType::kRelation,
                       {{"from", person_id}, {"to", person2_id}, {"kind", val("relation")}}});
  }
  // Existing people named by id: this account must be able to read them.
  std::vector<std::string> existing;
  if (person_name.empty()) existing.push_back(person_id);
  if (!person2_id.empty() && person2_name.empty()) existing.push_back(person2_id);
  auto check_existing = [&](vault::Vault& v, const Viewer& viewer) {
    for (const auto& id : existing) {
      auto p = viewer.Open(v, id);
      if (!p.ok() || p->record.type != model::RecordType::kPerson)
        return Status::InvalidInput("person: no such person");
    }
    return Status::Ok();
  };
  const std::string testimony_id = model::NewRecordId(model::RecordType::kTestimony);
  if (!val("event_kind").empty()) {
    json doc = {{"person", person_id},
                {"kind", val("event_kind")},
                {"sources", json::array({testimony_id})}};
    if (!val("event_date").empty()) doc["date"] = val("event_date");
    if (!val("event_place").empty()) doc["place"] = val("event_place");
    records.push_back(
        {model::NewRecordId(model::RecordType::kEvent), model::RecordType::kEvent, doc});
  }
  json people = json::array({person_id});
  if (!person2_id.empty() && person2_id != person_id) people.push_back(person2_id);
  json testimony = {{"people", people},
                    {"consent",
                     {{"name", val("consent_name") == "1"},
                      {"face_voice", val("consent_face_voice") == "1"},
                      {"testimony_text", val("consent_testimony_text") == "1"},
                      {"id_number", val("consent_id_number") == "1"}}}};
  if (!witness_id.empty()) testimony["witness"] = witness_id;
  if (!val("date").empty()) testimony["date"] = val("date");
  if (!val("summary").empty()) testimony["summary"] = val("summary");
  const bool has_file = pending && pending->size() > 0;
  std::string evidence_id;
  if (has_file) {
    evidence_id = model::NewRecordId(model::RecordType::kEvidence);
    testimony["evidence"] = json::array({evidence_id});
  }
  records.push_back({testimony_id, model::RecordType::kTestimony, testimony});

  Viewer viewer = MakeViewer(c);
  if (!has_file) {
    // No file: saved together with the testimonies other volunteers send meanwhile.
    Status s = Status::Ok();
    if (!existing.empty())
      s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
        viewer.links = &links;
        return check_existing(v, viewer);
      });
    PendingSave save{std::move(records), c.account->id, Status::Ok(), false};
    if (s.ok()) s = SaveTogether(save);
    if (!s.ok()) {
      Log("testimony not saved for account " + c.account->id);
      return RenderTestimonyForm(c, HttpStatusOf(s) == 500 ? 500 : 400, true);
    }
    Log("saved testimony " + testimony_id);
    return Redirect(c, "/person/" + person_id);
  }
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_RETURN_IF_ERROR(check_existing(v, viewer));
    // The records first (all or nothing), then the file; a failed upload
    // leaves a testimony whose evidence list names a file that is missing,
    // which `izde verify` reports, rather than a file nobody refers to.
    IZDE_RETURN_IF_ERROR(v.SaveAll(records, nullptr, c.account->id).status());
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    for (const auto& r : records) links.Add(r, now, c.account->id);
    if (has_file) {
      json fields = {
          {"testimony", testimony_id},
          {"media_type",
           file_type.empty() || file_type.size() > 100 ? "application/octet-stream" : file_type}};
      if (std::string name = SafeUploadName(file_name); !name.empty())
        fields["original_name"] = name;
      IZDE_ASSIGN_OR_RETURN(
          auto ev, v.FinishEvidence(std::move(pending), fields, evidence_id, c.account->id));
      links.Add(ev, now, c.account->id);
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    Log("testimony not saved for account " + c.account->id);
    return RenderTestimonyForm(c, HttpStatusOf(s) == 500 ? 500 : 400, true);
  }
  Log("saved testimony " + testimony_id + (has_file ? " with evidence " + evidence_id : ""));
  Redirect(c, "/person/" + person_id);
}

// The review queue and inquiries (src/identity): each page opens the review over
// the whole vault for the length of the request, under the vault's lock, and keeps
// nothing decrypted afterwards.
Result<identity::Review*> WebApp::ReviewLocked(vault::Vault& v, const std::string& author) {
  std::lock_guard lock(review_mu_);
  ReviewCache& cache = review_cache_;
  if (cache.opened != vaults_.opened()) cache = ReviewCache{};
  IZDE_ASSIGN_OR_RETURN(const int64_t last, v.store()->LastChange());
  // A run of izde link (another process) may have written a new queue without a record.
  IZDE_ASSIGN_OR_RETURN(const std::string stamp, identity::QueueStamp(v));
  if (cache.review && stamp != cache.queue_stamp) cache.review.reset();
  if (cache.review && last != cache.change) {
    // What changed since: only new records of kinds the review does not hold leave it
    // current. (Ids first, then their types: no query inside another's callback.)
    std::vector<std::pair<std::string, int64_t>> changed;
    bool stale = false;
    IZDE_RETURN_IF_ERROR(
        v.store()->ChangesSince(cache.change, [&](const std::string& id, int64_t version) {
          if (version != 1 || changed.size() >= 10000) stale = true;
          if (!stale) changed.emplace_back(id, version);
          return Status::Ok();
        }));
    for (size_t i = 0; i < changed.size() && !stale; ++i) {
      IZDE_ASSIGN_OR_RETURN(auto latest, v.store()->Latest(changed[i].first));
      const auto type = latest ? model::ParseType(latest->type) : std::nullopt;
      using model::RecordType;
      stale = !type || latest->version != 1 ||
              !(*type == RecordType::kPerson || *type == RecordType::kEvent ||
                *type == RecordType::kTestimony || *type == RecordType::kSource ||
                *type == RecordType::kEvidence || *type == RecordType::kFacility ||
                *type == RecordType::kWitness);
    }
    if (stale) cache.review.reset();
    cache.change = last;
  }
  if (!cache.review) {
    IZDE_ASSIGN_OR_RETURN(auto review, identity::Review::Open(v));
    cache.review = std::make_unique<identity::Review>(std::move(review));
    cache.opened = vaults_.opened();
    cache.change = last;
    cache.queue_stamp = stamp;
  }
  cache.review->set_author(author);
  return cache.review.get();
}

void WebApp::ReviewSaved(vault::Vault& v, int64_t before, size_t written) {
  std::lock_guard lock(review_mu_);
  auto last = v.store()->LastChange();
  if (review_cache_.change == before && last.ok() &&
      *last == before + static_cast<int64_t>(written))
    review_cache_.change = *last;
  else
    review_cache_ = ReviewCache{};  // someone else wrote too: read it all again
}

void WebApp::DropReview() {
  std::lock_guard lock(review_mu_);
  review_cache_ = ReviewCache{};
}

Result<WebApp::ReviewSummary> WebApp::SummaryLocked(vault::Vault& v, const RecordLinks& links) {
  // Changes with every run of izde link that changed the queue (kept in settings, so
  // not seen in the store's change number).
  std::string queue_stamp;
  if (auto q = identity::QueueStamp(v); q.ok()) queue_stamp = *q;
  const int64_t now = SteadyMillis();
  {
    std::lock_guard lock(summary_mu_);
    if (summary_.valid && summary_.generation == links.generation() &&
        summary_.queue_stamp == queue_stamp && now - summary_.at_ms < 60000)
      return summary_;
  }
  ReviewSummary fresh;
  fresh.valid = true;
  fresh.generation = links.generation();
  fresh.queue_stamp = queue_stamp;
  fresh.at_ms = now;
  auto notices = links.Counts().find("notice");
  if (!queue_stamp.empty() || (notices != links.Counts().end() && notices->second > 0)) {
    IZDE_ASSIGN_OR_RETURN(auto* review, ReviewLocked(v, std::string()));
    fresh.pending = review->PendingCount();
    for (const auto& n : identity::AllNotices(review->view()))
      if (n.status == "open") ++fresh.open_notices;
  }
  std::lock_guard lock(summary_mu_);
  summary_ = fresh;
  return fresh;
}

void WebApp::RenderReview(Call& c, int status, const std::string& error_key,
                          const std::string& detail) {
  size_t skip = 0;
  const std::string skip_text = c.req.get_param_value("skip");
  if (!skip_text.empty() && skip_text.size() < 6 &&
      skip_text.find_first_not_of("0123456789") == std::string::npos)
    skip = std::stoul(skip_text);
  const std::string pair = c.req.method == "GET" ? c.req.get_param_value("pair") : "";
  json model;
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks&) {
    IZDE_ASSIGN_OR_RETURN(auto* review, ReviewLocked(v, c.account->id));
    IZDE_ASSIGN_OR_RETURN(model, ReviewModel(*review, skip, pair, c.lang));
    return Status::Ok();
  });
  if (!s.ok())
    return RenderMessage(c, HttpStatusOf(s),
                         HttpStatusOf(s) == 404 ? "err_not_found" : "err_internal");
  const std::string done = c.req.method == "GET" ? c.req.get_param_value("done") : "";
  if (done == "accept" || done == "reject" || done == "undo" || done == "split") {
    model["has_done"] = true;
    model["done"] = Translate(c.lang, "review_done_" + done);
    model["done_pair"] = c.req.get_param_value("last");
  }
  model["has_error"] = !error_key.empty();
  model["error"] = error_key.empty() ? "" : Translate(c.lang, error_key);
  model["error_detail"] = detail;
  Render(c, "review", std::move(model), status);
}

void WebApp::GetReview(Call& c) { RenderReview(c, 200, "", ""); }

// op=accept|reject (pair=A+B), op=skip, op=undo (this account's latest decision),
// op=split (person=ID). Every decision is a `link` record (identity/decision.h) written
// under the account's id, and an entry in the audit trail.
void WebApp::PostReview(Call& c) {
  const std::string op = c.req.get_param_value("op"), pair = c.req.get_param_value("pair"),
                    person = c.req.get_param_value("person");
  std::string skip = c.req.get_param_value("skip");
  if (skip.empty() || skip.size() > 5 || skip.find_first_not_of("0123456789") != std::string::npos)
    skip = "0";
  if (op == "skip") return Redirect(c, "/review?skip=" + std::to_string(std::stoul(skip) + 1));
  if (op != "accept" && op != "reject" && op != "undo" && op != "split")
    return RenderReview(c, 400, "review_err_op", "");
  std::string target;
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    IZDE_ASSIGN_OR_RETURN(auto* cached, ReviewLocked(v, c.account->id));
    identity::Review& review = *cached;
    IZDE_ASSIGN_OR_RETURN(const int64_t before, v.store()->LastChange());
    std::vector<identity::PairDecision> written;
    ReviewFollower follow{this, v, before, written};
    if (op == "accept" || op == "reject") {
      IZDE_ASSIGN_OR_RETURN(auto key, identity::ParsePairKey(pair));
      IZDE_ASSIGN_OR_RETURN(auto d, review.Decide(key.first, key.second,
                                                  op == "accept" ? identity::Decision::kSame
                                                                 : identity::Decision::kDifferent,
                                                  c.req.get_param_value("notes")));
      written.push_back(d);
    } else if (op == "undo") {
      IZDE_ASSIGN_OR_RETURN(auto d, review.Undo());
      written.push_back(d);
    } else {
      if (model::ValidateRecordId(person).code() != Status::Code::kOk)
        return Status::InvalidInput("person: not a record id");
      IZDE_ASSIGN_OR_RETURN(written, review.Split(person, c.req.get_param_value("notes")));
    }
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    for (const auto& d : written) {
      links.Add(identity::DecisionRecord(d), now, c.account->id);
      AuditLocked(v, c.account->id, "review_" + op, d.pair(), c.req.remote_addr);
      target = d.pair();
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    Log("review " + op + " refused for account " + c.account->id);
    // The reason names record ids and fields, never a name: shown to the reviewer.
    return RenderReview(c, HttpStatusOf(s) == 500 ? 500 : 400, "review_err_refused", s.message());
  }
  Redirect(c, "/review?skip=" + skip + "&done=" + op + "&last=" + EscapeUrlComponent(target));
}

void WebApp::GetInquiries(Call& c) {
  const bool all = c.req.get_param_value("all") == "1";
  size_t page = 1;
  const std::string page_text = c.req.get_param_value("page");
  if (!page_text.empty() && page_text.size() < 7 &&
      page_text.find_first_not_of("0123456789") == std::string::npos)
    page = std::stoul(page_text);
  json model;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(auto* review, ReviewLocked(v, c.account->id));
    const identity::VaultView& view = review->view();
    model = InquiriesModel(view, identity::AllNotices(view), viewer, all, page, c.lang);
    return Status::Ok();
  });
  if (!s.ok()) return RenderMessage(c, HttpStatusOf(s), "err_internal");
  if (c.req.get_param_value("done") == "seen") model["has_done"] = true;
  Render(c, "inquiries", std::move(model));
}

// op=seen, notice=ID: the notice is handled (a new version, status "seen").
void WebApp::PostInquiries(Call& c) {
  const std::string notice = c.req.get_param_value("notice");
  if (c.req.get_param_value("op") != "seen" ||
      model::ValidateRecordId(notice).code() != Status::Code::kOk)
    return RenderMessage(c, 400, "err_invalid");
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(auto* review, ReviewLocked(v, c.account->id));
    const identity::VaultView& view = review->view();
    auto it = view.records.find(notice);
    if (it == view.records.end() || it->second.record.type != model::RecordType::kNotice)
      return Status::NotFound("no such notice");
    IZDE_ASSIGN_OR_RETURN(auto n, identity::NoticeFromVersion(it->second));
    if (!viewer.MayRead(n.sought, "person")) return Status::NotFound("no such notice");
    IZDE_ASSIGN_OR_RETURN(const int64_t before, v.store()->LastChange());
    const size_t writes = n.status == "seen" ? 0 : 1;
    // The kept review takes the new version itself: no reading of the whole vault again.
    IZDE_ASSIGN_OR_RETURN(n, review->MarkNoticeSeen(notice));
    ReviewSaved(v, before, writes);
    IZDE_ASSIGN_OR_RETURN(auto saved, v.Get(notice));
    links.Add(saved.record, static_cast<int64_t>(std::time(nullptr)), c.account->id);
    AuditLocked(v, c.account->id, "inquiry_seen", notice, c.req.remote_addr);
    return Status::Ok();
  });
  if (!s.ok())
    return RenderMessage(c, HttpStatusOf(s),
                         HttpStatusOf(s) == 404 ? "err_not_found" : "err_internal");
  Redirect(c, "/inquiries?done=seen");
}

// GET /api/v1/review[?limit=N][&pair=A+B]: the queue, most helpful first, or one pair.
void WebApp::ApiReview(Call& c) {
  size_t limit = 20;
  const std::string l = c.req.get_param_value("limit");
  if (!l.empty() && l.size() < 5 && l.find_first_not_of("0123456789") == std::string::npos)
    limit = std::max<size_t>(1, std::stoul(l));
  const std::string pair = c.req.get_param_value("pair");
  json out;
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks&) {
    IZDE_ASSIGN_OR_RETURN(auto* cached, ReviewLocked(v, c.account->id));
    const identity::Review& review = *cached;
    if (!pair.empty()) {
      IZDE_ASSIGN_OR_RETURN(auto key, identity::ParsePairKey(pair));
      IZDE_ASSIGN_OR_RETURN(auto view, review.Explain(key.first, key.second));
      out = {{"pair", identity::PairToJson(view)}};
      return Status::Ok();
    }
    json queue = json::array();
    for (const auto& p : review.Pending(limit)) queue.push_back(identity::PairToJson(p));
    out = {{"pending", review.PendingCount()}, {"queue", queue}};
    return Status::Ok();
  });
  if (!s.ok())
    return ApiError(c, HttpStatusOf(s),
                    HttpStatusOf(s) == 400   ? s.message()
                    : HttpStatusOf(s) == 404 ? "not_found"
                                             : "internal");
  c.res.set_content(out.dump() + "\n", "application/json");
}

// POST /api/v1/review {"op": "accept"|"reject"|"undo"|"split", "pair": "A+B",
// "person": ID, "notes": text}: 200 {"decisions": [...]}.
void WebApp::ApiReviewDecide(Call& c) {
  json body = json::parse(c.req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("op") || !body["op"].is_string())
    return ApiError(c, 400, "a JSON object with \"op\" is needed");
  const std::string op = body["op"];
  auto str = [&](const char* k) {
    return body.contains(k) && body[k].is_string() ? body[k].get<std::string>() : "";
  };
  if (op != "accept" && op != "reject" && op != "undo" && op != "split")
    return ApiError(c, 400, "op: one of accept, reject, undo, split");
  json decisions = json::array();
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    IZDE_ASSIGN_OR_RETURN(auto* cached, ReviewLocked(v, c.account->id));
    identity::Review& review = *cached;
    IZDE_ASSIGN_OR_RETURN(const int64_t before, v.store()->LastChange());
    std::vector<identity::PairDecision> written;
    ReviewFollower follow{this, v, before, written};
    if (op == "accept" || op == "reject") {
      IZDE_ASSIGN_OR_RETURN(auto key, identity::ParsePairKey(str("pair")));
      IZDE_ASSIGN_OR_RETURN(auto d, review.Decide(key.first, key.second,
                                                  op == "accept" ? identity::Decision::kSame
                                                                 : identity::Decision::kDifferent,
                                                  str("notes")));
      written.push_back(d);
    } else if (op == "undo") {
      IZDE_ASSIGN_OR_RETURN(auto d, review.Undo(str("pair")));
      written.push_back(d);
    } else {
      IZDE_ASSIGN_OR_RETURN(written, review.Split(str("person"), str("notes")));
    }
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    for (const auto& d : written) {
      links.Add(identity::DecisionRecord(d), now, c.account->id);
      AuditLocked(v, c.account->id, "review_" + op, d.pair(), c.req.remote_addr);
      decisions.push_back(identity::DecisionToJson(d));
    }
    return Status::Ok();
  });
  if (!s.ok())
    return ApiError(c, HttpStatusOf(s),
                    HttpStatusOf(s) == 400   ? s.message()
                    : HttpStatusOf(s) == 404 ? s.message()
                                             : "internal");
  c.res.set_content(json{{"decisions", decisions}}.dump() + "\n", "application/json");
}

// GET /api/v1/inquiries[?all=1]: the notices whose sought person this account may read.
void WebApp::ApiInquiries(Call& c) {
  const bool all = c.req.get_param_value("all") == "1";
  json notices = json::array();
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(auto* review, ReviewLocked(v, c.account->id));
    const identity::VaultView& view = review->view();
    for (const auto& n : identity::AllNotices(view)) {
      if ((!all && n.status != "open") || !viewer.MayRead(n.sought, "person")) continue;
      json j = identity::NoticeToJson(n);
      json news = json::array();
      for (const auto& r : n.new_records) {
        std::string type = view.people.count(r) ? "person" : "";
        if (auto it = view.records.find(r); it != view.records.end())
          type = std::string(model::TypeName(it->second.record.type));
        if (!type.empty() && viewer.MayRead(r, type)) news.push_back(r);
      }
      j["new_records"] = news;
      notices.push_back(j);
    }
    return Status::Ok();
  });
  if (!s.ok()) return ApiError(c, HttpStatusOf(s), "internal");
  c.res.set_content(json{{"notices", notices}}.dump() + "\n", "application/json");
}

// POST /api/v1/inquiries {"seen": NOTICE_ID}: 200 with the notice.
void WebApp::ApiInquirySeen(Call& c) {
  json body = json::parse(c.req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("seen") ||
      !body["seen"].is_string())
    return ApiError(c, 400, "a JSON object with \"seen\" (a notice id) is needed");
  const std::string notice = body["seen"];
  json out;
  Viewer viewer = MakeViewer(c);
  Status s = vaults_.With([&](vault::Vault& v, RecordLinks& links) {
    viewer.links = &links;
    IZDE_ASSIGN_OR_RETURN(auto* review, ReviewLocked(v, c.account->id));
    const identity::VaultView& view = review->view();
    auto it = view.records.find(notice);
    if (it == view.records.end() || it->second.record.type != model::RecordType::kNotice)
      return Status::NotFound("no such notice");
    IZDE_ASSIGN_OR_RETURN(auto n, identity::NoticeFromVersion(it->second));
    if (!viewer.MayRead(n.sought, "person")) return Status::NotFound("no such notice");
    IZDE_ASSIGN_OR_RETURN(const int64_t before, v.store()->LastChange());
    const size_t writes = n.status == "seen" ? 0 : 1;
    // The kept review takes the new version itself: no reading of the whole vault again.
    IZDE_ASSIGN_OR_RETURN(n, review->MarkNoticeSeen(notice));
    ReviewSaved(v, before, writes);
    IZDE_ASSIGN_OR_RETURN(auto saved, v.Get(notice));
    links.Add(saved.record, static_cast<int64_t>(std::time(nullptr)), c.account->id);
    AuditLocked(v, c.account->id, "inquiry_seen", notice, c.req.remote_addr);
    out = identity::NoticeToJson(n);
    return Status::Ok();
  });
  if (!s.ok())
    return ApiError(c, HttpStatusOf(s), HttpStatusOf(s) == 404 ? "not_found" : "internal");
  c.res.set_content(out.dump() + "\n", "application/json");
}

}  // namespace izde::server
