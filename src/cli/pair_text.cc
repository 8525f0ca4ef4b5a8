#include "cli/pair_text.h"

#include <cstdio>

#include "cli/record_text.h"

namespace izde::cli {
namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes count as one column.
uint32_t Next(const std::string& s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + static_cast<size_t>(len) > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += static_cast<size_t>(len);
  return cp;
}

size_t Columns(uint32_t cp) {
  if (cp >= 0x0300 && cp <= 0x036F) return 0;  // combining marks
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

std::string Probability(const std::optional<double>& p) {
  if (!p) return "unknown";
  char b[16];
  std::snprintf(b, sizeof b, "%.3f", *p);
  return b;
}

std::string Bits(double w) {
  char b[16];
  std::snprintf(b, sizeof b, "%+.1f", w);
  return b;
}

}  // namespace

size_t DisplayWidth(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) w += Columns(Next(s, i));
  return w;
}

std::string FitColumn(const std::string& s, size_t width) {
  std::string out;
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const size_t c = Columns(Next(s, i));
    if (w + c > width) break;
    out.append(s, start, i - start);
    w += c;
  }
  return out + std::string(width - w, ' ');
}

std::string PairToText(const identity::PairView& v, size_t width) {
  const size_t label = 12, agree = 22;
  const size_t col = width > label + agree + 6 ? (width - label - agree - 6) / 2 : 20;
  auto row = [&](const std::string& l, const std::string& a, const std::string& b,
                 const std::string& r) {
    return FitColumn(l, label) + "  " + FitColumn(a, col) + "  " + FitColumn(b, col) + "  " + r +
           "\n";
  };
  std::string out;
  out += "Pair " + v.pair + "   match probability " + Probability(v.probability) +
         (v.queued ? "" : " (not in the queue)") + "\n";
  out += row("", v.a + (v.sought_a ? " (sought)" : ""), v.b + (v.sought_b ? " (sought)" : ""),
             "agreement");
  out += row("cluster", v.cluster_a + " (" + std::to_string(v.size_a) + ")",
             v.cluster_b + " (" + std::to_string(v.size_b) + ")", "");
  out += row("names", v.names_a, v.names_b, "");
  for (const auto& f : v.fields) {
    std::string r = f.level;
    if (f.weight && f.level != "missing") r += " " + Bits(*f.weight) + " bits";
    out += row(f.field, f.a.empty() ? "-" : f.a, f.b.empty() ? "-" : f.b, r);
  }
  if (v.names) {
    for (const auto& p : v.names->parts) {
      char sim[16];
      std::snprintf(sim, sizeof sim, "%.2f", p.similarity);
      out += row("  name part", p.a.empty() ? "-" : p.a, p.b.empty() ? "-" : p.b,
                 std::string(sim) + " " + p.how);
    }
  }
  if (v.decision)
    out += "Decided: " + std::string(identity::DecisionName(v.decision->decision)) + " by " +
           v.decision->author + " at " + FormatTime(v.decision->at) + "\n";
  return out;
}

std::string DecisionToText(const identity::PairDecision& d) {
  std::string what = d.decision == identity::Decision::kSame        ? "the same person"
                     : d.decision == identity::Decision::kDifferent ? "different people"
                                                                    : "undecided";
  return d.a + " and " + d.b + ": " + what + (d.undoes ? " (undo)" : "") + " — saved as " +
         d.record_id + " version " + std::to_string(d.version) + "\n";
}

}  // namespace izde::cli
