// Names, identifiers and estimation (from a counts file, or from the vault).
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "estimate/estimate.h"
#include "estimate/report.h"
#include "estimate/svg_plot.h"
#include "identity/capture_lists.h"
#include "ids/id_check.h"
#include "names/compare.h"
#include "names/explain.h"

namespace izde::cli {
namespace {

Status EstimateFromCounts(const Context& ctx, const std::string& counts, const std::string& method,
                          const std::string& criterion, const std::string& plot,
                          estimate::EstimateOptions options) {
  IZDE_ASSIGN_OR_RETURN(options.method, estimate::ParseMethod(method));
  IZDE_ASSIGN_OR_RETURN(options.criterion, estimate::ParseCriterion(criterion));
  IZDE_ASSIGN_OR_RETURN(auto table, estimate::ReadCaptureCounts(counts));
  IZDE_ASSIGN_OR_RETURN(auto report, estimate::Run(table, options));
  if (!plot.empty()) IZDE_RETURN_IF_ERROR(estimate::WriteSvgPlot(report, plot));
  if (ctx.json)
    PrintJson(estimate::ToJson(report));
  else
    std::cout << estimate::ToText(report);
  return Status::Ok();
}

// The vault's lists and identity clusters as the capture table (docs/estimation.md,
// "Estimating from a vault").
Status EstimateFromVault(const Context& ctx, const identity::CaptureOptions& captures,
                         const std::string& method, const std::string& criterion,
                         const std::string& plot, estimate::EstimateOptions options) {
  IZDE_ASSIGN_OR_RETURN(options.method, estimate::ParseMethod(method));
  IZDE_ASSIGN_OR_RETURN(options.criterion, estimate::ParseCriterion(criterion));
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(auto view, identity::VaultView::Read(*v));
  const auto clusters = identity::IdentityClusters::Build(view.PersonIds(), view.DecisionList());
  IZDE_ASSIGN_OR_RETURN(auto table, identity::CapturesFromVault(view, clusters, captures));
  IZDE_ASSIGN_OR_RETURN(auto report, identity::EstimateFromVault(table, options));
  if (!plot.empty()) IZDE_RETURN_IF_ERROR(estimate::WriteSvgPlot(report, plot));
  if (ctx.json)
    PrintJson(estimate::ToJson(report));
  else
    std::cout << "From the vault: " << table.people << " person records on the chosen lists, "
              << table.clusters << " people after linkage.\n"
              << estimate::ToText(report);
  return Status::Ok();
}

}  // namespace

namespace {

void AddAnalysisCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto* names = app.add_subcommand("names", "How izde reads and compares names across scripts");
  names->require_subcommand(1);
  auto a = std::make_shared<std::string>(), b = std::make_shared<std::string>();
  auto* explain =
      names->add_subcommand("explain", "Scripts, transliterations, parts and keys of a name");
  explain->add_option("name", *a, "A name in any script")->required();
  explain->callback(Guard(out, [&ctx, a] {
    IZDE_ASSIGN_OR_RETURN(auto e, names::Explain(*a));
    if (ctx.json)
      PrintJson(names::ToJson(e));
    else
      std::cout << names::ToText(e);
    return Status::Ok();
  }));
  auto* compare =
      names->add_subcommand("compare", "Whether two written names can be the same name, and why");
  compare->add_option("first", *a)->required();
  compare->add_option("second", *b)->required();
  compare->callback(Guard(out, [&ctx, a, b] {
    IZDE_ASSIGN_OR_RETURN(auto c, names::Compare(*a, *b));
    if (ctx.json)
      PrintJson(names::ToJson(c));
    else
      std::cout << names::ToText(c);
    return Status::Ok();
  }));

  auto* ids = app.add_subcommand("ids", "Identity numbers: PRC resident ID, Kazakhstan IIN");
  ids->require_subcommand(1);
  auto* check = ids->add_subcommand("check", "Is the number valid, and what does it encode");
  check->add_option("number", *a)->required();
  check->callback(Guard(out, [&ctx, a] {
    auto c = ids::Check(*a);
    if (ctx.json)
      PrintJson(ids::ToJson(c));
    else
      std::cout << ids::ToText(c);
    return Status::Ok();
  }));

  auto counts = std::make_shared<std::string>();
  auto method = std::make_shared<std::string>("loglinear");
  auto criterion = std::make_shared<std::string>("bic");
  auto plot = std::make_shared<std::string>();
  auto opts = std::make_shared<estimate::EstimateOptions>();
  auto* est = app.add_subcommand(
      "estimate", "Multiple systems estimation: how many people are on none of the lists");
  auto captures = std::make_shared<identity::CaptureOptions>();
  est->add_option("--counts", *counts,
                  "CSV of capture patterns and counts (pattern,count); without it, the vault's "
                  "lists over its identity clusters");
  est->add_option("--lists", captures->lists, "Vault lists to use (source list names or kinds)")
      ->delimiter(',');
  est->add_option("--stratify", captures->stratify,
                  "Estimate per hometown, prefecture, birth-decade or gender and sum");
  est->add_option("--where", captures->where,
                  "Only people with event=KIND, year=YYYY[-YYYY], gender=, kind=, hometown=, "
                  "prefecture= (repeat)");
  est->add_option("--method", *method, "loglinear, lcmcr or dga");
  est->add_option("--criterion", *criterion, "bic or aic (loglinear)");
  est->add_option("--plot", *plot, "Draw the result to an SVG file");
  est->add_option("--seed", opts->seed, "Random seed (lcmcr)");
  est->add_option("--classes", opts->classes, "Latent classes K (lcmcr; 0 = automatic)");
  est->add_option("--chains", opts->chains, "Chains run in parallel (lcmcr)");
  est->add_option("--burn-in", opts->burn_in, "Burn-in sweeps (lcmcr)");
  est->add_option("--samples", opts->samples, "Posterior samples kept per chain (lcmcr)");
  est->add_option("--thinning", opts->thinning, "Sweeps between kept samples (lcmcr)");
  est->add_option("--delta", opts->delta, "Hyper-Dirichlet delta (dga; 0 = 2^-lists)");
  est->callback(Guard(out, [&ctx, counts, method, criterion, plot, opts, captures] {
    if (counts->empty())
      return EstimateFromVault(ctx, *captures, *method, *criterion, *plot, *opts);
    if (!captures->lists.empty() || !captures->stratify.empty() || !captures->where.empty())
      return Status::InvalidInput(
          "--lists, --stratify and --where choose from a vault; with --counts the table is "
          "already made");
    return EstimateFromCounts(ctx, *counts, *method, *criterion, *plot, *opts);
  }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(50, AddAnalysisCommands);

}  // namespace izde::cli
