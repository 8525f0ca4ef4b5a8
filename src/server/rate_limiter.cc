#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace izde::server {

RateLimiter::Bucket& RateLimiter::Refill(const std::string& key, Clock::time_point now) {
  auto [it, inserted] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (inserted) {
    b.tokens = burst_;
    b.updated = now;
    // Keys come from clients: forget full buckets so the map cannot grow without bound.
    if (buckets_.size() > 10000) {
      for (auto i = buckets_.begin(); i != buckets_.end();)
        i = (i->second.tokens >= burst_ && i != it) ? buckets_.erase(i) : std::next(i);
    }
    return b;
  }
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min<double>(burst_, b.tokens + elapsed / refill_.count());
    b.updated = now;
  }
  return b;
}

bool RateLimiter::Allow(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  return Refill(key, now).tokens >= 1;
}

void RateLimiter::RecordFailure(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  Bucket& b = Refill(key, now);
  b.tokens = std::max(0.0, b.tokens - 1);
}

int RateLimiter::RetryAfter(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  Bucket& b = Refill(key, now);
  if (b.tokens >= 1) return 0;
  return static_cast<int>(std::ceil((1 - b.tokens) * refill_.count()));
}

}  // namespace izde::server
