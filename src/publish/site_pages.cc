#include "publish/site_pages.h"

#include <algorithm>
#include <cstdio>

#include "model/schema.h"
#include "publish/site_text.h"
#include "report/charts.h"
#include "report/undocumented.h"
#include "server/catalog.h"
#include "server/html_escape.h"

namespace izde::publish {
namespace {

using model::RecordType;

std::string E(std::string_view s) { return server::EscapeHtml(s); }
// A value, escaped and isolated from the text around it.
std::string B(std::string_view s) { return "<bdi>" + server::EscapeHtml(s) + "</bdi>"; }

std::string JsonText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Field(const PublicRecord& r, const char* name) {
  auto it = r.fields.find(name);
  return it == r.fields.end() ? "" : JsonText(*it);
}

std::string Join(const nlohmann::json& list) {
  std::string out;
  if (!list.is_array()) return JsonText(list);
  for (const auto& x : list) out += (out.empty() ? "" : ", ") + JsonText(x);
  return out;
}

// Cuts UTF-8 text after `max` code points, at a code point boundary.
std::string Excerpt(const std::string& text, size_t max, bool* cut) {
  size_t cps = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (cps == max) {
        *cut = true;
        return text.substr(0, i);
      }
      ++cps;
    }
  }
  *cut = false;
  return text;
}

const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; form-action 'self'; base-uri 'none'";

std::string Head(const std::string& lang, const std::string& title, const std::string& root) {
  return "<!DOCTYPE html>\n<html lang=\"" + lang + "\" dir=\"" +
         (server::IsRightToLeft(lang) ? "rtl" : "ltr") +
         "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
         std::string(kCsp) + "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>" +
         title + "</title>\n<link rel=\"stylesheet\" href=\"" + root +
         "assets/site.css\">\n</head>\n<body>\n";
}

// One language's header (site navigation, language switcher), main and footer around
// `body`. `root`: the relative path from the page to the site root; `language_href`: the
// link to the same page in another language.
template <typename LanguageHref>
void Chrome(std::string& out, Words& w, const std::string& root, LanguageHref language_href,
            const std::string& body) {
  const std::string& lang = w.lang();
  out += "<header>\n<nav class=\"site\">";
  const std::string here = root + lang + "/";
  static const std::pair<const char*, const char*> kNav[] = {
      {"index.html", "pub_nav_home"},
      {"people/1.html", "pub_nav_people"},
      {"search.html", "pub_nav_search"},
      {"statistics.html", "pub_nav_statistics"},
      {"verify.html", "pub_nav_verify"}};
  for (const auto& [href, key] : kNav)
    out += "<a href=\"" + here + href + "\">" + E(w(key)) + "</a> ";
  out += "<a href=\"" + root + "data/README.md\">" + E(w("pub_nav_data")) +
         "</a></nav>\n<nav class=\"languages\" aria-label=\"" + E(w("language")) + "\">";
  for (const auto& l : server::Languages())
    out += "<a hreflang=\"" + std::string(l.code) + "\" lang=\"" + std::string(l.code) +
           "\" href=\"" + language_href(l.code) + "\"" +
           (l.code == lang ? " aria-current=\"true\"" : "") + ">" + E(l.own_name) + "</a> ";
  out += "</nav>\n</header>\n<main>\n" + body + "</main>\n<footer><p>" + E(w("pub_footer")) +
         "</p></footer>\n";
}

// A page of one language: `path` is the page under its language folder, for the
// language switcher.
std::string Layout(Words& w, const std::string& title, const std::string& root,
                   const std::string& path, const std::string& body,
                   const std::string& scripts = "") {
  std::string out;
  out.reserve(body.size() + 2048);
  out += Head(w.lang(), E(title) + " — " + E(w("pub_site_title")), root);
  Chrome(
      out, w, root, [&](std::string_view code) { return root + std::string(code) + "/" + path; },
      body);
  out += scripts + "</body>\n</html>\n";
  return out;
}

std::string Row(const std::string& label, const std::string& value_html) {
  return "<tr><th scope=\"row\">" + E(label) + "</th><td>" + value_html + "</td></tr>\n";
}

// A link from one entry page to another (both in p/), in the same language.
std::string PersonLink(const SiteContext& site, const std::string& id, const std::string& lang) {
  const PublicRecord* r = site.data->Find(id);
  if (!r || r->type != RecordType::kPerson) return B(id);
  return "<a href=\"" + FileNameOf(id) + ".html#" + lang + "\">" + B(site.data->NameOf(id)) +
         "</a>";
}

std::string StatusText(const std::string& status, Words& w) {
  return status.empty() ? w("pub_no_status") : w("kind_" + status);
}

std::string BirthYear(const PublicRecord& p) {
  std::string b = Field(p, "birth_date");
  return b;
}

}  // namespace

const std::string& Words::operator()(const std::string& key) {
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  return cache_.emplace(key, Text(lang_, key)).first->second;
}

std::string FileNameOf(std::string_view id) {
  bool plain = !id.empty() && id.front() != '.' && id.size() <= 100;
  for (char c : id)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-');
  if (plain) return std::string(id);
  std::string out = "x-";
  char hex[3];
  for (unsigned char c : id.substr(0, 100)) {
    std::snprintf(hex, sizeof hex, "%02x", c);
    out += hex;
  }
  return out;
}

namespace {

// The entry in one language: the <main> of its section of the entry page.
std::string EntryBody(const SiteContext& site, const PersonEntry& entry, Words& w) {
  const PublicRecord& p = *entry.person;
  const std::string root = "../";
  const std::string rel = root + w.lang() + "/";
  std::string b;
  b.reserve(4096);
  b += "<article class=\"entry\">\n<h1 class=\"entry-name\">" + B(entry.display_name) + "</h1>\n";
  b += "<p class=\"status\">" + E(w("pub_status")) + ": <strong class=\"entry-status\">" +
       E(StatusText(entry.status, w)) + "</strong></p>\n";

  if (auto it = p.fields.find("names"); it != p.fields.end() && it->is_array()) {
    b += "<section class=\"names\">\n<h2>" + E(w("person_names")) +
         "</h2>\n<table>\n<thead><tr><th>" + E(w("field_name")) + "</th><th>" + E(w("pub_script")) +
         "</th></tr></thead>\n<tbody>\n";
    for (const auto& n : *it) {
      if (!n.is_object()) continue;
      std::string text = n.contains("text") ? JsonText(n["text"]) : "";
      std::string script = n.contains("script") ? JsonText(n["script"]) : "";
      b += "<tr><td class=\"name-form\">" + B(text) + "</td><td>" + B(script) + "</td></tr>\n";
    }
    b += "</tbody>\n</table>\n</section>\n";
  }

  std::string facts;
  if (auto g = Field(p, "gender"); !g.empty()) facts += Row(w("field_gender"), E(w("gender_" + g)));
  if (auto k = Field(p, "kind"); !k.empty()) facts += Row(w("field_kind"), E(w("kind_" + k)));
  if (auto v = Field(p, "birth_date"); !v.empty()) facts += Row(w("field_birth_date"), B(v));
  if (auto v = Field(p, "hometown"); !v.empty()) facts += Row(w("field_hometown"), B(v));
  if (auto v = Field(p, "ethnicity"); !v.empty()) facts += Row(w("field_ethnicity"), B(v));
  if (auto it = p.fields.find("citizenships"); it != p.fields.end())
    facts += Row(w("pub_citizenships"), B(Join(*it)));
  if (auto it = p.fields.find("identifiers"); it != p.fields.end() && it->is_array()) {
    std::string ids;
    for (const auto& x : *it)
      if (x.is_object())
        ids += "<li>" + B(x.contains("kind") ? JsonText(x["kind"]) : "") + ": " +
               B(x.contains("value") ? JsonText(x["value"]) : "") + "</li>";
    facts += Row(w("pub_identifiers"), "<ul>" + ids + "</ul>");
  }
  if (!facts.empty()) b += "<table class=\"facts\">\n" + facts + "</table>\n";

  b += "<section class=\"timeline\">\n<h2>" + E(w("person_timeline")) + "</h2>\n";
  if (entry.events.empty()) {
    b += "<p>" + E(w("person_no_events")) + "</p>\n";
  } else {
    b += "<ol class=\"timeline\">\n";
    for (const auto* e : entry.events) {
      b += "<li><span class=\"date\">" + B(Field(*e, "date")) + "</span> <strong>" +
           E(w("kind_" + Field(*e, "kind"))) + "</strong>";
      if (auto v = Field(*e, "place"); !v.empty()) b += " — " + B(v);
      if (auto v = Field(*e, "facility"); !v.empty())
        b += " — " + E(w("pub_facility")) + ": " + B(site.data->NameOf(v));
      if (auto v = Field(*e, "agency"); !v.empty()) b += " — " + E(w("pub_agency")) + ": " + B(v);
      if (auto v = Field(*e, "term_months"); !v.empty())
        b += " — " + E(w("pub_term_months")) + ": " + B(v);
      if (auto v = Field(*e, "confidence"); !v.empty())
        b += " <span class=\"confidence\">(" + E(w("confidence_" + v)) + ")</span>";
      b += "</li>\n";
    }
    b += "</ol>\n";
  }
  b += "</section>\n";

  if (!entry.relations.empty()) {
    b += "<section class=\"relations\">\n<h2>" + E(w("person_relations")) + "</h2>\n<ul>\n";
    for (const auto* r : entry.relations)
      b += "<li>" + PersonLink(site, Field(*r, "from"), w.lang()) + " — " +
           E(w("relation_" + Field(*r, "kind"))) + " — " +
           PersonLink(site, Field(*r, "to"), w.lang()) + "</li>\n";
    b += "</ul>\n</section>\n";
  }

  if (!entry.testimonies.empty()) {
    b += "<section class=\"testimonies\">\n<h2>" + E(w("person_testimonies")) + "</h2>\n";
    for (const auto* t : entry.testimonies) {
      b += "<div class=\"testimony\"><p>";
      if (auto v = Field(*t, "date"); !v.empty())
        b += E(w("pub_testimony_date")) + ": " + B(v) + " ";
      if (auto v = Field(*t, "language"); !v.empty())
        b += E(w("pub_testimony_language")) + ": " + B(v);
      b += "</p>\n";
      if (auto v = Field(*t, "summary"); !v.empty())
        b += "<p><strong>" + E(w("pub_summary")) + ":</strong> " + B(v) + "</p>\n";
      if (auto v = Field(*t, "transcript"); !v.empty() && site.policy->excerpt_chars > 0) {
        bool cut = false;
        std::string ex = Excerpt(v, site.policy->excerpt_chars, &cut);
        b += "<blockquote><p>" + B(ex) + (cut ? "…" : "") + "</p></blockquote>\n";
        if (cut) b += "<p class=\"note\">" + E(w("pub_excerpt_cut")) + "</p>\n";
      }
      b += "</div>\n";
    }
    b += "</section>\n";
  }

  if (!entry.evidence.empty()) {
    b += "<section class=\"evidence\">\n<h2>" + E(w("pub_entry_evidence")) + "</h2>\n<ul>\n";
    for (const auto* ev : entry.evidence) {
      const std::string type = Field(*ev, "media_type");
      b += "<li>" + E(w("pub_media_type")) + ": " + B(type) + "; " + E(w("pub_sha256")) +
           ": <code>" + E(Field(*ev, "sha256")) + "</code>; " + E(w("pub_size")) + ": " +
           B(Field(*ev, "size"));
      if (auto m = site.media.find(ev->id); m != site.media.end()) {
        const std::string src = root + m->second;
        if (type.rfind("image/", 0) == 0)
          b += "<br><img src=\"" + E(src) + "\" alt=\"\" loading=\"lazy\">";
        else if (type.rfind("video/", 0) == 0)
          b += "<br><video controls preload=\"none\" src=\"" + E(src) + "\"></video>";
        b += "<br><span class=\"note\">" + E(w("pub_media_stripped")) + "</span>";
      }
      b += "</li>\n";
    }
    b += "</ul>\n</section>\n";
  }

  b += "<section class=\"verify\">\n<h2>" + E(w("pub_verify_entry")) + "</h2>\n<p>" +
       E(w("pub_verify_entry_intro")) + "</p>\n<table class=\"proofs\">\n<thead><tr><th>" +
       E(w("pub_record")) + "</th><th>" + E(w("version")) + "</th><th>" + E(w("pub_leaf")) +
       "</th></tr></thead>\n<tbody>\n";
  auto proof_row = [&](const PublicRecord& r) {
    b += "<tr><td><code>" + E(r.id) + "</code></td><td>" + std::to_string(r.version) + "</td><td>" +
         std::to_string(r.leaf) + "</td></tr>\n";
  };
  proof_row(p);
  for (const auto* e : entry.events) proof_row(*e);
  for (const auto* t : entry.testimonies) proof_row(*t);
  for (const auto* r : entry.relations) proof_row(*r);
  for (const auto* ev : entry.evidence) {
    proof_row(*ev);
    // The file's own leaf: its SHA-256 and size, logged when it was sealed.
    if (auto leaf = site.data->evidence_leaf.find(ev->id); leaf != site.data->evidence_leaf.end())
      b += "<tr><td><code>" + E(ev->id) + "</code> (" + E(w("pub_sha256")) + ")</td><td></td><td>" +
           std::to_string(leaf->second) + "</td></tr>\n";
  }
  b += "</tbody>\n</table>\n<pre><code>izde verify " + std::string(kBundlePath) +
       " --key log.pub</code></pre>\n<p><a href=\"" + root + kBundlePath + "\">" + E(kBundlePath) +
       "</a> · <a href=\"" + rel + "verify.html\">" + E(w("pub_verify_title")) +
       "</a></p>\n</section>\n</article>\n";
  return b;
}

}  // namespace

std::string EntryPage(const SiteContext& site, const PersonEntry& entry,
                      std::vector<Words>& languages) {
  // Every language in one file; the one named by the fragment (#kk, #ug, ...) is shown,
  // else the last (site.css: .lang-section). The default language goes last.
  std::vector<Words*> order;
  for (auto& w : languages)
    if (w.lang() != kDefaultLanguage) order.push_back(&w);
  for (auto& w : languages)
    if (w.lang() == kDefaultLanguage) order.push_back(&w);
  const std::string& last = order.back()->lang();
  std::string out;
  out.reserve(languages.size() * 4096);
  out += Head(last, E(entry.display_name), "../");
  for (Words* w : order) {
    const std::string& lang = w->lang();
    out += "<div class=\"lang-section\" id=\"" + lang + "\" lang=\"" + lang + "\" dir=\"" +
           (server::IsRightToLeft(lang) ? "rtl" : "ltr") + "\">\n";
    Chrome(
        out, *w, "../", [](std::string_view code) { return "#" + std::string(code); },
        EntryBody(site, entry, *w));
    out += "</div>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

size_t PeoplePageCount(const SiteContext& site) {
  size_t n = site.data->people.size();
  return std::max<size_t>(1, (n + site.people_per_page - 1) / site.people_per_page);
}

std::string PeoplePage(const SiteContext& site, size_t page, Words& w) {
  const size_t pages = PeoplePageCount(site);
  const auto& people = site.data->people;
  const size_t from = (page - 1) * site.people_per_page;
  const size_t to = std::min(people.size(), from + site.people_per_page);
  std::string b = "<h1>" + E(w("pub_people_title")) + "</h1>\n<p>" + E(w("pub_page")) + " " +
                  std::to_string(page) + " / " + std::to_string(pages) + "</p>\n";
  std::string nav = "<nav class=\"pages\">";
  if (page > 1)
    nav += "<a rel=\"prev\" href=\"" + std::to_string(page - 1) + ".html\">" + E(w("pub_prev")) +
           "</a> ";
  if (page < pages)
    nav += "<a rel=\"next\" href=\"" + std::to_string(page + 1) + ".html\">" + E(w("pub_next")) +
           "</a>";
  nav += "</nav>\n";
  b += nav + "<table class=\"people\">\n<thead><tr><th>" + E(w("pub_col_name")) + "</th><th>" +
       E(w("field_hometown")) + "</th><th>" + E(w("pub_col_birth")) + "</th><th>" +
       E(w("pub_col_status")) + "</th></tr></thead>\n<tbody>\n";
  for (size_t i = from; i < to; ++i) {
    const auto& e = people[i];
    b += "<tr><td><a href=\"../../p/" + FileNameOf(e.person->id) + ".html#" + w.lang() + "\">" +
         B(e.display_name) + "</a></td><td>" + B(Field(*e.person, "hometown")) + "</td><td>" +
         B(BirthYear(*e.person)) + "</td><td>" + E(StatusText(e.status, w)) + "</td></tr>\n";
  }
  b += "</tbody>\n</table>\n" + nav;
  return Layout(w, w("pub_people_title"), "../../", "people/" + std::to_string(page) + ".html", b);
}

std::string HomePage(const SiteContext& site, Words& w) {
  std::string b = "<h1>" + E(w("pub_site_title")) + "</h1>\n<p>" + E(w("pub_intro")) + "</p>\n";
  b += "<p><strong>" + E(w("pub_stats_total")) + ": " + std::to_string(site.data->people.size()) +
       "</strong></p>\n";
  b += "<form action=\"search.html\" method=\"get\" role=\"search\"><label>" +
       E(w("search_label")) + " <input type=\"search\" name=\"q\" placeholder=\"" +
       E(w("search_placeholder")) + "\"></label> <button type=\"submit\">" + E(w("search_button")) +
       "</button></form>\n";
  b += "<ul class=\"home\">\n<li><a href=\"people/1.html\">" + E(w("pub_nav_people")) +
       "</a></li>\n<li><a href=\"statistics.html\">" + E(w("pub_nav_statistics")) +
       "</a></li>\n<li><a href=\"verify.html\">" + E(w("pub_verify_title")) +
       "</a></li>\n<li><a href=\"../data/README.md\">" + E(w("pub_nav_data")) +
       "</a></li>\n</ul>\n";
  return Layout(w, w("pub_nav_home"), "../", "index.html", b);
}

std::string SearchPage(const SiteContext&, Words& w) {
  std::string b = "<h1>" + E(w("search_title")) + "</h1>\n";
  b += "<form id=\"search-form\" action=\"search.html\" method=\"get\" role=\"search\"><label>" +
       E(w("search_label")) +
       " <input id=\"search-input\" type=\"search\" name=\"q\" autocomplete=\"off\" "
       "placeholder=\"" +
       E(w("search_placeholder")) + "\"></label> <button type=\"submit\">" + E(w("search_button")) +
       "</button></form>\n<p class=\"hint\">" + E(w("search_hint")) +
       "</p>\n<noscript><p class=\"note\">" + E(w("pub_search_nojs")) +
       " <a href=\"people/1.html\">" + E(w("pub_nav_people")) + "</a></p></noscript>\n";
  // Words the script shows, handed over as data attributes (no inline script).
  b += "<div id=\"search-results\" aria-live=\"polite\" data-root=\"../\" data-none=\"" +
       E(w("search_none")) + "\" data-loading=\"" + E(w("pub_search_loading")) + "\" data-more=\"" +
       E(w("pub_search_more")) + "\" data-no-status=\"" + E(w("pub_no_status")) +
       "\" data-status-words=\"";
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& f : model::FieldsOf(RecordType::kEvent))
    if (f.name == "kind")
      for (auto c : f.choices) kinds[std::string(c)] = w("kind_" + std::string(c));
  b += E(kinds.dump()) + "\"></div>\n";
  return Layout(w, w("search_title"), "../", "search.html", b,
                "<script src=\"../assets/search.js\"></script>\n");
}

namespace {

struct StatTable {
  std::string id, title;
  report::Dimension by;
  std::vector<std::pair<std::string, size_t>> rows;  // label, people
  std::vector<std::string> keys;                     // per row: "2018", "" when unknown
};

// A published person as the statistics count them: the entries a reviewer linked as one
// person (SiteStatistics::clusters) merged, as report/person_facts.h merges records:
// the status of the latest dated event of any of them, the earliest detention year,
// and the first hometown and gender recorded (in entry order).
struct CountedEntry {
  std::string status;
  int64_t status_date = 0;
  int first_detained_year = 0;
  std::string hometown, gender;
};

std::vector<CountedEntry> CountedEntries(const SiteContext& site) {
  std::vector<CountedEntry> out;
  out.reserve(site.data->people.size());
  std::unordered_map<std::string, size_t> at;  // cluster id -> index in out
  for (const auto& e : site.data->people) {
    const std::string& id = e.person->id;
    CountedEntry* c = nullptr;
    if (site.statistics && site.statistics->clusters.SizeOf(id) > 1) {
      auto [it, fresh] = at.emplace(site.statistics->clusters.ClusterOf(id), out.size());
      if (!fresh) c = &out[it->second];
    }
    if (!c) {
      out.push_back({e.status, e.status_date, e.first_detained_year, Field(*e.person, "hometown"),
                     Field(*e.person, "gender")});
      continue;
    }
    if (!e.status.empty() &&
        (c->status.empty() || (e.status_date && e.status_date >= c->status_date)))
      c->status = e.status, c->status_date = e.status_date;
    if (e.first_detained_year &&
        (!c->first_detained_year || e.first_detained_year < c->first_detained_year))
      c->first_detained_year = e.first_detained_year;
    if (c->hometown.empty()) c->hometown = Field(*e.person, "hometown");
    if (c->gender.empty()) c->gender = Field(*e.person, "gender");
  }
  return out;
}

std::vector<StatTable> StatTables(const std::vector<CountedEntry>& people, Words& w) {
  std::map<std::string, size_t> by_status, by_hometown, by_year, by_gender;
  for (const auto& e : people) {
    ++by_status[StatusText(e.status, w)];
    ++by_hometown[e.hometown.empty() ? w("pub_unknown") : e.hometown];
    ++by_year[e.first_detained_year ? std::to_string(e.first_detained_year) : ""];
    ++by_gender[e.gender.empty() ? w("pub_unknown") : w("gender_" + e.gender)];
  }
  auto make = [&](const char* id, const char* title, report::Dimension by,
                  const std::map<std::string, size_t>& counts, bool by_count) {
    StatTable t{id, w(title), by, {}, {}};
    std::vector<std::pair<std::string, size_t>> rows(counts.begin(), counts.end());
    if (by_count)
      std::stable_sort(rows.begin(), rows.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    for (auto& [k, n] : rows) {
      t.keys.push_back(k);
      t.rows.emplace_back(k.empty() ? w("pub_unknown") : k, n);
    }
    return t;
  };
  return {make("by-status", "pub_stats_by_status", report::Dimension::kStatus, by_status, true),
          make("by-year", "pub_stats_by_year", report::Dimension::kYear, by_year, false),
          make("by-gender", "pub_stats_by_gender", report::Dimension::kGender, by_gender, true),
          make("by-hometown", "pub_stats_by_hometown", report::Dimension::kHometown, by_hometown,
               true)};
}

// Bidi controls in chart labels are shown, as on the pages (server/html_escape.h).
std::string VisibleBidi(const std::string& s) {
  std::string escaped = server::EscapeHtml(s);
  std::string out;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '&') {
      out += escaped[i];
      continue;
    }
    size_t semi = escaped.find(';', i);
    const std::string entity = escaped.substr(i, semi - i + 1);
    out += entity == "&amp;"    ? "&"
           : entity == "&lt;"   ? "<"
           : entity == "&gt;"   ? ">"
           : entity == "&quot;" ? "\""
           : entity == "&#39;"  ? "'"
                                : entity;
    i = semi;
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> StatisticsCharts(const SiteContext& site,
                                                                  Words& w) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::vector<CountedEntry> people = CountedEntries(site);
  for (const auto& t : StatTables(people, w)) {
    report::Tally tally;
    tally.by = t.by;
    tally.title = t.title;
    tally.people_total = static_cast<int64_t>(people.size());
    for (size_t i = 0; i < t.rows.size(); ++i)
      tally.rows.push_back(
          {t.keys[i], VisibleBidi(t.rows[i].first), static_cast<int64_t>(t.rows[i].second)});
    report::Svg svg =
        t.by == report::Dimension::kYear ? report::Timeline(tally) : report::BarChart(tally);
    out.emplace_back("charts/" + t.id + ".svg", svg.text);
  }
  return out;
}

std::string StatisticsPage(const SiteContext& site, Words& w) {
  const std::vector<CountedEntry> people = CountedEntries(site);
  const size_t total = people.size();
  std::string b = "<h1>" + E(w("pub_stats_title")) + "</h1>\n<p>" + E(w("pub_stats_people")) +
                  ": <strong id=\"stats-total\">" + std::to_string(total) + "</strong> · " +
                  E(w("pub_stats_total")) + ": <span id=\"stats-entries\">" +
                  std::to_string(site.data->people.size()) + "</span></p>\n<p class=\"note\">" +
                  E(w("pub_stats_counted")) + "</p>\n";
  // The estimate of the undocumented over the whole vault, or why there is none.
  if (site.statistics && site.statistics->undocumented) {
    const auto& u = *site.statistics->undocumented;
    b += "<section id=\"estimate\" data-available=\"" +
         std::string(u.available() ? "true" : "false") + "\">\n<h2>" + E(w("pub_stats_estimate")) +
         "</h2>\n";
    const auto sentences = report::EstimateSentences(u, w.lang(), false);
    for (size_t i = 0; i < sentences.size(); ++i)
      b += std::string(i == 0 ? "<p>" : "<p class=\"note\">") + E(sentences[i]) + "</p>\n";
    b += "</section>\n";
  }
  // Charts: src/report's SVG charts of the same counts (StatisticsCharts).
  for (const auto& t : StatTables(people, w)) {
    b += "<section id=\"" + t.id + "\">\n<h2>" + E(t.title) + "</h2>\n<figure><img src=\"charts/" +
         t.id + ".svg\" alt=\"" + E(t.title) +
         "\"></figure>\n<table class=\"stats\">\n<thead><tr><th></th><th>" +
         E(w("pub_stats_count")) + "</th><th></th></tr></thead>\n<tbody>\n";
    for (const auto& [k, n] : t.rows)
      b += "<tr><th scope=\"row\">" + B(k) + "</th><td>" + std::to_string(n) +
           "</td><td><meter min=\"0\" max=\"" + std::to_string(total) + "\" value=\"" +
           std::to_string(n) + "\"></meter></td></tr>\n";
    b += "</tbody>\n</table>\n</section>\n";
  }
  return Layout(w, w("pub_stats_title"), "../", "statistics.html", b);
}

std::string VerifyPage(const SiteContext& site, Words& w) {
  std::string b = "<h1>" + E(w("pub_verify_title")) + "</h1>\n<p>" + E(w("pub_verify_intro")) +
                  "</p>\n<ol>\n<li>" + E(w("pub_verify_step_key")) + "<pre><code id=\"log-key\">" +
                  E(site.data->log_key) + "</code></pre></li>\n<li>" + E(w("pub_verify_step_run")) +
                  " <a href=\"../" + kBundlePath + "\">" + E(kBundlePath) + "</a>, <a href=\"../" +
                  kKeyPath + "\">" + E(kKeyPath) +
                  "</a><pre><code>izde verify bundle.json --key log.pub</code></pre></li>\n<li>" +
                  E(w("pub_verify_step_read")) + "</li>\n</ol>\n<h2>" + E(w("pub_checkpoint")) +
                  "</h2>\n<pre><code id=\"checkpoint\">" + E(site.data->checkpoint) +
                  "</code></pre>\n";
  return Layout(w, w("pub_verify_title"), "../", "verify.html", b);
}

std::string RootPage(const SiteContext&) {
  std::string b =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
      std::string(kCsp) +
      "\">\n<title>izde</title>\n<link rel=\"stylesheet\" href=\"assets/site.css\">\n</head>\n"
      "<body>\n<main>\n<ul class=\"language-choice\">\n";
  for (const auto& l : server::Languages()) {
    Words w{std::string(l.code)};
    b += "<li lang=\"" + std::string(l.code) + "\" dir=\"" + (l.rtl ? "rtl" : "ltr") +
         "\"><a href=\"" + std::string(l.code) + "/index.html\">" + E(w("pub_site_title")) + " — " +
         E(l.own_name) + "</a></li>\n";
  }
  return b + "</ul>\n</main>\n</body>\n</html>\n";
}

}  // namespace izde::publish
