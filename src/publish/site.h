// `izde publish`: the static site and open files from a public bundle
// (docs/formats/publish-site.md). Everything published is derived from the bundle,
// which holds only consented fields narrowed by the policy; the one other input is the
// consented media files, copied with their metadata stripped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/bundle.h"
#include "publish/policy.h"

namespace izde::publish {

struct SiteOptions {
  std::vector<std::string> languages;  // empty: all five
  // Writes the original bytes of an evidence file to a path (Vault::ExtractEvidence).
  // Null: no media files are published, only their hashes.
  std::function<Status(const std::string& evidence_id, const std::string& path)> extract_media;
  std::function<void(size_t done, size_t total)> progress;
};

struct SiteSummary {
  size_t people = 0, records = 0, files = 0, bytes = 0;
  size_t media = 0;
  std::vector<std::string> warnings;  // media that could not be published, with why
  size_t index_terms = 0, index_keys = 0, index_bytes = 0;
};

// The name of the marker file that makes an output directory replaceable.
inline constexpr const char* kSiteMarker = ".izde-site";

// Writes the site into `out_dir`, which must not exist, be empty, or hold an earlier
// izde site (its marker file); an earlier site is replaced.
Result<SiteSummary> WriteSite(const ledger::Bundle& bundle, const Policy& policy,
                              const std::string& out_dir, const SiteOptions& options = {});

}  // namespace izde::publish
