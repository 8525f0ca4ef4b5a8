// Browser sessions. A session is a random 256-bit id in an HttpOnly,
// SameSite=Strict cookie (Secure on TLS). Every session, even before
// unlocking, has its own CSRF token that every POST must echo. Unlocking
// issues a new session id (no fixation) bound to the user whose passphrase
// opened the vault; locking unbinds every session at once.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace izde::server {

inline constexpr const char* kSessionCookie = "izde_session";
inline constexpr const char* kLanguageCookie = "izde_lang";

struct Session {
  std::string id;
  std::string csrf;
  std::string user;  // empty until this browser unlocks the vault
  std::chrono::steady_clock::time_point last_seen;
};

class SessionStore {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SessionStore(std::chrono::seconds idle_timeout = std::chrono::hours(12),
                        size_t max_sessions = 10000)
      : idle_timeout_(idle_timeout), max_sessions_(max_sessions) {}

  // The session with this id, refreshed; nullopt if unknown or idle too long.
  std::optional<Session> Find(const std::string& id, Clock::time_point now = Clock::now());
  Session Create(Clock::time_point now = Clock::now());
  // Replaces the session `old_id` by a new one bound to `user`.
  Session Rotate(const std::string& old_id, const std::string& user,
                 Clock::time_point now = Clock::now());
  void Erase(const std::string& id);
  // Unbinds every session from its user (the vault was locked).
  void UnbindAll();
  size_t size();

 private:
  const std::chrono::seconds idle_timeout_;
  const size_t max_sessions_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
};

// 32 random bytes as 64 hex digits.
std::string RandomToken();
// Constant-time comparison, for CSRF tokens.
bool TokensEqual(const std::string& a, const std::string& b);
// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(const std::string& cookie_header, const std::string& name);
// A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure when `tls`.
std::string SessionCookie(const std::string& id, bool tls);

}  // namespace izde::server
