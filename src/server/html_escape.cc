#include "server/html_escape.h"

#include <cstdio>

namespace izde::server {
namespace {

// The UTF-8 bytes of U+202A..U+202E are E2 80 AA..AE; of U+2066..U+2069, E2 81 A6..A9.
bool IsBidiControl(std::string_view s, size_t i, unsigned* code_point) {
  if (i + 2 >= s.size()) return false;
  auto b0 = static_cast<unsigned char>(s[i]);
  auto b1 = static_cast<unsigned char>(s[i + 1]);
  auto b2 = static_cast<unsigned char>(s[i + 2]);
  if (b0 != 0xE2) return false;
  if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) {
    *code_point = 0x202A + (b2 - 0xAA);
    return true;
  }
  if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) {
    *code_point = 0x2066 + (b2 - 0xA6);
    return true;
  }
  return false;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    unsigned cp = 0;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\0':
        out += "\xEF\xBF\xBD";  // U+FFFD: a NUL must not reach the page
        break;
      default:
        if (static_cast<unsigned char>(c) == 0xE2 && IsBidiControl(text, i, &cp)) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "[U+%04X]", cp);
          out += buf;
          i += 2;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string EscapeUrlComponent(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace izde::server
