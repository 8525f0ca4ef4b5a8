#include "server/review_pages.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <unordered_map>

#include "dates/utc_time.h"
#include "identity/person_fields.h"
#include "server/catalog.h"
#include "server/html_escape.h"

namespace izde::server {
namespace {

using json = nlohmann::json;

std::string Bits(double w) {
  char b[16];
  std::snprintf(b, sizeof b, "%+.1f", w);
  return b;
}

std::string Utc(int64_t t) { return dates::UtcMinute(t); }

// Levels that speak for one person when the queue holds no weights.
bool Agrees(const std::string& level) {
  for (const char* l : {"exact", "close", "same_name", "very_similar", "similar", "one_typo",
                        "overlap", "within_a_year", "same_place", "same_prefecture", "equal"})
    if (level == l) return true;
  return false;
}

// The linkage form of a gender ("f", "m") as the gender enumeration's label.
std::string FieldValue(const std::string& field, const std::string& value,
                       const std::string& lang) {
  if (field == "gender" && (value == "f" || value == "m"))
    return Translate(lang, value == "f" ? "gender_female" : "gender_male");
  return value;
}

// How two name parts matched (names/compare.cc), in the user's language.
std::string How(const std::string& how, const std::string& lang) {
  static const std::pair<const char*, const char*> kKeys[] = {
      {"same key", "how_same_key"},
      {"same key through the Chinese transcription reading", "how_same_key_chinese"},
      {"close through the Chinese transcription reading", "how_close_chinese"},
      {"spelling variant", "how_spelling_variant"},
      {"no counterpart in the other name", "how_no_counterpart"},
      {"different", "how_different"}};
  for (const auto& [text, key] : kKeys)
    if (how == text) return Translate(lang, key);
  return how;
}

std::string DecisionLabel(identity::Decision d, const std::string& lang) {
  return Translate(lang, "review_decision_" + std::string(identity::DecisionName(d)));
}

}  // namespace

std::string Probability(const std::optional<double>& p) {
  if (!p) return "—";
  char b[16];
  std::snprintf(b, sizeof b, "%.3f", *p);
  return b;
}

json PairModel(const identity::Review& review, const identity::PairView& v,
               const std::string& lang) {
  json fields = json::array();
  double total = 0;
  bool weighted = false;
  for (const auto& f : v.fields) {
    std::string cls = f.level == "missing" ? "missing" : Agrees(f.level) ? "agree" : "disagree";
    if (f.weight && f.level != "missing") {
      cls = *f.weight > 0 ? "agree" : *f.weight < 0 ? "disagree" : "missing";
      total += *f.weight;
      weighted = true;
    }
    fields.push_back({{"label", Translate(lang, "review_field_" + f.field)},
                      {"a", FieldValue(f.field, f.a, lang)},
                      {"b", FieldValue(f.field, f.b, lang)},
                      {"level", Translate(lang, "level_" + f.level)},
                      {"cls", cls},
                      {"weight", f.weight && f.level != "missing" ? Bits(*f.weight) : ""}});
  }
  json parts = json::array();
  if (v.names)
    for (const auto& p : v.names->parts) {
      char sim[16];
      std::snprintf(sim, sizeof sim, "%.2f", p.similarity);
      parts.push_back({{"a", p.a.empty() ? "—" : p.a},
                       {"b", p.b.empty() ? "—" : p.b},
                       {"similarity", std::string(sim)},
                       {"how", How(p.how, lang)}});
    }
  auto names_of = [&](const std::string& id) {
    json out = json::array();
    if (auto it = review.view().people.find(id); it != review.view().people.end())
      if (auto n = it->second.record.doc.find("names");
          n != it->second.record.doc.end() && n->is_array())
        for (const auto& name : *n)
          if (name.is_object() && name.contains("text") && name["text"].is_string())
            out.push_back({{"text", name["text"].get<std::string>()}});
    return out;
  };
  json m = {{"pair", v.pair},
            {"a", v.a},
            {"b", v.b},
            {"a_href", "/person/" + v.a},
            {"b_href", "/person/" + v.b},
            {"probability", Probability(v.probability)},
            {"queued", v.queued},
            {"sought_a", v.sought_a},
            {"sought_b", v.sought_b},
            {"names_a", names_of(v.a)},
            {"names_b", names_of(v.b)},
            {"cluster_a", v.cluster_a},
            {"cluster_b", v.cluster_b},
            {"size_a", std::to_string(v.size_a)},
            {"size_b", std::to_string(v.size_b)},
            {"split_a", v.size_a > 1},
            {"split_b", v.size_b > 1},
            {"fields", fields},
            {"name_parts", parts},
            {"has_name_parts", !parts.empty()},
            {"weighted", weighted},
            {"total_bits", Bits(total)},
            {"total_for", total > 0}};
  if (std::string why = review.WhyApart(v.a, v.b); !why.empty()) {
    m["apart"] = true;
    m["why_apart"] = why;
  } else {
    m["apart"] = false;
  }
  m["has_decision"] = v.decision.has_value();
  if (v.decision)
    m["decision"] = {{"label", DecisionLabel(v.decision->decision, lang)},
                     {"author", v.decision->author},
                     {"time", Utc(v.decision->at)},
                     {"undo", v.decision->undoes != 0}};
  return m;
}

Result<json> ReviewModel(const identity::Review& review, size_t skip, const std::string& pair,
                         const std::string& lang) {
  const size_t pending = review.PendingCount();
  json m = {{"has_queue", review.queue().has_value()},
            {"pending", std::to_string(pending)},
            {"skip", std::to_string(skip)},
            {"next_skip", std::to_string(skip + 1)},
            {"skipped", skip > 0},
            {"has_pair", false}};
  if (review.queue()) m["queue_time"] = Utc(review.queue()->at);
  auto list = review.Pending(skip + 11);
  if (!pair.empty()) {
    IZDE_ASSIGN_OR_RETURN(auto key, identity::ParsePairKey(pair));
    IZDE_ASSIGN_OR_RETURN(auto v, review.Explain(key.first, key.second));
    m["item"] = PairModel(review, v, lang);
    m["has_pair"] = true;
    m["explicit"] = true;
  } else if (skip < list.size()) {
    m["item"] = PairModel(review, list[skip], lang);
    m["has_pair"] = true;
  }
  json upcoming = json::array();
  for (size_t i = skip + 1; i < list.size(); ++i) {
    const auto& p = list[i];
    upcoming.push_back({{"pair", p.pair},
                        {"href", "/review?pair=" + EscapeUrlComponent(p.pair)},
                        {"names_a", p.names_a},
                        {"names_b", p.names_b},
                        {"probability", Probability(p.probability)}});
  }
  m["upcoming"] = upcoming;
  m["has_upcoming"] = !upcoming.empty();
  return m;
}

json InquiriesModel(const identity::VaultView& view, const std::vector<identity::Notice>& notices,
                    const Viewer& viewer, bool all, size_t page, const std::string& lang) {
  auto title = [&](const std::string& id) -> std::string {
    if (auto p = view.people.find(id); p != view.people.end())
      return identity::DisplayName(p->second.record.doc);
    if (auto r = view.records.find(id); r != view.records.end())
      return RecordTitle(r->second.record);
    return id;
  };
  auto type_of = [&](const std::string& id) -> std::string {
    if (view.people.count(id)) return "person";
    if (auto r = view.records.find(id); r != view.records.end())
      return std::string(model::TypeName(r->second.record.type));
    return "";
  };
  // Each sought person's notices, in the order given (one pass, not one per person).
  std::unordered_map<std::string, std::vector<const identity::Notice*>> by_sought;
  size_t open = 0;
  for (const auto& n : notices) {
    if (!all && n.status != "open") continue;
    if (!viewer.MayRead(n.sought, "person")) continue;
    by_sought[n.sought].push_back(&n);
  }
  // The sought people this viewer may read, those with notices first (in id order
  // within each group); only one page of them is rendered.
  std::vector<const std::pair<const std::string, vault::OpenedVersion>*> with, without;
  for (const auto& id : view.sought) {
    const auto entry_at = view.people.find(id);
    if (entry_at == view.people.end() || !viewer.MayRead(id, "person")) continue;
    const auto& entry = *entry_at;
    auto notices_of = by_sought.find(entry.first);
    if (notices_of == by_sought.end()) {
      without.push_back(&entry);
      continue;
    }
    with.push_back(&entry);
    for (const identity::Notice* n : notices_of->second) open += n->status == "open";
  }
  with.insert(with.end(), without.begin(), without.end());
  const size_t pages =
      std::max<size_t>(1, (with.size() + kInquiriesPerPage - 1) / kInquiriesPerPage);
  page = std::clamp<size_t>(page, 1, pages);
  const size_t first = (page - 1) * kInquiriesPerPage;
  const size_t last = std::min(with.size(), first + kInquiriesPerPage);
  json sought = json::array();
  for (size_t i = first; i < last; ++i) {
    const auto& [id, person] = *with[i];
    json rows = json::array();
    for (const identity::Notice* notice : by_sought[id]) {
      const identity::Notice& n = *notice;
      json news = json::array();
      for (const auto& r : n.new_records) {
        const std::string type = type_of(r);
        if (type.empty() || !viewer.MayRead(r, type)) continue;
        const auto rec = view.records.find(r);
        news.push_back({{"id", r},
                        {"href", RecordHref(type, r)},
                        {"type", Translate(lang, "type_" + type)},
                        {"title", type == "person" || rec == view.records.end()
                                      ? title(r)
                                      : RecordCaption(rec->second.record, lang)}});
      }
      const bool may_read_person = viewer.MayRead(n.person, "person");
      rows.push_back({{"id", n.record_id},
                      {"open", n.status == "open"},
                      {"status", Translate(lang, "inquiries_status_" + n.status)},
                      {"time", Utc(n.at)},
                      {"accepted", n.accepted},
                      {"probability", Probability(n.probability)},
                      {"person", n.person},
                      {"person_title", may_read_person ? title(n.person) : n.person},
                      {"person_href", "/person/" + n.person},
                      {"news", news},
                      {"has_news", !news.empty()}});
    }
    const auto& doc = person.record.doc;
    sought.push_back({{"id", id},
                      {"href", "/person/" + id},
                      {"title", identity::AllNames(doc)},
                      {"birth_date", doc.value("birth_date", "")},
                      {"hometown", doc.value("hometown", "")},
                      {"notices", rows},
                      {"has_notices", !rows.empty()}});
  }
  const std::string base = all ? "/inquiries?all=1&page=" : "/inquiries?page=";
  return json{{"sought", sought},
              {"has_sought", !sought.empty()},
              {"open", std::to_string(open)},
              {"all", all},
              {"paged", pages > 1},
              {"page", std::to_string(page)},
              {"pages", std::to_string(pages)},
              {"has_previous", page > 1},
              {"previous_href", base + std::to_string(page - 1)},
              {"has_next", page < pages},
              {"next_href", base + std::to_string(page + 1)}};
}

}  // namespace izde::server
