// The templates, language catalogs and stylesheet, compiled into the binary
// (embed_files.cmake) so that the server needs no files beside it.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace izde::server {

// A file by its base name: "layout.mustache", "kk.json", "style.css".
std::optional<std::string_view> EmbeddedFile(std::string_view name);
std::vector<std::string_view> EmbeddedFileNames();

}  // namespace izde::server
