// The models of the pages: plain JSON for the templates, built from an
// unlocked vault. Labels of enumerations come from the catalog of `lang`;
// every value is escaped when the template renders it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "server/intake_form.h"
#include "server/record_links.h"
#include "vault/vault.h"

namespace izde::server {

// The first name form of a person or facility, else the record's kind or id.
std::string RecordTitle(const model::Record& r);

// "/person/ID" for people, "/record/ID" for the rest.
std::string RecordHref(const std::string& type, const std::string& id);

Result<nlohmann::json> DashboardModel(vault::Vault& v, const RecordLinks& links,
                                      const std::string& lang);
Result<nlohmann::json> SearchModel(vault::Vault& v, const std::string& query,
                                   const std::string& lang);
// The person, their events as a timeline in date order (undated last), the
// relations and testimonies that name them. NotFound if `id` is not a person.
Result<nlohmann::json> PersonModel(vault::Vault& v, const RecordLinks& links, const std::string& id,
                                   const std::string& lang);
Result<nlohmann::json> RecordModel(vault::Vault& v, const std::string& id, const std::string& lang);

// The intake forms, filled with what was submitted and the errors.
nlohmann::json PersonFormModel(const IntakeForm& form, const std::string& lang);
nlohmann::json EventFormModel(const IntakeForm& form, const std::string& lang);

}  // namespace izde::server
