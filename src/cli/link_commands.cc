// `izde dedupe` and `izde link-files`: record linkage on person CSV files,
// without a vault (docs/linkage.md). Outputs are written to a temporary file
// beside the target and renamed, so a failure never leaves a half-written file.
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>
#include <unordered_map>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"
#include "csv/csv_writer.h"
#include "link/linker.h"
#include "link/person_records.h"
#include "vault/passphrase_seal.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Writes rows to `path` atomically: a temporary file in the same directory,
// flushed, then renamed over the target.
Status WriteCsvAtomically(const std::string& path,
                          const std::function<Status(csv::Writer&)>& write) {
  const fs::path target(path);
  const fs::path tmp = target.parent_path() /
                       ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::Io("cannot write " + tmp.string() + " (is the folder writable?)");
    csv::Writer w(f, path, {.line_end = "\n"});
    Status s = write(w);
    f.flush();
    if (s.ok() && !f) s = Status::Io("cannot write " + path + " (disk full?)");
    if (!s.ok()) {
      f.close();
      std::error_code ec;
      fs::remove(tmp, ec);
      return s;
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::Io("cannot move the result into " + path + ": " + ec.message());
  }
  return Status::Ok();
}

Result<link::PersonRecords> Read(const Context& ctx, const std::string& path, int threads) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound("there is no file " + path);
  IZDE_ASSIGN_OR_RETURN(auto people, link::ReadPersonRecords(path, threads));
  if (!people.ignored_columns.empty() && !ctx.quiet) {
    std::cerr << "Notice: " << path << ": columns ignored for linking:";
    for (const auto& c : people.ignored_columns) std::cerr << " " << c;
    std::cerr << "\n";
  }
  return people;
}

std::vector<std::string> PairHeader(const link::Schema& schema, const char* a, const char* b) {
  std::vector<std::string> h = {a, b, "probability"};
  for (const auto& f : schema.fields) h.push_back(f.name);
  return h;
}

std::vector<std::string> PairRow(const link::Schema& schema, const std::string& a,
                                 const std::string& b, const link::ScoredPair& p) {
  char prob[32];
  std::snprintf(prob, sizeof prob, "%.6f", link::Probability(p.score));
  std::vector<std::string> row = {a, b, prob};
  for (size_t f = 0; f < schema.fields.size(); ++f)
    row.emplace_back(link::LevelName(schema.fields[f].comparator, p.levels[f]));
  return row;
}

// Where the linker comes from: a fresh run over the whole file, or the saved state
// of earlier runs plus the records of the file it has not seen.
struct DedupeRun {
  std::optional<link::Linker> linker;
  size_t new_records = 0;
  bool from_state = false;
  std::optional<vault::SealedSegments> file;  // the state as read (to append to it)
  std::vector<uint32_t> input;                // per input row, its record in the linker
};

Result<DedupeRun> LinkWithState(const Context& ctx, const link::PersonRecords& people,
                                const std::string& in, const std::string& state, int threads,
                                std::string& passphrase) {
  DedupeRun run;
  std::error_code ec;
  const bool exists = fs::exists(state, ec);
  IZDE_ASSIGN_OR_RETURN(passphrase,
                        ReadPassphrase(ctx.passphrase_file,
                                       exists ? "Passphrase of the link state " + state + ": "
                                              : "New passphrase for the link state " + state + ": ",
                                       !exists));
  if (!exists) {
    link::LinkOptions options;
    options.threads = threads;
    run.linker.emplace(link::Linker::Build(people.records, options));
    run.new_records = people.records.ids.size();
    return run;
  }
  run.from_state = true;
  IZDE_ASSIGN_OR_RETURN(vault::SealedSegments file,
                        vault::OpenSegmentsWithPassphrase(state, passphrase));
  if (file.unfinished > 0)
    std::cerr << "Notice: " << state << ": the last run stopped while saving its changes ("
              << file.unfinished
              << " bytes of an unfinished part); the state is read as it was before that run, "
                 "and its rows count as new\n";
  std::string base = std::move(file.segments.front());
  std::vector<std::string> deltas(std::make_move_iterator(file.segments.begin() + 1),
                                  std::make_move_iterator(file.segments.end()));
  file.segments.clear();
  run.file.emplace(std::move(file));
  auto loaded = link::Linker::LoadState(std::move(base), std::move(deltas), threads, state);
  sodium_memzero(base.data(), base.size());
  if (!loaded.ok()) return loaded.status();
  run.linker.emplace(std::move(loaded).value());
  link::Linker& linker = *run.linker;
  const auto& have = linker.prepared().schema.fields;
  const auto& want = people.records.schema.fields;
  bool same_schema = have.size() == want.size();
  for (size_t f = 0; same_schema && f < have.size(); ++f)
    same_schema = have[f].name == want[f].name && have[f].comparator == want[f].comparator;
  if (!same_schema)
    return Status::InvalidInput(state + " was made from files with other linkage fields than " +
                                in + "; use a new --state file");
  // Which input rows the state has: one pass over its ids against the input's (the
  // input is the smaller side when a run brings a few new records to a large state).
  const auto& rows = people.records;
  std::unordered_map<std::string_view, uint32_t> row_of;
  row_of.reserve(rows.ids.size());
  for (uint32_t i = 0; i < rows.ids.size(); ++i) row_of.emplace(rows.ids[i], i);
  run.input.assign(rows.ids.size(), UINT32_MAX);
  const auto& ids = linker.prepared().ids;
  for (uint32_t r = 0; r < ids.size(); ++r) {
    auto it = row_of.find(ids[r]);
    if (it == row_of.end()) continue;
    if (linker.fingerprint(r) != link::Linker::RawFingerprint(rows.values[it->second]))
      return Status::InvalidInput(in + ": the record with id " + ids[r] +
                                  " differs from the one linked in " + state +
                                  "; a state links each record once (edit records in a new "
                                  "file with new ids, or start a new --state file)");
    run.input[it->second] = r;
  }
  link::RawRecords fresh;
  fresh.schema = rows.schema;
  for (size_t i = 0; i < rows.ids.size(); ++i)
    if (run.input[i] == UINT32_MAX) {
      run.input[i] = static_cast<uint32_t>(ids.size() + fresh.ids.size());
      fresh.ids.push_back(rows.ids[i]);
      fresh.values.push_back(rows.values[i]);
    }
  run.new_records = fresh.ids.size();
  if (!fresh.ids.empty()) linker.Add(fresh);
  return run;
}

// A state's appended parts are read and applied at every run: past an eighth of the
// base's size (or 64 parts) the state is written again whole.
bool CompactNow(const vault::SealedSegments& file, size_t adding) {
  uint64_t appended = adding;
  for (size_t i = 1; i < file.sealed_sizes.size(); ++i) appended += file.sealed_sizes[i];
  return file.sealed_sizes.size() >= 64 || appended > file.sealed_sizes.front() / 8;
}

Status Dedupe(const Context& ctx, const std::string& in, const std::string& out,
              const std::string& pairs_path, int threads, const std::string& state,
              const std::string& kdf_name, bool all_records) {
  if (threads < 1) return Status::InvalidInput("--threads must be at least 1");
  auto cost = vault::ParseKdfCost(kdf_name);
  if (!cost) return Status::InvalidInput("--kdf-cost must be interactive, moderate or sensitive");
  const auto read_start = std::chrono::steady_clock::now();
  const double read_cpu = link::ProcessCpuSeconds();
  IZDE_ASSIGN_OR_RETURN(auto people, Read(ctx, in, threads));
  const double seconds_read = SecondsSince(read_start);
  const double cpu_read = link::ProcessCpuSeconds() - read_cpu;
  DedupeRun run;
  std::string passphrase;
  if (state.empty()) {
    link::LinkOptions options;
    options.threads = threads;
    run.linker.emplace(link::Linker::Build(people.records, options));
    run.new_records = people.records.ids.size();
  } else {
    auto r = LinkWithState(ctx, people, in, state, threads, passphrase);
    if (!r.ok()) {
      sodium_memzero(passphrase.data(), passphrase.size());
      return r.status();
    }
    run = std::move(r).value();
  }
  link::Linker& linker = *run.linker;
  const auto& ids = linker.prepared().ids;
  // From a state: the file's records, then those of earlier runs whose cluster id
  // this run changed (unless --all asks for every record).
  std::vector<uint32_t> listed;
  if (run.from_state && !all_records) {
    listed = run.input;
    std::vector<bool> seen(ids.size(), false);
    for (uint32_t r : listed) seen[r] = true;
    for (uint32_t r : linker.RecordsWithNewClusterIds())
      if (!seen[r]) listed.push_back(r);
  }
  const bool everything = !run.from_state || all_records;
  const auto write_start = std::chrono::steady_clock::now();
  const double write_cpu = link::ProcessCpuSeconds();
  IZDE_RETURN_IF_ERROR(WriteCsvAtomically(out, [&](csv::Writer& w) {
    IZDE_RETURN_IF_ERROR(w.WriteRow(std::vector<std::string>{"id", "cluster"}));
    if (everything) {
      for (uint32_t r = 0; r < ids.size(); ++r)
        IZDE_RETURN_IF_ERROR(w.WriteRow(std::vector<std::string>{ids[r], linker.ClusterId(r)}));
    } else {
      for (uint32_t r : listed)
        IZDE_RETURN_IF_ERROR(w.WriteRow(std::vector<std::string>{ids[r], linker.ClusterId(r)}));
    }
    return Status::Ok();
  }));
  if (!pairs_path.empty()) {
    const auto& schema = linker.prepared().schema;
    IZDE_RETURN_IF_ERROR(WriteCsvAtomically(pairs_path, [&](csv::Writer& w) {
      IZDE_RETURN_IF_ERROR(w.WriteRow(PairHeader(schema, "id_a", "id_b")));
      for (const auto& p : linker.pairs())
        IZDE_RETURN_IF_ERROR(w.WriteRow(PairRow(schema, ids[p.a], ids[p.b], p)));
      return Status::Ok();
    }));
  }
  const char* written = "none";
  if (!state.empty()) {
    // Without the kept pairs: a later run's --pairs lists the pairs it scores. A
    // state read from its file grows by the run's changes; a new one (or one whose
    // appended parts have grown large) is written whole.
    Status s;
    if (run.file && run.new_records == 0) {
      // Nothing new: nothing to write.
    } else if (run.file && linker.CanSaveDelta()) {
      std::string bytes = linker.SaveDelta(/*with_pairs=*/false);
      if (CompactNow(*run.file, bytes.size())) {
        sodium_memzero(bytes.data(), bytes.size());
        bytes = linker.SaveState(/*with_pairs=*/false);
        s = vault::SealWithPassphrase(bytes, state, passphrase, *cost);
        written = "rewritten";
      } else {
        s = vault::AppendSealed(*run.file, bytes);
        written = "appended";
      }
      sodium_memzero(bytes.data(), bytes.size());
    } else {
      std::string bytes = linker.SaveState(/*with_pairs=*/false);
      s = vault::SealWithPassphrase(bytes, state, passphrase, *cost);
      sodium_memzero(bytes.data(), bytes.size());
      written = "written";
    }
    sodium_memzero(passphrase.data(), passphrase.size());
    IZDE_RETURN_IF_ERROR(s);
  }
  const size_t rows_out = everything ? ids.size() : listed.size();
  const double seconds_write = SecondsSince(write_start);
  const double cpu_write = link::ProcessCpuSeconds() - write_cpu;
  if (ctx.json) {
    const auto& st = linker.stats();
    PrintJson({{"records", ids.size()},
               {"new_records", run.new_records},
               {"from_state", run.from_state},
               {"rows_written", rows_out},
               {"state", written},
               {"comparisons", st.comparisons},
               {"pairs_kept", linker.pairs().size()},
               // Wall time per phase, and the CPU time of all threads in it.
               {"seconds",
                {{"read", seconds_read},
                 {"prepare", st.seconds_prepare},
                 {"estimate", st.seconds_estimate},
                 {"score", st.seconds_score},
                 {"cluster", st.seconds_cluster},
                 {"write", seconds_write}}},
               {"cpu_seconds",
                {{"read", cpu_read},
                 {"prepare", st.cpu_prepare},
                 {"estimate", st.cpu_estimate},
                 {"score", st.cpu_score},
                 {"cluster", st.cpu_cluster},
                 {"write", cpu_write},
                 {"total", link::ProcessCpuSeconds()}}},
               {"out", out}});
  } else if (!ctx.quiet) {
    if (run.from_state)
      std::cout << "Linked " << run.new_records << " new records against " << state << " ("
                << ids.size() << " records in all, " << linker.stats().comparisons
                << " comparisons); " << rows_out << " cluster ids in " << out << ".\n";
    else
      std::cout << "Linked " << ids.size() << " records (" << linker.stats().comparisons
                << " comparisons); clusters in " << out << ".\n";
  }
  return Status::Ok();
}

Status LinkFiles(const Context& ctx, const std::string& a_path, const std::string& b_path,
                 const std::string& out, bool one_to_one, int threads) {
  if (threads < 1) return Status::InvalidInput("--threads must be at least 1");
  IZDE_ASSIGN_OR_RETURN(auto a, Read(ctx, a_path, threads));
  IZDE_ASSIGN_OR_RETURN(auto b, Read(ctx, b_path, threads));
  link::LinkOptions options;
  options.threads = threads;
  link::ListLink result = link::LinkLists(a.records, b.records, options);
  std::vector<link::ScoredPair> links;
  for (const auto& p : one_to_one ? link::MutualBest(result.pairs) : result.pairs)
    if (link::Probability(p.score) >= options.match_probability) links.push_back(p);
  const auto& schema = result.a.schema;
  IZDE_RETURN_IF_ERROR(WriteCsvAtomically(out, [&](csv::Writer& w) {
    IZDE_RETURN_IF_ERROR(w.WriteRow(PairHeader(schema, "id_a", "id_b")));
    for (const auto& p : links)
      IZDE_RETURN_IF_ERROR(w.WriteRow(PairRow(schema, result.a.ids[p.a], result.b.ids[p.b], p)));
    return Status::Ok();
  }));
  if (ctx.json) {
    PrintJson({{"links", links.size()}, {"comparisons", result.stats.comparisons}, {"out", out}});
  } else if (!ctx.quiet) {
    std::cout << "Found " << links.size() << " links between " << a_path << " and " << b_path
              << "; written to " << out << ".\n";
  }
  return Status::Ok();
}

void AddLinkCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto* dedupe = app.add_subcommand(
      "dedupe", "Find records of the same person in a person CSV (no vault needed)");
  auto in = std::make_shared<std::string>();
  auto clusters = std::make_shared<std::string>();
  auto pairs = std::make_shared<std::string>();
  auto threads =
      std::make_shared<int>(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  dedupe->add_option("file", *in, "Person CSV")->required();
  dedupe->add_option("--out", *clusters, "Where to write id,cluster for every id")->required();
  dedupe->add_option("--pairs", *pairs, "Also write every scored pair with its field levels");
  dedupe->add_option("--threads", *threads, "Threads to use");
  auto state = std::make_shared<std::string>();
  auto kdf = std::make_shared<std::string>("interactive");
  dedupe->add_option("--state", *state,
                     "Keep the linker's state in this file, sealed with a passphrase: the next "
                     "run links only the records it has not seen, and cluster ids stay. From "
                     "an existing state, --out lists the file's records and the earlier ones "
                     "whose cluster changed (--all: every record)");
  auto all = std::make_shared<bool>(false);
  dedupe->add_flag("--all", *all,
                   "With --state: write every record's cluster, not only the file's records and "
                   "the earlier records whose cluster changed");
  dedupe->add_option("--kdf-cost", *kdf,
                     "Argon2id cost of a new --state passphrase: interactive, moderate or "
                     "sensitive");
  dedupe->callback(Guard(out, [&ctx, in, clusters, pairs, threads, state, kdf, all] {
    return Dedupe(ctx, *in, *clusters, *pairs, *threads, *state, *kdf, *all);
  }));

  auto* lf = app.add_subcommand("link-files", "Link the people of two person CSV files");
  auto a = std::make_shared<std::string>();
  auto b = std::make_shared<std::string>();
  auto links = std::make_shared<std::string>();
  auto one = std::make_shared<bool>(false);
  auto lthreads =
      std::make_shared<int>(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  lf->add_option("a", *a, "First person CSV")->required();
  lf->add_option("b", *b, "Second person CSV")->required();
  lf->add_option("--out", *links, "Where to write id_a,id_b,probability and field levels")
      ->required();
  lf->add_flag("--one-to-one", *one, "Each person appears at most once in each file");
  lf->add_option("--threads", *lthreads, "Threads to use");
  lf->callback(Guard(out, [&ctx, a, b, links, one, lthreads] {
    return LinkFiles(ctx, *a, *b, *links, *one, *lthreads);
  }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(35, AddLinkCommands);

}  // namespace izde::cli
