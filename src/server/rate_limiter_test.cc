#include "server/rate_limiter.h"

#include <gtest/gtest.h>

namespace izde::server {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsABurstOfFailuresThenOneAPeriod) {
  RateLimiter limiter(3, 60s);
  auto t = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limiter.Allow("addr 1", t)) << i;
    limiter.RecordFailure("addr 1", t);
  }
  EXPECT_FALSE(limiter.Allow("addr 1", t));
  EXPECT_EQ(limiter.RetryAfter("addr 1", t), 60);
  EXPECT_TRUE(limiter.Allow("addr 2", t)) << "keys are independent";
  EXPECT_FALSE(limiter.Allow("addr 1", t + 59s));
  EXPECT_TRUE(limiter.Allow("addr 1", t + 60s));
  limiter.RecordFailure("addr 1", t + 60s);
  EXPECT_FALSE(limiter.Allow("addr 1", t + 61s));
  EXPECT_TRUE(limiter.Allow("addr 1", t + 300s));
}

TEST(RateLimiter, RefillsNoMoreThanTheBurst) {
  RateLimiter limiter(2, 10s);
  auto t = RateLimiter::Clock::now();
  limiter.RecordFailure("k", t);
  for (int i = 0; i < 2; ++i) limiter.RecordFailure("k", t + 10h);
  EXPECT_FALSE(limiter.Allow("k", t + 10h));
}

}  // namespace
}  // namespace izde::server
