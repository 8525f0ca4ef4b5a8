// Pages from the mustache templates in templates/ (compiled in). Every
// {{value}} goes through EscapeHtml; the one unescaped insertion is the
// rendered page body inside layout.mustache ({{{body}}}), which is itself
// escaped template output. templates_test checks that no template has any
// other triple mustache.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace izde::server {

// Renders templates/<name>.mustache with `model`.
Result<std::string> RenderTemplate(std::string_view name, const nlohmann::json& model);
// Renders the page template, then the layout around it. The model gets `t`,
// the catalog of model["lang"].
Result<std::string> RenderPage(std::string_view name, nlohmann::json model);

}  // namespace izde::server
