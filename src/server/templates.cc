#include "server/templates.h"

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <unordered_map>

#include "server/catalog.h"
#include "server/embedded_files.h"
#include "server/html_escape.h"

namespace izde::server {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

// kainjow's data has no way to move a value into an object or list, and copying
// (set, push_back) copies the whole subtree once per level above it: a placeholder is
// put in and the value moved onto it. The placeholder is not const (it lives in the
// data's own map or vector), only the accessor is.
void SetMoved(data& d, const std::string& key, data&& value) {
  d.set(key, data(false));
  *const_cast<data*>(d.get(key)) = std::move(value);
}
void PushMoved(data& d, data&& value) {
  d.push_back(data(false));
  const_cast<data&>(d.list_value().back()) = std::move(value);
}

data ToData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      data d{data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) SetMoved(d, it.key(), ToData(it.value()));
      return d;
    }
    case nlohmann::json::value_t::array: {
      data d{data::type::list};
      for (const auto& e : j) PushMoved(d, ToData(e));
      return d;
    }
    case nlohmann::json::value_t::string:
      // Mustache treats any string as true in {{#section}}; an empty value
      // must hide its section ("Hometown:" with nothing after it), and it
      // renders as nothing either way.
      if (j.get_ref<const std::string&>().empty()) return data(false);
      return data(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::boolean:
      return data(j.get<bool>());
    case nlohmann::json::value_t::null:
      return data(false);
    default:
      return data(j.dump());
  }
}

// What every page of one language shares: {"t": its catalog, "dir": "ltr" or "rtl"},
// converted once for the life of the process (the catalogs are compiled in).
const data& LanguageData(const std::string& code) {
  static const std::map<std::string, data, std::less<>> all = [] {
    std::map<std::string, data, std::less<>> m;
    for (const auto& l : Languages()) {
      data d{data::type::object};
      SetMoved(d, "t", ToData(Catalog(l.code)));
      d.set("dir", data(std::string(l.rtl ? "rtl" : "ltr")));
      m.emplace(std::string(l.code), std::move(d));
    }
    return m;
  }();
  auto it = all.find(code);
  return it != all.end() ? it->second : all.at("en");
}

// Parsed templates, one set per thread: parsing a template costs more than rendering
// it, and a kainjow template keeps state while it renders, so threads do not share one.
std::unordered_map<std::string, std::unique_ptr<mustache>>& ParsedTemplates() {
  thread_local std::unordered_map<std::string, std::unique_ptr<mustache>> parsed;
  return parsed;
}

Result<mustache*> Parsed(std::string_view name) {
  auto& parsed = ParsedTemplates();
  std::string key(name);
  if (auto it = parsed.find(key); it != parsed.end()) return it->second.get();
  auto text = EmbeddedFile(key + ".mustache");
  if (!text) return Status::NotFound("no template " + key);
  auto tmpl = std::make_unique<mustache>(std::string(*text));
  if (!tmpl->is_valid()) return Status::Corrupt("template " + key + ": " + tmpl->error_message());
  tmpl->set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
  return parsed.emplace(key, std::move(tmpl)).first->second.get();
}

Result<std::string> Render(std::string_view name, kainjow::mustache::context<std::string>& ctx) {
  IZDE_ASSIGN_OR_RETURN(mustache * tmpl, Parsed(name));
  std::string out = tmpl->render(ctx);
  if (!tmpl->is_valid()) {
    Status error = Status::Corrupt("template " + std::string(name) + ": " + tmpl->error_message());
    ParsedTemplates().erase(std::string(name));  // its error would stay: parse it afresh
    return error;
  }
  return out;
}

}  // namespace

Result<std::string> RenderTemplate(std::string_view name, const nlohmann::json& model) {
  data d = ToData(model);
  kainjow::mustache::context<std::string> ctx{&d};
  return Render(name, ctx);
}

Result<std::string> RenderPage(std::string_view name, nlohmann::json model) {
  // Names are looked up in the page's model first, then in the language's catalog.
  const data& language = LanguageData(model.value("lang", "en"));
  data page = ToData(model);
  kainjow::mustache::context<std::string> ctx{&language};
  ctx.push(&page);
  IZDE_ASSIGN_OR_RETURN(std::string body, Render(name, ctx));
  data layout{data::type::object};
  layout.set("body", data(std::move(body)));
  ctx.push(&layout);
  return Render("layout", ctx);
}

}  // namespace izde::server
