#include "server/web_app.h"

#include <sodium.h>

#include <algorithm>
#include <iostream>

#include "server/catalog.h"
#include "server/embedded_files.h"
#include "server/html_escape.h"
#include "server/intake_form.h"
#include "server/pages.h"
#include "server/security_headers.h"
#include "server/templates.h"

namespace izde::server {
namespace {

using json = nlohmann::json;

constexpr size_t kWorkerThreads = 32;

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
};

WebApp::WebApp(WebAppOptions options)
    : options_(std::move(options)),
      unlock_by_client_(options_.unlock_burst, options_.unlock_refill),
      unlock_by_user_(options_.unlock_burst, options_.unlock_refill),
      vaults_(options_.vault_dir, options_.vault_options),
      last_activity_(SteadyMillis()) {}

WebApp::~WebApp() {
  Stop();
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
  // Forms are small; evidence upload (streamed) is a later route.
  server_->set_payload_max_length(1 << 20);
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
    stopping_ = false;
  }
  idle_thread_ = std::thread([this] { IdleLockLoop(); });
  bool ok = server_->listen_after_bind();
  {
    std::lock_guard lock(idle_mu_);
    stopping_ = true;
  }
  idle_cv_.notify_all();
  if (idle_thread_.joinable()) idle_thread_.join();
  LockNow();
  return ok ? Status::Ok() : Status::Io("the server stopped on an error");
}

void WebApp::Stop() {
  if (server_) server_->stop();
  {
    std::lock_guard lock(idle_mu_);
    stopping_ = true;
  }
  idle_cv_.notify_all();
}

void WebApp::LockNow() {
  bool was_open = vaults_.AnyOpen();
  vaults_.LockAll();
  sessions_.UnbindAll();
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
  auto route = [this](Access a, Handler h) {
    return [this, a, h](const httplib::Request& req, httplib::Response& res) {
      Route(a, h, req, res);
    };
  };
  server_->Get("/static/style.css", route(Access::kStatic, &WebApp::GetStyle));
  server_->Get("/unlock", route(Access::kOpen, &WebApp::GetUnlock));
  server_->Post("/unlock", route(Access::kOpen, &WebApp::PostUnlock));
  server_->Post("/lock", route(Access::kOpen, &WebApp::PostLock));
  server_->Get("/", route(Access::kUnlocked, &WebApp::GetDashboard));
  server_->Get("/search", route(Access::kUnlocked, &WebApp::GetSearch));
  server_->Get(R"(/person/([A-Za-z0-9._-]{1,64}))", route(Access::kUnlocked, &WebApp::GetPerson));
  server_->Get(R"(/record/([A-Za-z0-9._-]{1,64}))", route(Access::kUnlocked, &WebApp::GetRecord));
  server_->Get("/new/person", route(Access::kUnlocked, &WebApp::GetNewPerson));
  server_->Post("/new/person", route(Access::kUnlocked, &WebApp::PostNewPerson));
  server_->Get("/new/event", route(Access::kUnlocked, &WebApp::GetNewEvent));
  server_->Post("/new/event", route(Access::kUnlocked, &WebApp::PostNewEvent));
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

void WebApp::Route(Access access, Handler handler, const httplib::Request& req,
                   httplib::Response& res) {
  Call c{req, res, {}, "en"};
  try {
    bool handled = false;
    if (access != Access::kStatic) {
      const std::string cookies = req.get_header_value("Cookie");
      std::string sid = CookieValue(cookies, kSessionCookie);
      auto s = sid.empty() ? std::nullopt : sessions_.Find(sid);
      if (!s) {
        s = sessions_.Create();
        res.set_header("Set-Cookie", SessionCookie(s->id, tls_));
      }
      c.session = *s;
      std::string chosen = req.get_param_value("lang");
      if (IsLanguage(chosen))
        res.set_header("Set-Cookie", std::string(kLanguageCookie) + "=" + chosen +
                                         "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict" +
                                         (tls_ ? "; Secure" : ""));
      else
        chosen = CookieValue(cookies, kLanguageCookie);
      c.lang = PickLanguage(chosen, req.get_header_value("Accept-Language"));

      if (req.method == "POST") {
        // SameSite=Strict already keeps other sites' forms from carrying the
        // cookie; the token and the Origin check are the second and third locks.
        std::string origin = req.get_header_value("Origin");
        bool origin_ok = origin.empty() ||
                         origin == (tls_ ? "https://" : "http://") + req.get_header_value("Host");
        if (!origin_ok || !TokensEqual(req.get_param_value("csrf"), c.session.csrf)) {
          Log("rejected " + req.method + " " + req.path + " from " + req.remote_addr +
              ": missing or wrong CSRF token or origin");
          RenderMessage(c, 403, "err_csrf");
          handled = true;
        }
      }
      if (!handled && access == Access::kUnlocked) {
        if (c.session.user.empty() || !vaults_.IsOpen(c.session.user)) {
          RenderUnlock(c, 403, "");
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

void WebApp::Render(Call& c, const std::string& page, json model, int status) {
  bool unlocked = !c.session.user.empty() && vaults_.IsOpen(c.session.user);
  model["lang"] = c.lang;
  model["csrf"] = c.session.csrf;
  model["user"] = c.session.user;
  model["unlocked"] = unlocked;
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

void WebApp::RenderMessage(Call& c, int status, const std::string& message_key) {
  Render(c, "message", {{"message", Translate(c.lang, message_key)}}, status);
}

void WebApp::Redirect(Call& c, const std::string& location) {
  c.res.status = 303;
  c.res.set_header("Location", location);
}

void WebApp::GetStyle(Call& c) {
  auto css = EmbeddedFile("style.css");
  if (!css) {
    c.res.status = 404;
    return;
  }
  c.res.set_header("Cache-Control", "max-age=3600");
  c.res.set_content(std::string(*css), "text/css; charset=utf-8");
}

void WebApp::GetUnlock(Call& c) {
  if (!c.session.user.empty() && vaults_.IsOpen(c.session.user)) return Redirect(c, "/");
  RenderUnlock(c, 200, "");
}

void WebApp::PostUnlock(Call& c) {
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
    Log("unlock failed for user " + EscapeUrlComponent(user) + " from " + c.req.remote_addr + ": " +
        s.message());
    return RenderUnlock(c, 403, "err_unlock_failed");
  }
  // A new session id at the moment of privilege: an id planted before
  // unlocking (session fixation) is worth nothing after.
  c.session = sessions_.Rotate(c.session.id, user);
  c.res.set_header("Set-Cookie", SessionCookie(c.session.id, tls_));
  last_activity_ = SteadyMillis();
  Log("unlocked by user " + user + " from " + c.req.remote_addr);
  Redirect(c, SafeNext(c.req.get_param_value("next")));
}

void WebApp::PostLock(Call& c) {
  Log("lock requested from " + c.req.remote_addr);
  LockNow();
  Redirect(c, "/unlock");
}

void WebApp::GetDashboard(Call& c) {
  json model;
  Status s = vaults_.With(c.session.user, [&](vault::Vault& v, RecordLinks& links) {
    IZDE_ASSIGN_OR_RETURN(model, DashboardModel(v, links, c.lang));
    return Status::Ok();
  });
  if (!s.ok()) return RenderMessage(c, HttpStatusOf(s), "err_internal");
  Render(c, "dashboard", std::move(model));
}

void WebApp::GetSearch(Call& c) {
  std::string q = c.req.get_param_value("q");
  json model;
  Status s = vaults_.With(c.session.user, [&](vault::Vault& v, RecordLinks&) {
    IZDE_ASSIGN_OR_RETURN(model, SearchModel(v, q, c.lang));
    return Status::Ok();
  });
  if (!s.ok()) {
    // A query the index cannot parse is the user's input, not a fault.
    model = {
        {"q", q}, {"searched", true}, {"hits", json::array()}, {"has_hits", false}, {"count", "0"}};
  }
  Render(c, "search", std::move(model));
}

void WebApp::GetPerson(Call& c) {
  std::string id = c.req.matches[1];
  json model;
  Status s = vaults_.With(c.session.user, [&](vault::Vault& v, RecordLinks& links) {
    IZDE_ASSIGN_OR_RETURN(model, PersonModel(v, links, id, c.lang));
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
  Status s = vaults_.With(c.session.user, [&](vault::Vault& v, RecordLinks&) {
    IZDE_ASSIGN_OR_RETURN(model, RecordModel(v, id, c.lang));
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
    Status s = vaults_.With(c.session.user, [&](vault::Vault& v, RecordLinks& links) {
      IZDE_ASSIGN_OR_RETURN(int64_t version, v.Save(form.record));
      (void)version;
      links.Add(form.record, static_cast<int64_t>(std::time(nullptr)));
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
  Status s = vaults_.With(c.session.user, [&](vault::Vault& v, RecordLinks& links) {
    form = ReadEventForm(c.req.params, [&](const std::string& id) {
      auto r = v.Get(id);
      return r.ok() && r->record.type == model::RecordType::kPerson;
    });
    if (!form.ok()) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(int64_t version, v.Save(form.record));
    (void)version;
    links.Add(form.record, static_cast<int64_t>(std::time(nullptr)));
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

}  // namespace izde::server
