// `izde stats` and `izde report press|case|wgeid`: counts, charts and printable files
// from a vault (docs/reports.md). Files are written only where the user says.
#include <chrono>
#include <ctime>
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "report/case_file.h"
#include "report/charts.h"
#include "report/holdings.h"
#include "report/person_facts.h"
#include "report/report_language.h"
#include "report/stats.h"

// Fontconfig (under cairo, pango and librsvg) keeps its font caches for the life of the
// process, by design; under LeakSanitizer (the CI's sanitizer run) they would read as
// leaks of every izde run that draws a chart or a PDF. Only these libraries are exempt.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace izde::cli {
namespace {

struct StatsArgs {
  std::string by = "status";
  bool json = false, csv = false;
  std::string chart;
};

Status Stats(const Context& ctx, const StatsArgs& a) {
  IZDE_ASSIGN_OR_RETURN(report::Dimension by, report::ParseDimension(a.by));
  if ((a.json || ctx.json) && a.csv)
    return Status::InvalidInput("choose --json or --csv, not both");
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(report::Holdings holdings, report::LoadHoldings(*v));
  v->Lock();
  const report::Tally tally = report::Count(holdings, report::AllFacts(holdings), by);
  if (!a.chart.empty()) IZDE_RETURN_IF_ERROR(report::WriteChart(report::ChartOf(tally), a.chart));
  if (a.json || ctx.json)
    PrintJson(report::ToJson(tally));
  else if (a.csv)
    std::cout << report::ToCsv(tally);
  else if (!ctx.quiet)
    std::cout << report::ToText(tally);
  return Status::Ok();
}

// Today's date in UTC, for "prepared on".
std::string Today() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

struct CaseArgs {
  std::string person, out, lang = "en";
};

Status CaseFile(const Context& ctx, const CaseArgs& a) {
  if (!report::IsReportLanguage(a.lang))
    return Status::InvalidInput("no case file language '" + a.lang +
                                "': choose en, ru, kk, ug or zh");
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(report::Holdings holdings, report::LoadHoldings(*v));
  const report::CaseLedger ledger = report::LedgerOf(*v);
  v->Lock();
  IZDE_ASSIGN_OR_RETURN(auto doc, report::BuildCaseFile(holdings, a.person, ledger,
                                                        {.lang = a.lang, .prepared_on = Today()}));
  IZDE_RETURN_IF_ERROR(doc->Save(a.out));
  if (ctx.json)
    PrintJson({{"case_file", a.out}, {"person", a.person}, {"lang", a.lang}});
  else if (!ctx.quiet)
    std::cout << "Wrote the case file of " << a.person << " to " << a.out
              << ". It names a person at risk: keep it safe.\n";
  return Status::Ok();
}

void AddReportCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto args = std::make_shared<StatsArgs>();
  auto* stats = app.add_subcommand(
      "stats", "Count people (not records) by status, place, year, facility, event, age or gender");
  stats->add_option("--by", args->by, "What to count by: " + report::DimensionList());
  stats->add_flag("--json", args->json, "Machine-readable output");
  stats->add_flag("--csv", args->csv, "CSV output (key,label,people)");
  stats->add_option("--chart", args->chart,
                    "Also draw the counts to FILE.svg or FILE.png (a map for --by prefecture, "
                    "a timeline for month and year)");
  stats->callback(Guard(out, [&ctx, args] { return Stats(ctx, *args); }));

  auto* rep = app.add_subcommand(
      "report", "Printable PDF files: press summary, case file, UN WGEID submission");
  rep->require_subcommand(1);
  auto case_args = std::make_shared<CaseArgs>();
  auto* cas = rep->add_subcommand(
      "case",
      "A case file of one person for a relative or a lawyer: identity, relatives, timeline "
      "with sources, evidence hashes, ledger proof, signature lines. SENSITIVE: it names the "
      "person and their identity numbers; write it only to a safe place and never post it");
  cas->add_option("person", case_args->person, "The person's record id")->required();
  cas->add_option("--out", case_args->out, "The PDF file to write")->required();
  cas->add_option("--lang", case_args->lang, "Language: en, ru, kk, ug or zh");
  cas->callback(Guard(out, [&ctx, case_args] { return CaseFile(ctx, *case_args); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(65, AddReportCommands);

}  // namespace izde::cli
