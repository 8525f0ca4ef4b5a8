#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"
#include "demo/synthetic_people.h"

namespace izde::cli {

namespace {

void AddDemoCommand(CLI::App& app, Context& ctx, Outcome& out) {
  auto opts = std::make_shared<demo::DemoOptions>();
  auto* demo = app.add_subcommand(
      "demo", "Fill the vault with synthetic people, families, testimonies and events");
  demo->add_option("--people", opts->people, "How many synthetic people");
  demo->add_option("--seed", opts->seed, "Random seed (the same seed gives the same data)");
  demo->add_option("--duplicates", opts->duplicates,
                   "Also document this many people a second time, from another source "
                   "(cross-script duplicates for izde link and the review queue)");
  demo->add_option("--sought", opts->sought,
                   "Also add this many relatives' inquiries (sought people) that match "
                   "someone documented");
  demo->callback(Guard(out, [&ctx, opts] {
    auto records = demo::SyntheticVault(*opts);
    IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
    ProgressBar bar("Saving synthetic records");
    IZDE_ASSIGN_OR_RETURN(size_t written, v->SaveAll(std::move(records), [&](size_t d, size_t t) {
      bar.Update(d, t);
    }));
    bar.Finish();
    if (ctx.json)
      PrintJson({{"saved", written}, {"people", opts->people}});
    else if (!ctx.quiet)
      std::cout << "Saved " << written << " synthetic records (" << opts->people
                << " people with families, witnesses, testimonies and events). None of them "
                   "is a real person.\n";
    return Status::Ok();
  }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(40, AddDemoCommand);

}  // namespace izde::cli
