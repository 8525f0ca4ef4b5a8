#include "ledger/tile_path.h"

#include <vector>

namespace izde::ledger {
namespace {

constexpr int kMaxLevel = 63;

std::optional<std::uint64_t> ParseDecimal(std::string_view s, std::size_t digits) {
  if (s.size() != digits) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t slash = s.find('/');
    out.push_back(s.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    s.remove_prefix(slash + 1);
  }
}

}  // namespace

std::string TilePath::ToString() const {
  std::string n;
  std::uint64_t v = index;
  std::vector<std::string> groups;
  do {
    std::string g = std::to_string(v % 1000);
    groups.push_back(std::string(3 - g.size(), '0') + g);
    v /= 1000;
  } while (v > 0);
  for (std::size_t i = groups.size(); i-- > 0;) {
    n += (i > 0 ? "x" : "") + groups[i] + (i > 0 ? "/" : "");
  }
  std::string out =
      "tile/" + (level == kEntriesLevel ? std::string("entries") : std::to_string(level)) + "/" + n;
  if (width < kTileWidth) out += ".p/" + std::to_string(width);
  return out;
}

std::optional<TilePath> TilePath::Parse(std::string_view path) {
  std::vector<std::string_view> parts = Split(path);
  if (parts.size() < 3 || parts[0] != "tile") return std::nullopt;
  TilePath t;
  if (parts[1] == "entries") {
    t.level = kEntriesLevel;
  } else {
    if (parts[1].empty() || parts[1].size() > 2 || (parts[1].size() == 2 && parts[1][0] == '0')) {
      return std::nullopt;
    }
    auto level = ParseDecimal(parts[1], parts[1].size());
    if (!level || *level > kMaxLevel) return std::nullopt;
    t.level = static_cast<int>(*level);
  }
  std::size_t end = parts.size();
  // A partial tile ends in ".p/<W>": the last index group carries the ".p" suffix.
  if (end >= 4 && parts[end - 2].size() == 5 && parts[end - 2].substr(3) == ".p") {
    std::string_view w = parts[end - 1];
    if (w.empty() || w.size() > 3 || w[0] == '0') return std::nullopt;
    auto width = ParseDecimal(w, w.size());
    if (!width || *width == 0 || *width >= kTileWidth) return std::nullopt;
    t.width = *width;
    parts[end - 2] = parts[end - 2].substr(0, 3);
    --end;
  }
  std::uint64_t index = 0;
  for (std::size_t i = 2; i < end; ++i) {
    std::string_view g = parts[i];
    const bool last = i + 1 == end;
    if (!last) {
      if (g.size() != 4 || g[0] != 'x') return std::nullopt;
      g.remove_prefix(1);
    }
    auto v = ParseDecimal(g, 3);
    if (!v) return std::nullopt;
    if (index > (UINT64_MAX - *v) / 1000) return std::nullopt;
    index = index * 1000 + *v;
  }
  t.index = index;
  if (t.ToString() != path) return std::nullopt;  // e.g. leading "x000/" groups
  return t;
}

}  // namespace izde::ledger
