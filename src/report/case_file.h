// A case file for one person (`izde report case`): identity, relatives, the timeline
// with its sources, the evidence files with their hashes, the ledger proof, and lines
// for signatures, in one of the five languages. For a relative or a lawyer to print and
// sign (a complaint, an appeal): it names the person and their identity numbers, so it
// is sensitive. It never names a witness: testimonies appear by id, date and place.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/status.h"
#include "report/holdings.h"
#include "report/pdf_document.h"
#include "vault/vault.h"

namespace izde::report {

// What the vault's tamper-evident log says about the records in a case file.
struct CaseLedger {
  struct Entry {
    uint64_t index = 0;
    uint64_t version = 0;
    std::string leaf_hex;
  };
  std::string origin;                    // the log's name, "izde.vault/<id>"
  std::string checkpoint;                // the latest signed checkpoint, verbatim
  std::map<std::string, Entry> entries;  // record or evidence id -> its latest log entry
};

CaseLedger LedgerOf(vault::Vault& vault);

struct CaseFileOptions {
  std::string lang = "en";
  std::string prepared_on;  // YYYY-MM-DD
};

// Draws the case file of `person_id` into a new document. NotFound when the vault has no
// such person (or the user may not read it).
Result<std::unique_ptr<PdfDocument>> BuildCaseFile(const Holdings& holdings,
                                                   const std::string& person_id,
                                                   const CaseLedger& ledger,
                                                   const CaseFileOptions& options);

// The name to head a person's papers with: the first full name form, else the first.
std::string DisplayName(const nlohmann::json& person_doc);

}  // namespace izde::report
