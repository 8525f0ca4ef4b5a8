#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/public_bundle.h"
#include "cli/terminal.h"
#include "csv/csv_reader.h"
#include "csv/csv_writer.h"
#include "intake/person_csv.h"
#include "intake/record_json.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status WriteRejects(const std::string& path, const intake::PersonCsv& csv) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status::Io("cannot write the rejects file " + path);
  csv::Writer w(f, path);
  std::vector<std::string> header = {"row", "reason"};
  header.insert(header.end(), csv.header.begin(), csv.header.end());
  IZDE_RETURN_IF_ERROR(w.WriteRow(header));
  for (const auto& r : csv.rejected) {
    std::vector<std::string> row = {std::to_string(r.row), r.reason};
    row.insert(row.end(), r.fields.begin(), r.fields.end());
    IZDE_RETURN_IF_ERROR(w.WriteRow(row));
  }
  return f ? Status::Ok() : Status::Io("cannot write the rejects file " + path);
}

Status Import(const Context& ctx, const std::string& file, bool skip_bad, std::string rejects) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return Status::NotFound("there is no file " + file);
  std::vector<model::Record> records;
  intake::PersonCsv csv_result;
  if (EndsWith(file, ".json")) {
    IZDE_ASSIGN_OR_RETURN(records, intake::ReadRecordsJson(file));
  } else {
    IZDE_ASSIGN_OR_RETURN(auto reader, csv::Reader::Open(file));
    uint64_t size = fs::file_size(file, ec);
    ProgressBar reading("Reading " + fs::path(file).filename().string());
    IZDE_ASSIGN_OR_RETURN(csv_result, intake::ReadPersonCsv(reader, skip_bad, [&](uint64_t done) {
                            reading.Update(done, size);
                          }));
    reading.Finish();
    records = std::move(csv_result.people);
  }
  // Unlock only once the file is known to be good: a bad file costs no passphrase.
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  ProgressBar saving("Saving");
  IZDE_ASSIGN_OR_RETURN(size_t written, v->SaveAll(std::move(records), [&](size_t d, size_t t) {
    saving.Update(d, t);
  }));
  saving.Finish();
  size_t rejected = csv_result.rejected.size();
  if (rejected > 0) {
    if (rejects.empty()) rejects = file + ".rejects.csv";
    IZDE_RETURN_IF_ERROR(WriteRejects(rejects, csv_result));
  }
  if (ctx.json) {
    PrintJson({{"file", file},
               {"saved", written},
               {"rejected", rejected},
               {"rejects_file", rejected ? rejects : ""}});
  } else if (!ctx.quiet) {
    std::cout << "Imported " << file << ": " << written << " records saved";
    if (rejected) std::cout << ", " << rejected << " rows rejected (reasons in " << rejects << ")";
    std::cout << ".\n";
  }
  return Status::Ok();
}

Status Export(const Context& ctx, const std::string& format, const std::string& out_path) {
  if (format != "json" && format != "csv")
    return Status::InvalidInput("--format must be json or csv");
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  std::ofstream file;
  std::ostream* out = &std::cout;
  std::string tmp = out_path + ".part";
  if (!out_path.empty()) {
    file.open(tmp, std::ios::binary | std::ios::trunc);
    if (!file) return Status::Io("cannot write " + out_path);
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
    out = &file;
  }
  size_t n = 0;
  if (format == "json") {
    *out << "{\"records\": [\n";
    IZDE_RETURN_IF_ERROR(v->ForEach([&](const vault::OpenedVersion& o) {
      // Evidence keys stay in the vault: an export is for interchange, not a key escrow.
      model::Record r = o.record;
      r.doc.erase("blob_key");
      r.doc.erase("blob");
      *out << (n++ ? ",\n" : "") << intake::RecordToJson(r).dump();
      return Status::Ok();
    }));
    *out << "\n]}\n";
  } else {
    csv::Writer w(*out, out_path.empty() ? "standard output" : out_path);
    IZDE_RETURN_IF_ERROR(w.WriteRow(intake::PersonCsvColumns()));
    IZDE_RETURN_IF_ERROR(v->ForEach([&](const vault::OpenedVersion& o) {
      if (o.record.type == model::RecordType::kPerson) {
        IZDE_RETURN_IF_ERROR(w.WriteRow(intake::PersonCsvRow(o.record)));
        ++n;
      }
      return Status::Ok();
    }));
  }
  if (!out_path.empty()) {
    file.close();
    if (!file) return Status::Io("cannot write " + out_path);
    std::error_code ec;
    fs::rename(tmp, out_path, ec);
    if (ec) return Status::Io("cannot write " + out_path + ": " + ec.message());
    if (!ctx.quiet)
      std::cerr << "Exported " << n << " records to " << out_path
                << ". This file is NOT encrypted: keep it as safe as the passphrase.\n";
  }
  return Status::Ok();
}

}  // namespace

namespace {

void AddExchangeCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto file = std::make_shared<std::string>();
  auto skip_bad = std::make_shared<bool>(false);
  auto rejects = std::make_shared<std::string>();
  auto* imp = app.add_subcommand(
      "import", "Import a person CSV or a JSON file of records; all or nothing by default");
  imp->add_option("file", *file, "people.csv or records.json")->required();
  imp->add_flag("--skip-bad-rows", *skip_bad,
                "Import the good rows and write the bad ones, with reasons, to a rejects file");
  imp->add_option("--rejects", *rejects, "Where to write rejected rows (default FILE.rejects.csv)");
  imp->callback(Guard(
      out, [&ctx, file, skip_bad, rejects] { return Import(ctx, *file, *skip_bad, *rejects); }));

  auto format = std::make_shared<std::string>("json");
  auto out_path = std::make_shared<std::string>();
  auto* exp = app.add_subcommand(
      "export", "Write every record, decrypted, for interchange (private: not for publication)");
  exp->add_option("--format", *format, "json (all records) or csv (people, import columns)");
  exp->add_option("--out", *out_path, "File to write (default: standard output)");
  auto pub = std::make_shared<bool>(false);
  auto with_files = std::make_shared<bool>(false);
  auto bundle = std::make_shared<std::string>();
  exp->add_flag("--public", *pub,
                "Instead: the public bundle of consented records, verifiable offline");
  exp->add_option("--bundle", *bundle, "With --public: the bundle file (its key goes to OUT.pub)");
  exp->add_flag("--with-files", *with_files,
                "With --public: also the consented evidence files (OUT.files/)");
  exp->callback(Guard(out, [&ctx, format, out_path, pub, bundle, with_files] {
    if (*pub || !bundle->empty() || *with_files) {
      if (!*pub || bundle->empty())
        return Status::InvalidInput("a public bundle needs both --public and --bundle OUT");
      return WritePublicBundleCommand(ctx, *bundle, *with_files);
    }
    return Export(ctx, *format, *out_path);
  }));

  auto* evidence = app.add_subcommand("evidence", "Attach and retrieve evidence files");
  evidence->require_subcommand(1);
  auto media = std::make_shared<std::string>();
  auto testimony = std::make_shared<std::string>();
  auto source = std::make_shared<std::string>();
  auto* ev_add = evidence->add_subcommand("add", "Seal a file (video, photo, scan) into the vault");
  ev_add->add_option("file", *file, "The file")->required()->check(CLI::ExistingFile);
  ev_add->add_option("--media-type", *media, "e.g. video/mp4, image/jpeg, application/pdf");
  ev_add->add_option("--testimony", *testimony, "Id of the testimony it belongs to");
  ev_add->add_option("--source", *source, "Id of the source it belongs to");
  ev_add->callback(Guard(out, [&ctx, file, media, testimony, source] {
    nlohmann::json fields = nlohmann::json::object();
    if (!media->empty()) fields["media_type"] = *media;
    if (!testimony->empty()) fields["testimony"] = *testimony;
    if (!source->empty()) fields["source"] = *source;
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    IZDE_ASSIGN_OR_RETURN(auto r, v->AddEvidence(*file, fields));
    if (ctx.json)
      PrintJson({{"id", r.id}, {"sha256", r.doc["sha256"]}, {"size", r.doc["size"]}});
    else if (!ctx.quiet)
      std::cout << "Sealed " << *file << " as evidence " << r.id << " (SHA-256 "
                << r.doc["sha256"].get<std::string>() << "). The original file is still where it "
                << "was: delete it if it must not stay on this computer.\n";
    return Status::Ok();
  }));
  auto* ev_get = evidence->add_subcommand("extract", "Write an evidence file's original bytes");
  auto id = std::make_shared<std::string>();
  ev_get->add_option("id", *id, "Evidence id")->required();
  ev_get->add_option("out", *out_path, "Where to write it")->required();
  ev_get->callback(Guard(out, [&ctx, id, out_path] {
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    IZDE_RETURN_IF_ERROR(v->ExtractEvidence(*id, *out_path));
    if (!ctx.quiet) std::cout << "Wrote " << *out_path << " (hash checked).\n";
    return Status::Ok();
  }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(30, AddExchangeCommands);

}  // namespace izde::cli
