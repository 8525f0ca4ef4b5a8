#include "cli/record_text.h"

#include <sstream>

#include "dates/utc_time.h"

namespace izde::cli {
namespace {

bool Hidden(const std::string& field) { return field == "blob_key"; }

std::string ValueText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      if (!out.empty()) out += "; ";
      if (e.is_object() && e.contains("text")) {
        out += e["text"].get<std::string>();
        std::string tags;
        for (const char* k : {"part", "script", "source"})
          if (e.contains(k)) tags += (tags.empty() ? "" : ", ") + e[k].get<std::string>();
        if (!tags.empty()) out += " (" + tags + ")";
      } else if (e.is_object() && e.contains("value")) {
        out += e.value("kind", "id") + " " + e["value"].get<std::string>();
      } else {
        out += ValueText(e);
      }
    }
    return out;
  }
  return v.dump();
}

}  // namespace

std::string FormatTime(int64_t t) { return dates::UtcMinute(t) + " UTC"; }

nlohmann::json VersionToJson(const vault::OpenedVersion& v) {
  nlohmann::json j = v.record.doc;
  for (const char* h : {"blob_key"}) j.erase(h);
  j["id"] = v.record.id;
  j["type"] = model::TypeName(v.record.type);
  j["version"] = v.version;
  j["saved_by"] = v.author;
  j["saved_at"] = FormatTime(v.created_at);
  return j;
}

std::string VersionToText(const vault::OpenedVersion& v) {
  std::ostringstream out;
  out << model::TypeName(v.record.type) << " " << v.record.id << "  (version " << v.version
      << ", saved by " << v.author << ", " << FormatTime(v.created_at) << ")\n";
  for (auto it = v.record.doc.begin(); it != v.record.doc.end(); ++it) {
    if (Hidden(it.key())) continue;
    std::string name = it.key();
    for (auto& c : name)
      if (c == '_') c = ' ';
    out << "  " << name << ": " << ValueText(*it) << "\n";
  }
  return out.str();
}

std::string HistoryToText(const std::vector<vault::OpenedVersion>& versions) {
  std::ostringstream out;
  const nlohmann::json* prev = nullptr;
  for (const auto& v : versions) {
    out << "version " << v.version << "  " << FormatTime(v.created_at) << "  by " << v.author;
    if (!prev) {
      out << "  created\n";
    } else {
      std::string changed;
      nlohmann::json both = *prev;
      both.update(v.record.doc);
      for (auto it = both.begin(); it != both.end(); ++it) {
        bool was = prev->contains(it.key()), is = v.record.doc.contains(it.key());
        if (was != is || (was && (*prev)[it.key()] != v.record.doc[it.key()]))
          changed += (changed.empty() ? "" : ", ") + it.key();
      }
      out << "  changed: " << changed << "\n";
    }
    prev = &v.record.doc;
  }
  return out.str();
}

}  // namespace izde::cli
