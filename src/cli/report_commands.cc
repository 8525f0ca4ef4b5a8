// `izde stats` and `izde report press|case|wgeid`: counts, charts and printable files
// from a vault (docs/reports.md). Files are written only where the user says.
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "report/charts.h"
#include "report/holdings.h"
#include "report/person_facts.h"
#include "report/stats.h"

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
}

}  // namespace

IZDE_REGISTER_COMMANDS(65, AddReportCommands);

}  // namespace izde::cli
