// Slows down passphrase guessing: each key (a client address, a user name)
// may fail `burst` times, after which one more attempt is allowed every
// `refill` seconds. Successful attempts do not count. The clock is passed in,
// so tests need not sleep.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace izde::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(int burst, std::chrono::seconds refill) : burst_(burst), refill_(refill) {}

  // Whether an attempt for `key` may go ahead now.
  bool Allow(const std::string& key, Clock::time_point now = Clock::now());
  void RecordFailure(const std::string& key, Clock::time_point now = Clock::now());
  // Seconds until the next attempt is allowed (0 if now).
  int RetryAfter(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  Bucket& Refill(const std::string& key, Clock::time_point now);
  const int burst_;
  const std::chrono::seconds refill_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace izde::server
