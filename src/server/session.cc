#include "server/session.h"

#include <sodium.h>

namespace izde::server {

std::string RandomToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

bool TokensEqual(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return "";
}

std::string SessionCookie(const std::string& id, bool tls) {
  return std::string(kSessionCookie) + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" +
         (tls ? "; Secure" : "");
}

std::optional<Session> SessionStore::Find(const std::string& id, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_seen > idle_timeout_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

Session SessionStore::Create(Clock::time_point now) {
  std::lock_guard lock(mu_);
  // Anyone can create sessions: when full, drop the least recently seen.
  while (sessions_.size() >= max_sessions_) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
      if (it->second.last_seen < oldest->second.last_seen) oldest = it;
    sessions_.erase(oldest);
  }
  Session s{RandomToken(), RandomToken(), "", now};
  sessions_[s.id] = s;
  return s;
}

Session SessionStore::Rotate(const std::string& old_id, const std::string& user,
                             Clock::time_point now) {
  {
    std::lock_guard lock(mu_);
    sessions_.erase(old_id);
  }
  Session s = Create(now);
  std::lock_guard lock(mu_);
  sessions_[s.id].user = user;
  s.user = user;
  return s;
}

void SessionStore::Erase(const std::string& id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

void SessionStore::UnbindAll() {
  std::lock_guard lock(mu_);
  for (auto& [id, s] : sessions_) s.user.clear();
}

size_t SessionStore::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace izde::server
