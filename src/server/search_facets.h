// Search facets: narrowing a search's people by status (the kind of their latest
// event), hometown (any script: the gazetteer knows 伊宁 / Ghulja / Құлжа / غۇلجا as one
// place, and a prefecture takes in its counties), birth year or years, facility (a
// facility record's id or any of its names), source type and list (the sources of the
// events, testimonies and person record about them). Plain GET parameters, so they work
// without JavaScript. Values are only compared, never put into a query.
#pragma once

#include <httplib.h>

#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "server/pages.h"
#include "server/record_links.h"
#include "vault/vault.h"

namespace izde::server {

struct SearchFacets {
  std::string status;    // an event kind
  std::string hometown;  // a place, as written
  int birth_from = 0, birth_to = 0;
  std::string birth_text;   // as written: "1975" or "1970-1979"
  std::string facility;     // a facility id or name
  std::string source_type;  // a source kind
  std::string list;         // a source's list name

  bool any() const {
    return !status.empty() || !hometown.empty() || birth_from || !facility.empty() ||
           !source_type.empty() || !list.empty();
  }
};

// The facets of a request (GET parameters status, hometown, birth, facility, source,
// list). InvalidInput names the parameter when a value cannot be one: an unknown status
// or source type, a birth year that is not YYYY or YYYY-YYYY, a value over 200 bytes.
Result<SearchFacets> ParseFacets(const httplib::Request& req);

// Whether the person `person_id` (a record the viewer may read) meets every facet. The
// records read on the way are those the viewer may read; `cache` keeps them for the
// rest of one search.
class FacetMatcher {
 public:
  FacetMatcher(vault::Vault& v, const RecordLinks& links, const Viewer& viewer,
               const SearchFacets& facets);
  Result<bool> Matches(const model::Record& person);

 private:
  const model::Record* Open(const std::string& id);
  bool HometownMatches(const std::string& hometown) const;

  vault::Vault& v_;
  const RecordLinks& links_;
  const Viewer& viewer_;
  const SearchFacets& f_;
  std::string want_place_code_;  // the gazetteer's code for the hometown facet, if known
  std::map<std::string, std::optional<model::Record>> cache_;
};

// The select options of the facets, with the chosen values marked, in `lang`.
nlohmann::json FacetsModel(const SearchFacets& f, const std::string& lang);

}  // namespace izde::server
