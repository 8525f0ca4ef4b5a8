// The catalogs compiled in by CMake (report_catalogs.cc is generated from
// src/report/i18n/*.json and src/server/i18n/*.json).
#pragma once

#include <string_view>

namespace izde::report {

struct EmbeddedCatalog {
  std::string_view lang;
  bool interface;  // from src/server/i18n
  std::string_view json;
};

extern const EmbeddedCatalog kEmbeddedCatalogs[10];

}  // namespace izde::report
