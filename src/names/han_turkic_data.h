// The Chinese-character transcription table data/names/han_turkic.tsv, compiled into
// the library by CMake so no data path is needed at run time.
// Format: docs/formats/names-han-turkic.md
#pragma once

namespace izde::names {
extern const char kHanTurkicTsv[];
}  // namespace izde::names
