// data/places/xinjiang.tsv, compiled into the library by CMake.
#pragma once

namespace izde::places {
extern const char kXinjiangTsv[];
}  // namespace izde::places
