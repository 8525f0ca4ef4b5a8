// `izde stats` and `izde report press|case|wgeid`: counts, charts and printable files
// from a vault (docs/reports.md). Files are written only where the user says.
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/guard.h"
#include "report/case_file.h"
#include "report/charts.h"
#include "report/holdings.h"
#include "report/person_facts.h"
#include "report/press_summary.h"
#include "report/report_language.h"
#include "report/stats.h"
#include "report/undocumented.h"
#include "report/wgeid.h"

// Fontconfig (under cairo, pango and librsvg) keeps its font caches for the life of the
// process, by design; under LeakSanitizer (the CI's sanitizer run) they would read as
// leaks of every izde run that draws a chart or a PDF; cairo likewise keeps its glyph
// caches. Only these libraries are exempt.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

namespace izde::cli {
namespace {

struct StatsArgs {
  std::string by = "status";
  bool json = false, csv = false, no_estimate = false;
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
  // The estimate goes with the text and JSON (not the CSV, whose rows are the counts).
  const bool estimate = !a.no_estimate && !a.csv && (a.json || ctx.json || !ctx.quiet);
  std::optional<report::UndocumentedEstimate> undocumented;
  if (estimate) undocumented = report::EstimateUndocumented(holdings);
  if (a.json || ctx.json) {
    nlohmann::json j = report::ToJson(tally);
    if (undocumented) j["undocumented"] = report::ToJson(*undocumented);
    PrintJson(j);
  } else if (a.csv) {
    std::cout << report::ToCsv(tally);
  } else if (!ctx.quiet) {
    std::cout << report::ToText(tally);
    if (undocumented) std::cout << "\n" << report::ToText(*undocumented);
  }
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

struct PressArgs {
  std::string out, lang = "en";
};

Status Press(const Context& ctx, const PressArgs& a) {
  if (!report::IsReportLanguage(a.lang))
    return Status::InvalidInput("no press summary language '" + a.lang +
                                "': choose en, ru, kk, ug or zh");
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(report::Holdings holdings, report::LoadHoldings(*v));
  const report::CaseLedger ledger = report::LedgerOf(*v);
  v->Lock();
  IZDE_ASSIGN_OR_RETURN(auto doc, report::BuildPressSummary(holdings, ledger, a.lang, Today()));
  IZDE_RETURN_IF_ERROR(doc->Save(a.out));
  if (ctx.json)
    PrintJson({{"press_summary", a.out}, {"lang", a.lang}});
  else if (!ctx.quiet)
    std::cout << "Wrote the press summary to " << a.out << ".\n";
  return Status::Ok();
}

struct WgeidArgs {
  std::string person, out, steps, steps_file, submitter, responsible;
  bool confidential = false, draft = false;
};

Status Wgeid(const Context& ctx, const WgeidArgs& a) {
  auto ends_with = [&](const std::string& suffix) {
    return a.out.size() >= suffix.size() &&
           a.out.compare(a.out.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const bool docx = ends_with(".docx");
  if (!docx && !ends_with(".pdf"))
    return Status::InvalidInput("the submission file must end in .pdf or .docx");
  report::WgeidStatement st{a.steps, a.submitter, a.confidential, a.responsible};
  if (!a.steps_file.empty()) {
    std::ifstream in(a.steps_file, std::ios::binary);
    if (!in) return Status::Io("cannot read '" + a.steps_file + "'");
    st.steps_taken.assign(std::istreambuf_iterator<char>(in), {});
  }
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(report::Holdings holdings, report::LoadHoldings(*v));
  const report::CaseLedger ledger = report::LedgerOf(*v);
  v->Lock();
  IZDE_ASSIGN_OR_RETURN(auto submission, report::AssembleWgeid(holdings, a.person, st, ledger));
  const auto missing = submission.Missing();
  if (ctx.json) {
    nlohmann::json elements = nlohmann::json::array();
    for (const auto& e : submission.elements) {
      elements.push_back({{"element", e.key},
                          {"required", e.required},
                          {"present", !e.value.empty()},
                          {"how_to_add", e.value.empty() ? e.how_to_add : ""}});
    }
    PrintJson({{"person", a.person},
               {"complete", missing.empty()},
               {"elements", elements},
               {"written", missing.empty() || a.draft ? a.out : ""}});
  } else if (!missing.empty()) {
    std::cerr << "The WGEID submission for " << a.person << " lacks " << missing.size()
              << " required element(s):\n"
              << report::MissingText(submission);
  }
  if (!missing.empty() && !a.draft) {
    return Status::InvalidInput(
        "nothing written: add the missing elements, or write a draft "
        "with --draft");
  }
  if (docx) {
    IZDE_ASSIGN_OR_RETURN(auto doc, report::WgeidDocx(submission, Today(), a.draft));
    IZDE_RETURN_IF_ERROR(doc->Save(a.out));
  } else {
    IZDE_ASSIGN_OR_RETURN(auto doc, report::WgeidPdf(submission, Today(), a.draft));
    IZDE_RETURN_IF_ERROR(doc->Save(a.out));
  }
  if (!ctx.json && !ctx.quiet)
    std::cout << "Wrote the " << (missing.empty() ? "" : "DRAFT ") << "WGEID submission for "
              << a.person << " to " << a.out << ". It names a person at risk: keep it safe.\n";
  return Status::Ok();
}

void AddReportCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto args = std::make_shared<StatsArgs>();
  auto* stats = app.add_subcommand(
      "stats", "Count people (not records) by status, place, year, facility, event, age or gender");
  stats->add_option("--by", args->by, "What to count by: " + report::DimensionList());
  stats->add_flag("--json", args->json, "Machine-readable output");
  stats->add_flag("--csv", args->csv, "CSV output (key,label,people)");
  stats->add_flag("--no-estimate", args->no_estimate,
                  "Leave out the estimate of the undocumented (shown by default with the text "
                  "and JSON when the vault has two or more lists)");
  stats->add_option("--chart", args->chart,
                    "Also draw the counts to FILE.svg or FILE.png (a map for --by prefecture, "
                    "a timeline for month and year)");
  stats->callback(Guard(out, [&ctx, args] { return Stats(ctx, *args); }));

  auto* rep = app.add_subcommand(
      "report", "Printable PDF files: press summary, case file, UN WGEID submission");
  rep->require_subcommand(1);
  auto press_args = std::make_shared<PressArgs>();
  auto* press = rep->add_subcommand(
      "press",
      "A one-page summary for a press conference: key numbers (people, not records), "
      "a map, detentions by year, the verification note. Names nobody");
  press->add_option("--out", press_args->out, "The PDF file to write")->required();
  press->add_option("--lang", press_args->lang, "Language: en, ru, kk, ug or zh");
  press->callback(Guard(out, [&ctx, press_args] { return Press(ctx, *press_args); }));

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

  auto w = std::make_shared<WgeidArgs>();
  auto* wgeid = rep->add_subcommand(
      "wgeid",
      "A submission to the UN Working Group on Enforced or Involuntary Disappearances "
      "(PDF or DOCX, English). Missing required elements are listed and nothing is written unless "
      "--draft. SENSITIVE: it names the person; keep it safe");
  wgeid->add_option("person", w->person, "The person's record id")->required();
  wgeid
      ->add_option("--out", w->out,
                   "The file to write: FILE.pdf, or FILE.docx to edit in a word processor")
      ->required();
  wgeid->add_option("--steps", w->steps, "Steps the family has taken (searches, complaints)");
  wgeid->add_option("--steps-file", w->steps_file, "... or read them from a text file");
  wgeid->add_option("--submitter", w->submitter, "The submitting organisation");
  wgeid->add_flag("--confidential", w->confidential,
                  "Ask the Working Group to keep the submitter's identity confidential");
  wgeid->add_option("--responsible", w->responsible,
                    "Forces believed responsible, when no event records an agency");
  wgeid->add_flag("--draft", w->draft, "Write even when elements are missing, marking them");
  wgeid->callback(Guard(out, [&ctx, w] { return Wgeid(ctx, *w); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(65, AddReportCommands);

}  // namespace izde::cli
