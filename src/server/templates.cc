#include "server/templates.h"

#include <kainjow/mustache.hpp>

#include "server/catalog.h"
#include "server/embedded_files.h"
#include "server/html_escape.h"

namespace izde::server {
namespace {

using kainjow::mustache::data;

data ToData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      data d{data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), ToData(it.value()));
      return d;
    }
    case nlohmann::json::value_t::array: {
      data d{data::type::list};
      for (const auto& e : j) d.push_back(ToData(e));
      return d;
    }
    case nlohmann::json::value_t::string:
      // Mustache treats any string as true in {{#section}}; an empty value
      // must hide its section ("Hometown:" with nothing after it), and it
      // renders as nothing either way.
      if (j.get_ref<const std::string&>().empty()) return data(false);
      return data(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return data(j.get<bool>());
    case nlohmann::json::value_t::null:
      return data(false);
    default:
      return data(j.dump());
  }
}

}  // namespace

Result<std::string> RenderTemplate(std::string_view name, const nlohmann::json& model) {
  auto text = EmbeddedFile(std::string(name) + ".mustache");
  if (!text) return Status::NotFound("no template " + std::string(name));
  kainjow::mustache::mustache tmpl{std::string(*text)};
  if (!tmpl.is_valid())
    return Status::Corrupt("template " + std::string(name) + ": " + tmpl.error_message());
  tmpl.set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
  std::string out = tmpl.render(ToData(model));
  if (!tmpl.is_valid())
    return Status::Corrupt("template " + std::string(name) + ": " + tmpl.error_message());
  return out;
}

Result<std::string> RenderPage(std::string_view name, nlohmann::json model) {
  std::string lang = model.value("lang", "en");
  model["t"] = Catalog(lang);
  model["dir"] = IsRightToLeft(lang) ? "rtl" : "ltr";
  IZDE_ASSIGN_OR_RETURN(std::string body, RenderTemplate(name, model));
  model["body"] = std::move(body);
  return RenderTemplate("layout", model);
}

}  // namespace izde::server
