#include "report/case_file.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "ledger/sha256.h"
#include "report/person_facts.h"
#include "report/report_language.h"
#include "report/stats.h"

namespace izde::report {
namespace {

std::string Text(const nlohmann::json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Ids(const nlohmann::json& doc, const char* field) {
  std::vector<std::string> out;
  auto it = doc.find(field);
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string Size(double bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%.0f B", bytes);
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024 * 1024));
  }
  return buf;
}

std::string InverseRelation(const std::string& kind) {
  if (kind == "parent") return "child";
  if (kind == "child") return "parent";
  if (kind == "grandparent") return "grandchild";
  if (kind == "grandchild") return "grandparent";
  return kind;
}

class CaseWriter {
 public:
  CaseWriter(const Holdings& h, const std::string& id, const CaseLedger& ledger,
             const CaseFileOptions& o)
      : h_(h), id_(id), ledger_(ledger), say_(o.lang), options_(o) {}

  std::unique_ptr<PdfDocument> Write() {
    const vault::OpenedVersion& person = h_.people.at(id_);
    PdfOptions pdf;
    pdf.lang = say_.lang();
    pdf.banner = say_("report_confidential");
    pdf.footer = "izde · " + say_("case_title") + " · " + Isolate(say_.lang(), id_);
    pdf.page_word = say_("page");
    pdf.title = "izde " + say_("case_title") + " " + id_;
    auto doc = std::make_unique<PdfDocument>(pdf);
    doc->Title(say_("case_title") + ": " + DisplayName(person.record.doc));
    doc->Paragraph(say_("case_prepared", {{"date", options_.prepared_on},
                                          {"id", id_},
                                          {"version", std::to_string(person.version)}}),
                   8.5, true);
    Identity(*doc, person.record.doc);
    Relatives(*doc);
    Timeline(*doc);
    Evidence(*doc);
    Proof(*doc);
    Signatures(*doc);
    return doc;
  }

 private:
  std::string Log(const std::string& id) const {
    auto it = ledger_.entries.find(id);
    return it == ledger_.entries.end() ? "—" : "#" + std::to_string(it->second.index);
  }

  void Identity(PdfDocument& doc, const nlohmann::json& p) {
    doc.Heading(say_("section_identity"));
    std::vector<std::pair<std::string, std::string>> rows;
    std::vector<std::string> names;
    for (const auto& n : p.value("names", nlohmann::json::array())) {
      if (!n.is_object() || Text(n, "text").empty()) continue;
      std::string line = Text(n, "text");
      const std::string part = Text(n, "part");
      if (!part.empty() && part != "full") line += " (" + say_("part_" + part) + ")";
      names.push_back(line);
    }
    rows.push_back({say_("field_names"), Join(names, "\n")});
    rows.push_back({say_("field_record_id"), id_});
    const std::string gender = Text(p, "gender");
    rows.push_back(
        {say_("field_gender"), gender.empty() ? say_("unknown") : say_("gender_" + gender)});
    const std::string birth = Text(p, "birth_date");
    rows.push_back({say_("field_birth_date"), birth.empty() ? say_("unknown") : birth});
    const std::string home = Text(p, "hometown");
    if (!home.empty()) {
      rows.push_back({say_("field_hometown"), home});
      const std::string pref = PrefectureOfPlace(home);
      if (!pref.empty()) rows.push_back({say_("field_prefecture"), PrefectureLabel(pref)});
    }
    if (!Text(p, "ethnicity").empty())
      rows.push_back({say_("field_ethnicity"), Text(p, "ethnicity")});
    const auto citizenships = Ids(p, "citizenships");
    if (!citizenships.empty())
      rows.push_back({say_("field_citizenships"), Join(citizenships, ", ")});
    std::vector<std::string> ids;
    for (const auto& i : p.value("identifiers", nlohmann::json::array())) {
      if (i.is_object() && !Text(i, "value").empty())
        ids.push_back(say_("id_" + Text(i, "kind")) + ": " + Text(i, "value"));
    }
    if (!ids.empty()) rows.push_back({say_("field_identifiers"), Join(ids, "\n")});
    doc.Fields(rows);
  }

  void Relatives(PdfDocument& doc) {
    doc.Heading(say_("section_relations"));
    std::vector<std::vector<std::string>> rows;
    for (const auto& [rid, r] : h_.relations) {
      const std::string from = Text(r.record.doc, "from"), to = Text(r.record.doc, "to");
      const std::string kind = Text(r.record.doc, "kind");
      std::string other, relation;
      // `from` is <kind> of `to`; a row names the other person's role: "parent: X".
      if (from == id_) {
        other = to, relation = InverseRelation(kind);
      } else if (to == id_) {
        other = from, relation = kind;
      } else {
        continue;
      }
      auto it = h_.people.find(other);
      const std::string name =
          it == h_.people.end() ? other : DisplayName(it->second.record.doc) + " (" + other + ")";
      rows.push_back({say_("role_" + relation), name});
    }
    if (rows.empty())
      doc.Paragraph(say_("none_recorded"));
    else
      doc.Table({}, rows, {0.28, 0.72});
  }

  std::string SourceLine(const std::string& sid) {
    auto it = h_.sources.find(sid);
    if (it == h_.sources.end()) return sid;
    const nlohmann::json& s = it->second.record.doc;
    std::vector<std::string> parts = {sid + ": " + say_("source_" + Text(s, "kind"))};
    if (!Text(s, "reliability").empty())
      parts.push_back(say_("reliability", {{"grade", Text(s, "reliability")}}));
    if (!Text(s, "title").empty()) parts.push_back(Text(s, "title"));
    const std::string tid = Text(s, "testimony");
    if (auto t = h_.testimonies.find(tid); t != h_.testimonies.end()) {
      testimonies_.insert(tid);
      const nlohmann::json& td = t->second.record.doc;
      std::string line = tid;
      if (!Text(td, "date").empty())
        line += ", " + say_("testimony_recorded", {{"date", Text(td, "date")}});
      if (!Text(td, "place").empty()) line += ", " + Text(td, "place");
      parts.push_back(line);
    }
    sources_.insert(sid);
    return Join(parts, "; ");
  }

  void Timeline(PdfDocument& doc) {
    doc.Heading(say_("section_timeline"));
    const PersonFacts facts = FactsOf(h_, {id_, {id_}});
    std::vector<std::vector<std::string>> rows;
    for (const EventFact& e : facts.events) {
      const nlohmann::json& ev = h_.events.at(e.id).record.doc;
      std::string what = say_("kind_" + e.kind);
      if (e.term_months) {
        char years[16];
        std::snprintf(years, sizeof years, "%g", std::round(*e.term_months / 12 * 10) / 10);
        what += " (" + say_("term", {{"years", years}}) + ")";
      }
      if (!Text(ev, "confidence").empty())
        what += "\n(" + say_("confidence_" + Text(ev, "confidence")) + ")";
      if (!Text(ev, "notes").empty()) what += "\n" + Text(ev, "notes");
      std::vector<std::string> where;
      if (!Text(ev, "place").empty()) where.push_back(Text(ev, "place"));
      if (!e.facility.empty()) {
        auto f = h_.facilities.find(e.facility);
        std::string fname = e.facility;
        if (f != h_.facilities.end()) {
          for (const auto& n : f->second.record.doc.value("names", nlohmann::json::array())) {
            if (n.is_object() && !Text(n, "text").empty()) {
              fname = Text(n, "text") + " (" + e.facility + ")";
              break;
            }
          }
        }
        where.push_back(fname);
      }
      if (!Text(ev, "agency").empty())
        where.push_back(say_("field_agency") + ": " + Text(ev, "agency"));
      std::vector<std::string> sources;
      for (const auto& sid : Ids(ev, "sources")) sources.push_back(SourceLine(sid));
      const std::string date = Text(ev, "date").empty() ? say_("no_date") : Text(ev, "date");
      rows.push_back({date, what, Join(where, "\n"), Join(sources, "\n"), Log(e.id)});
    }
    // Testimonies that name the person count as sources of the file even without events.
    for (const auto& [tid, t] : h_.testimonies) {
      for (const auto& pid : Ids(t.record.doc, "people")) {
        if (pid == id_) testimonies_.insert(tid);
      }
    }
    if (rows.empty()) {
      doc.Paragraph(say_("none_recorded"));
      return;
    }
    doc.Table({say_("field_date"), say_("col_what"), say_("col_where"), say_("col_sources"),
               say_("col_log")},
              rows, {0.14, 0.2, 0.24, 0.32, 0.1});
  }

  void Evidence(PdfDocument& doc) {
    doc.Heading(say_("section_evidence"));
    const nlohmann::json& p = h_.people.at(id_).record.doc;
    std::set<std::string> photos;
    for (const auto& ph : Ids(p, "photos")) photos.insert(ph);
    std::vector<std::vector<std::string>> rows;
    for (const auto& [eid, e] : h_.evidence) {
      const nlohmann::json& d = e.record.doc;
      if (!photos.count(eid) && !testimonies_.count(Text(d, "testimony")) &&
          !sources_.count(Text(d, "source")))
        continue;
      // The original file name is left out: it may carry a name.
      const double size = d.contains("size") && d["size"].is_number() ? d["size"].get<double>() : 0;
      // Two lines of 32 digits: easy to compare by eye with `sha256sum`.
      std::string sha = Text(d, "sha256");
      if (sha.size() == 64) sha = sha.substr(0, 32) + "\n" + sha.substr(32);
      rows.push_back({eid, Text(d, "media_type") + "\n" + Size(size), sha, Log(eid)});
    }
    if (rows.empty()) {
      doc.Paragraph(say_("evidence_none"));
      return;
    }
    doc.Table({say_("col_file"), say_("col_type"), "SHA-256", say_("col_log")}, rows,
              {0.2, 0.2, 0.48, 0.12});
  }

  void Proof(PdfDocument& doc) {
    doc.Heading(say_("section_proof"));
    auto it = ledger_.entries.find(id_);
    if (it == ledger_.entries.end()) {
      doc.Paragraph(say_("proof_none"));
      return;
    }
    doc.Paragraph(say_("proof_text", {{"version", std::to_string(it->second.version)},
                                      {"id", id_},
                                      {"index", std::to_string(it->second.index)},
                                      {"origin", ledger_.origin}}),
                  9);
    doc.Paragraph(say_("proof_leaf"), 8.5, true);
    doc.Code(it->second.leaf_hex);
    if (!ledger_.checkpoint.empty()) {
      doc.Paragraph(say_("proof_checkpoint"), 8.5, true);
      doc.Code(ledger_.checkpoint);
    }
  }

  void Signatures(PdfDocument& doc) {
    doc.Heading(say_("section_signatures"));
    doc.Paragraph(say_("sig_intro"), 9);
    for (const char* role : {"sig_applicant", "sig_lawyer", "sig_documenter"}) {
      doc.SignatureBlock(say_(role), say_("sig_name"), say_("sig_signature"), say_("sig_date"));
    }
  }

  const Holdings& h_;
  const std::string id_;
  const CaseLedger& ledger_;
  Words say_;
  CaseFileOptions options_;
  std::set<std::string> sources_, testimonies_;
};

}  // namespace

std::string DisplayName(const nlohmann::json& person_doc) {
  std::string first;
  for (const auto& n : person_doc.value("names", nlohmann::json::array())) {
    if (!n.is_object() || Text(n, "text").empty()) continue;
    if (Text(n, "part").empty() || Text(n, "part") == "full") return Text(n, "text");
    if (first.empty()) first = Text(n, "text");
  }
  return first;
}

CaseLedger LedgerOf(vault::Vault& vault) {
  CaseLedger l;
  vault::VaultLog* log = vault.log();
  if (!log) return l;
  l.origin = log->origin();
  auto checkpoint = log->LatestCheckpoint();
  if (checkpoint.ok()) l.checkpoint = *checkpoint;
  for (const auto& [id, tip] : log->record_tips())
    l.entries[id] = {tip.index, tip.version, ledger::HexOf(tip.leaf)};
  for (const auto& [id, tip] : log->evidence_tips())
    l.entries[id] = {tip.index, tip.version, ledger::HexOf(tip.leaf)};
  return l;
}

Result<std::unique_ptr<PdfDocument>> BuildCaseFile(const Holdings& holdings,
                                                   const std::string& person_id,
                                                   const CaseLedger& ledger,
                                                   const CaseFileOptions& options) {
  if (!holdings.people.count(person_id)) {
    return Status::NotFound("no person with record id '" + person_id + "' in this vault");
  }
  if (!IsReportLanguage(options.lang)) {
    return Status::InvalidInput("no case file language '" + options.lang +
                                "': choose en, ru, kk, ug or zh");
  }
  return CaseWriter(holdings, person_id, ledger, options).Write();
}

}  // namespace izde::report
