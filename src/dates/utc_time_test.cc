#include "dates/utc_time.h"

#include <gtest/gtest.h>

namespace izde::dates {
namespace {

TEST(UtcMinute, ShowsTheMinuteInUtc) {
  EXPECT_EQ(UtcMinute(0), "1970-01-01 00:00");
  EXPECT_EQ(UtcMinute(1795788359), "2026-11-27 14:05");
  EXPECT_EQ(UtcMinute(-60), "1969-12-31 23:59");
}

}  // namespace
}  // namespace izde::dates
