// A submission to the UN Working Group on Enforced or Involuntary Disappearances
// (`izde report wgeid`). The Working Group asks for minimum elements before it can
// take up a case (docs/reports.md): full name and identifiers; date of disappearance;
// place of arrest or last sighting; the forces believed responsible; steps taken by the
// family; and who submits (kept confidential on request). AssembleWgeid says which of
// them the records hold and which are missing, so that a missing element is named
// before export, never left silently blank. The form is in English, a working language
// of the Working Group.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "report/case_file.h"
#include "report/docx_document.h"
#include "report/holdings.h"
#include "report/pdf_document.h"

namespace izde::report {

// What the records cannot say: the family's steps and the submitter.
struct WgeidStatement {
  std::string steps_taken;    // to find the person, with authorities, courts, ...
  std::string submitter;      // the organisation (or person) submitting
  bool confidential = false;  // the submitter's identity is not to be disclosed
  std::string responsible;    // forces believed responsible, when no event records an agency
};

struct WgeidElement {
  std::string key;    // "full_name", "identifiers", "date", "place", "responsible", ...
  std::string label;  // as the form prints it
  std::string value;  // empty when missing
  bool required = false;
  std::string how_to_add;  // for a missing element: what to record, and how
};

struct WgeidSubmission {
  std::string person_id;
  std::vector<WgeidElement> elements;              // in the form's order
  std::vector<std::vector<std::string>> timeline;  // date, what happened, where
  CaseLedger::Entry log_entry;
  bool logged = false;

  // Required elements with no value.
  std::vector<const WgeidElement*> Missing() const;
};

Result<WgeidSubmission> AssembleWgeid(const Holdings& holdings, const std::string& person_id,
                                      const WgeidStatement& statement, const CaseLedger& ledger);

// The form as a PDF. A submission with missing elements is drawn only as a draft, with
// every missing element marked; otherwise InvalidInput lists them.
Result<std::unique_ptr<PdfDocument>> WgeidPdf(const WgeidSubmission& submission,
                                              const std::string& prepared_on, bool draft);

// The same form as a Word document (docs/formats/docx.md), for groups that edit it
// before sending; the same rule on missing elements.
Result<std::unique_ptr<DocxDocument>> WgeidDocx(const WgeidSubmission& submission,
                                                const std::string& prepared_on, bool draft);

// "- date of disappearance: <how to add>" lines, for the CLI.
std::string MissingText(const WgeidSubmission& submission);

}  // namespace izde::report
