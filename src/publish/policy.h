// The publication policy (docs/formats/publish-policy.md): which fields of which record
// kinds may ever be public. Consent, recorded per testimony, still decides record by
// record; the policy can only narrow what consent allows, never widen it. Witness
// identities are never public, whatever the policy says.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "base/status.h"
#include "model/record.h"

namespace izde::publish {

struct Policy {
  // Per record kind, the fields that may be revealed. A kind that is absent publishes
  // nothing.
  std::map<model::RecordType, std::set<std::string>> fields;
  // Testimony text on entry pages is cut after this many characters (the full consented
  // text stays in the proof bundle and the open files).
  size_t excerpt_chars = 600;
  // Copy consented photos and videos into the site, metadata stripped.
  bool media = true;
  // Re-encode them too (photos and videos are otherwise copied with metadata removed only).
  bool reencode_media = false;

  bool Allows(model::RecordType type, std::string_view field) const;
};

// What every field could be at most: the publication API's consented fields.
Policy DefaultPolicy();

// The default policy as a publish.toml file, with comments.
std::string DefaultPolicyText();

// Parses publish.toml. Errors name the file and line: an unknown record kind, an unknown
// or never-publishable field, a witness table, a value of the wrong type.
Result<Policy> ParsePolicy(std::string_view text, const std::string& file_name);

}  // namespace izde::publish
