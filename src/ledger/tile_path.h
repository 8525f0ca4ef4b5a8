// C2SP tlog-tiles paths: "tile/<L>/<N>[.p/<W>]" for hash tiles and
// "tile/entries/<N>[.p/<W>]" for entry bundles, with <N> in 3-digit groups, all but the
// last prefixed by "x" (1234067 -> "x001/x234/067").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace izde::ledger {

inline constexpr int kTileHeight = 8;
inline constexpr std::uint64_t kTileWidth = 256;
inline constexpr int kEntriesLevel = -1;  // marks an entry bundle in TilePath

struct TilePath {
  int level = 0;  // hash tile level, or kEntriesLevel
  std::uint64_t index = 0;
  std::uint64_t width = kTileWidth;  // 1..256; 256 is a full tile

  std::string ToString() const;
  // Strict: exactly the spelling ToString() produces, nothing else.
  static std::optional<TilePath> Parse(std::string_view path);
};

}  // namespace izde::ledger
