#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/record_text.h"
#include "intake/record_json.h"

namespace izde::cli {
namespace {

// How a command-line flag of `izde add TYPE` becomes a document field.
enum class FlagKind { kText, kList, kNumber, kName, kFileText, kConsent };
struct AddFlag {
  const char* flag;   // "--birth-date"
  const char* field;  // "birth_date", or the name part for kName
  FlagKind kind;
  const char* help;
};

const std::map<std::string, std::vector<AddFlag>>& AddFlags() {
  static const std::map<std::string, std::vector<AddFlag>> kFlags = {
      {"person",
       {{"--name", "full", FlagKind::kName, "A full name as written (repeat for other forms)"},
        {"--given-name", "given", FlagKind::kName, "Given name"},
        {"--family-name", "family", FlagKind::kName, "Family name"},
        {"--father-name", "father", FlagKind::kName, "Father's given name / patronymic"},
        {"--kind", "kind", FlagKind::kText, "documented (default) or sought"},
        {"--gender", "gender", FlagKind::kText, "female, male, other, unknown"},
        {"--birth-date", "birth_date", FlagKind::kText, "e.g. 1975, 1975-03, about 1975"},
        {"--hometown", "hometown", FlagKind::kText, "Hometown as given"},
        {"--ethnicity", "ethnicity", FlagKind::kText, "Ethnicity as given"},
        {"--citizenship", "citizenships", FlagKind::kList, "Citizenship (repeat)"},
        {"--source", "sources", FlagKind::kList, "Id of the source this rests on (repeat)"},
        {"--notes", "notes", FlagKind::kText, "Notes"}}},
      {"testimony",
       {{"--witness", "witness", FlagKind::kText, "Id of the witness testifying"},
        {"--date", "date", FlagKind::kText, "Date of the interview"},
        {"--place", "place", FlagKind::kText, "Place of the interview"},
        {"--interviewer", "interviewer", FlagKind::kText, "Who interviewed"},
        {"--language", "language", FlagKind::kText, "kk, ug, ru, zh, en, ..."},
        {"--person", "people", FlagKind::kList, "Id of a person spoken about (repeat)"},
        {"--transcript-file", "transcript", FlagKind::kFileText, "File with the transcript"},
        {"--summary", "summary", FlagKind::kText, "Short summary"},
        {"--evidence", "evidence", FlagKind::kList, "Id of attached evidence (repeat)"},
        {"--consent", "consent", FlagKind::kConsent,
         "What may be published: any of name,face_voice,testimony_text,id_number"}}},
      {"event",
       {{"--person", "person", FlagKind::kText, "Id of the person"},
        {"--kind", "kind", FlagKind::kText, "detained, sentenced, released, ..."},
        {"--date", "date", FlagKind::kText, "e.g. spring 2018"},
        {"--place", "place", FlagKind::kText, "Place"},
        {"--facility", "facility", FlagKind::kText, "Id of the facility"},
        {"--agency", "agency", FlagKind::kText, "Agency, if known"},
        {"--term-months", "term_months", FlagKind::kNumber, "Sentence length in months"},
        {"--confidence", "confidence", FlagKind::kText, "confirmed, probable, possible, unknown"},
        {"--source", "sources", FlagKind::kList, "Id of the source (repeat)"},
        {"--notes", "notes", FlagKind::kText, "Notes"}}},
      {"relation",
       {{"--from", "from", FlagKind::kText, "Id of the first person"},
        {"--to", "to", FlagKind::kText, "Id of the second person"},
        {"--kind", "kind", FlagKind::kText, "parent (from is parent of to), child, spouse, ..."},
        {"--source", "source", FlagKind::kText, "Id of the source"},
        {"--notes", "notes", FlagKind::kText, "Notes"}}},
      {"facility",
       {{"--name", "full", FlagKind::kName, "A name form (repeat)"},
        {"--type", "type", FlagKind::kText, "camp, prison, detention_centre, police_station"},
        {"--county", "county", FlagKind::kText, "County"},
        {"--latitude", "latitude", FlagKind::kNumber, "Latitude"},
        {"--longitude", "longitude", FlagKind::kNumber, "Longitude"},
        {"--notes", "notes", FlagKind::kText, "Notes"}}},
      {"witness",
       {{"--name", "name", FlagKind::kText, "The witness's name"},
        {"--contact", "contact", FlagKind::kText, "How to reach them"},
        {"--relation-to-people", "relation_to_people", FlagKind::kText, "e.g. mother"},
        {"--safety-notes", "safety_notes", FlagKind::kText, "Safety notes"},
        {"--notes", "notes", FlagKind::kText, "Notes"}}},
      {"source",
       {{"--kind", "kind", FlagKind::kText,
         "testimony, official_document, leaked_list, media_report, official_statement, other"},
        {"--reliability", "reliability", FlagKind::kText, "A (reliable) .. F (cannot judge)"},
        {"--title", "title", FlagKind::kText, "Title"},
        {"--testimony", "testimony", FlagKind::kText, "Id of the testimony"},
        {"--list", "list", FlagKind::kText, "Name of the list it belongs to"},
        {"--reference", "reference", FlagKind::kText, "URL or archive reference"},
        {"--date", "date", FlagKind::kText, "Date"},
        {"--notes", "notes", FlagKind::kText, "Notes"}}},
  };
  return kFlags;
}

struct AddArgs {
  std::string id, json_file;
  std::map<std::string, std::vector<std::string>> values;  // flag -> values
};

Result<nlohmann::json> DocFromFlags(const std::string& type, const AddArgs& a) {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& f : AddFlags().at(type)) {
    auto it = a.values.find(f.flag);
    if (it == a.values.end() || it->second.empty()) continue;
    const auto& vs = it->second;
    switch (f.kind) {
      case FlagKind::kText:
        doc[f.field] = vs.back();
        break;
      case FlagKind::kList:
        doc[f.field] = vs;
        break;
      case FlagKind::kNumber:
        try {
          doc[f.field] = std::stod(vs.back());
        } catch (const std::exception&) {
          return Status::InvalidInput(std::string(f.flag) + ": '" + vs.back() +
                                      "' is not a number");
        }
        break;
      case FlagKind::kName:
        for (const auto& v : vs) doc["names"].push_back({{"text", v}, {"part", f.field}});
        break;
      case FlagKind::kFileText: {
        std::ifstream in(vs.back(), std::ios::binary);
        if (!in) return Status::Io("cannot read " + vs.back());
        doc[f.field] = std::string(std::istreambuf_iterator<char>(in), {});
        break;
      }
      case FlagKind::kConsent: {
        nlohmann::json consent = {{"name", false},
                                  {"face_voice", false},
                                  {"testimony_text", false},
                                  {"id_number", false}};
        for (const auto& v : vs) {
          std::stringstream ss(v);
          for (std::string item; std::getline(ss, item, ',');)
            if (!item.empty()) consent[item] = true;
        }
        doc[f.field] = consent;
        break;
      }
    }
  }
  return doc;
}

Status Add(const Context& ctx, const std::string& type, const AddArgs& a) {
  nlohmann::json obj;
  if (!a.json_file.empty()) {
    std::ifstream in(a.json_file, std::ios::binary);
    if (!in) return Status::Io("cannot read " + a.json_file);
    obj = nlohmann::json::parse(in, nullptr, false);
    if (obj.is_discarded()) return Status::InvalidInput(a.json_file + " is not valid JSON");
  } else {
    IZDE_ASSIGN_OR_RETURN(obj, DocFromFlags(type, a));
  }
  if (!a.id.empty()) obj["id"] = a.id;
  IZDE_ASSIGN_OR_RETURN(auto record, intake::RecordFromJson(obj, type));
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(int64_t version, v->Save(record));
  if (ctx.json)
    PrintJson({{"id", record.id}, {"type", type}, {"version", version}});
  else if (!ctx.quiet)
    std::cout << "Saved " << type << " " << record.id << " (version " << version << ")\n";
  return Status::Ok();
}

Status Show(const Context& ctx, const std::string& id) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto opened, v->Get(id));
  if (ctx.json)
    PrintJson(VersionToJson(opened));
  else
    std::cout << VersionToText(opened);
  return Status::Ok();
}

Status History(const Context& ctx, const std::string& id) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto versions, v->History(id));
  if (ctx.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& o : versions) arr.push_back(VersionToJson(o));
    PrintJson({{"id", id}, {"versions", arr}});
    return Status::Ok();
  }
  std::cout << HistoryToText(versions);
  return Status::Ok();
}

Status Search(const Context& ctx, const std::vector<std::string>& words, size_t limit) {
  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto hits, v->Search(query, limit));
  if (ctx.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& h : hits)
      arr.push_back({{"id", h.id}, {"type", h.type}, {"title", h.title}, {"snippet", h.snippet}});
    PrintJson({{"query", query}, {"hits", arr}});
    return Status::Ok();
  }
  if (hits.empty()) {
    std::cout << "Nothing found for \"" << query << "\".\n";
    return Status::Ok();
  }
  for (const auto& h : hits)
    std::cout << h.id << "  " << h.type << "  " << h.title << "\n    " << h.snippet << "\n";
  return Status::Ok();
}

}  // namespace

namespace {

void AddRecordCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto* add = app.add_subcommand("add", "Record a person, testimony, event, relation, ...");
  add->require_subcommand(1);
  for (const auto& [type, flags] : AddFlags()) {
    auto args = std::make_shared<AddArgs>();
    auto* sub = add->add_subcommand(type, "Add a " + type);
    sub->add_option("--id", args->id, "Record id (generated when omitted; never put a name in it)");
    sub->add_option("--json", args->json_file, "Read the record's fields from a JSON file");
    for (const auto& f : flags) sub->add_option(f.flag, args->values[f.flag], f.help);
    std::string t = type;
    sub->callback(Guard(out, [&ctx, t, args] { return Add(ctx, t, *args); }));
  }

  // `izde add evidence FILE`: the same as `izde evidence add FILE`.
  auto ev = std::make_shared<std::map<std::string, std::string>>();
  auto* add_ev = add->add_subcommand("evidence", "Seal a file (video, photo, scan) into the vault");
  add_ev->add_option("file", (*ev)["file"], "The file")->required()->check(CLI::ExistingFile);
  add_ev->add_option("--id", (*ev)["id"], "Record id (generated when omitted)");
  add_ev->add_option("--media-type", (*ev)["media_type"], "e.g. video/mp4, image/jpeg");
  add_ev->add_option("--testimony", (*ev)["testimony"], "Id of the testimony it belongs to");
  add_ev->add_option("--source", (*ev)["source"], "Id of the source it belongs to");
  add_ev->callback(Guard(out, [&ctx, ev] {
    nlohmann::json fields = nlohmann::json::object();
    for (const char* k : {"media_type", "testimony", "source"})
      if (!(*ev)[k].empty()) fields[k] = (*ev)[k];
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    IZDE_ASSIGN_OR_RETURN(auto r, v->AddEvidence((*ev)["file"], fields, (*ev)["id"]));
    if (ctx.json)
      PrintJson({{"id", r.id}, {"type", "evidence"}, {"sha256", r.doc["sha256"]}});
    else if (!ctx.quiet)
      std::cout << "Saved evidence " << r.id << " (SHA-256 " << r.doc["sha256"].get<std::string>()
                << "). The original file is still where it was: delete it if it must not stay "
                   "on this computer.\n";
    return Status::Ok();
  }));

  auto id = std::make_shared<std::string>();
  auto* show = app.add_subcommand("show", "Show the latest version of a record");
  show->add_option("id", *id, "Record id")->required();
  show->callback(Guard(out, [&ctx, id] { return Show(ctx, *id); }));

  auto* history = app.add_subcommand("history", "Show every version of a record: who, when, what");
  history->add_option("id", *id, "Record id")->required();
  history->callback(Guard(out, [&ctx, id] { return History(ctx, *id); }));

  auto words = std::make_shared<std::vector<std::string>>();
  auto limit = std::make_shared<size_t>(20);
  auto* search = app.add_subcommand("search", "Find people, testimonies and places by any word");
  search->add_option("text", *words, "What to look for, in any script")->required();
  search->add_option("--limit", *limit, "At most this many results");
  search->callback(Guard(out, [&ctx, words, limit] { return Search(ctx, *words, *limit); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(20, AddRecordCommands);

}  // namespace izde::cli
