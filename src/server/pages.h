// The models of the pages: plain JSON for the templates, built from an
// unlocked vault. Labels of enumerations come from the catalog of `lang`;
// every value is escaped when the template renders it.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "base/status.h"
#include "server/intake_form.h"
#include "server/record_links.h"
#include "vault/vault.h"

namespace izde::server {

// Who is looking at a page: decides which records it may show. A record is
// shown when its type is not witness or the viewer holds the witness grant,
// and the viewer reads everything or wrote the record or had it shared.
struct Viewer {
  std::string account_id;
  bool read_all = true;
  bool witness = false;
  std::set<std::string> shared;  // record ids shared with this account
  const RecordLinks* links = nullptr;

  bool MayRead(const std::string& id, const std::string& type) const;
  // The latest version of `id` if this viewer may read it, else NotFound.
  Result<vault::OpenedVersion> Open(vault::Vault& v, const std::string& id) const;
};

// The first name form of a person or facility, else the record's kind or id.
std::string RecordTitle(const model::Record& r);

// What a list shows for a record: the title of a person or facility; for an
// event, relation or testimony its kind, date and place ("detained, 2017,
// Turpan") in `lang`; else RecordTitle.
std::string RecordCaption(const model::Record& r, const std::string& lang);

// "/person/ID" for people, "/record/ID" for the rest.
std::string RecordHref(const std::string& type, const std::string& id);

Result<nlohmann::json> DashboardModel(vault::Vault& v, const RecordLinks& links,
                                      const Viewer& viewer, const std::string& lang);
// A search: the index's hits (OpenVaults::Search, SearchLimit of them), then those the
// viewer may read, best first, at most 50 (KeepVisible). With facets (search_facets.h),
// only people who meet them: more hits are asked of the index and each is checked.
// KeepVisible needs the vault, under its lock, when SearchNeedsVault says so (documenters'
// records are told by the links, facets open records, witness reads are audited); else
// it takes a null vault.
struct SearchFacets;
size_t SearchLimit(const Viewer& viewer, const SearchFacets* facets);
bool SearchNeedsVault(const Viewer& viewer, const SearchFacets* facets,
                      const std::vector<index::Hit>& found);
Result<std::vector<index::Hit>> KeepVisible(vault::Vault* v, std::vector<index::Hit> found,
                                            const Viewer& viewer, const SearchFacets* facets,
                                            const RecordLinks* links);
// The search page's model of those hits. Also lists, in "witness_ids", the witness
// records it shows (for the audit trail).
nlohmann::json SearchModel(const std::vector<index::Hit>& hits, const std::string& query,
                           const std::string& lang);
// People the viewer may read who may be the person called `name`: the search's person
// hits, and with `same_name` only those whose name forms names::Compare finds to be the
// same name (across scripts). Each: id, href, names (every form), birth_date, hometown.
Result<nlohmann::json> PeopleNamed(vault::Vault& v, const Viewer& viewer, const std::string& name,
                                   size_t limit, bool same_name);

// The person, their events as a timeline in date order (undated last), the
// relations and testimonies that name them. NotFound if `id` is not a person.
Result<nlohmann::json> PersonModel(vault::Vault& v, const RecordLinks& links, const Viewer& viewer,
                                   const std::string& id, const std::string& lang);
// Sets "is_witness" when the record is a witness (for the audit trail).
Result<nlohmann::json> RecordModel(vault::Vault& v, const Viewer& viewer, const std::string& id,
                                   const std::string& lang);

// The intake forms, filled with what was submitted and the errors.
nlohmann::json PersonFormModel(const IntakeForm& form, const std::string& lang);
nlohmann::json EventFormModel(const IntakeForm& form, const std::string& lang);

}  // namespace izde::server
