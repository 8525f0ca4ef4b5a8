// What the PDF tests share: running poppler's tools (poppler-utils, installed by
// scripts/install-deps) on a PDF the test wrote, and comparing extracted text.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace izde::report {

// Output of a shell command, or "" with the test marked failed when it fails.
inline std::string RunTool(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int rc = ::pclose(p);
  EXPECT_EQ(WEXITSTATUS(rc), 0) << command << " failed (is poppler-utils installed?)";
  return out;
}

// Text as pdftotext gives it, without whitespace and bidi controls: poppler splits
// Arabic-script words at glyph joins, so Uyghur is compared with spaces removed.
inline std::string Squeezed(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') continue;
    // U+200E, U+200F, U+202A..U+202E (E2 80 8E/8F/AA..AE), U+2066..U+2069 (E2 81 A6..A9).
    if (c == 0xE2 && i + 2 < text.size()) {
      const unsigned char b = static_cast<unsigned char>(text[i + 1]);
      const unsigned char d = static_cast<unsigned char>(text[i + 2]);
      if ((b == 0x80 && (d == 0x8E || d == 0x8F || (d >= 0xAA && d <= 0xAE))) ||
          (b == 0x81 && d >= 0xA6 && d <= 0xA9)) {
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

inline std::string Squeezed(const char* text) { return Squeezed(std::string(text)); }

// What pdftotext gives for Uyghur `text`: besides the spaces, poppler writes the lam-alef
// ligature (one glyph for ل + ا) in visual order, alef first.
inline std::string AsExtracted(const std::string& text) {
  std::string out = Squeezed(text);
  const std::string lam_alef = "\xD9\x84\xD8\xA7", alef_lam = "\xD8\xA7\xD9\x84";
  for (size_t at = out.find(lam_alef); at != std::string::npos; at = out.find(lam_alef, at + 4))
    out.replace(at, 4, alef_lam);
  return out;
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace izde::report
