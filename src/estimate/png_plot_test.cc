#include "estimate/png_plot.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "estimate/test_data.h"

// Fontconfig keeps its font caches for the life of the process, by design; under
// LeakSanitizer (the CI's sanitizer run) they would read as leaks. Only this hook, which
// LeakSanitizer looks up by name, silences them; nothing else in the binary is exempt.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace izde::estimate {
namespace {

uint32_t BigEndian(const std::string& s, size_t at) {
  return (uint32_t{static_cast<unsigned char>(s[at])} << 24) |
         (uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) |
         uint32_t{static_cast<unsigned char>(s[at + 3])};
}

TEST(PngPlot, WritesAPngOfTheChart) {
  Result<CaptureTable> t = ReadCaptureCounts(MseDataPath("kosovo.csv"));
  ASSERT_TRUE(t.ok());
  t->lists = {"Экс", "ABA", "OSCE", "HRW"};  // names outside ASCII must not break drawing
  Result<EstimateReport> r = estimate::Run(*t, {});
  ASSERT_TRUE(r.ok());
  const std::string path = testing::TempDir() + "/kosovo_plot.png";
  Status s = WritePngPlot(*r, path);
  ASSERT_TRUE(s.ok()) << s.message();
  std::ifstream in(path, std::ios::binary);
  const std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(BigEndian(png, 16), 1440u);
  EXPECT_EQ(BigEndian(png, 20), 800u);
}

TEST(PngPlot, ReportsUnwritablePath) {
  Result<CaptureTable> t = ReadCaptureCounts(MseDataPath("spina_bifida.csv"));
  ASSERT_TRUE(t.ok());
  Result<EstimateReport> r = estimate::Run(*t, {});
  ASSERT_TRUE(r.ok());
  Status s = WritePngPlot(*r, "/nonexistent/dir/plot.png");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/dir/plot.png"), std::string::npos);
  EXPECT_FALSE(WritePngPlot(*r, "/tmp/never.png", 0).ok());
}

}  // namespace
}  // namespace izde::estimate
