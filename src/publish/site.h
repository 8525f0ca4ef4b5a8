// `izde publish`: the static site and open files from a public bundle
// (docs/formats/publish-site.md). Everything published is derived from the bundle,
// which holds only consented fields narrowed by the policy; the one other input is the
// consented media files, copied with their metadata stripped.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "identity/identity_clusters.h"
#include "ledger/bundle.h"
#include "publish/policy.h"
#include "report/undocumented.h"

namespace izde::publish {

// What the statistics page counts with besides the bundle; PublishVault fills it from
// the vault. Neither is published as such: the clusters only merge published entries
// into counted people, and the estimate is an aggregate over the whole vault.
struct SiteStatistics {
  // Which person records reviewers linked as one person (report/counted_people.h).
  identity::IdentityClusters clusters;
  // The estimate of the undocumented; absent: the page says nothing about it.
  std::optional<report::UndocumentedEstimate> undocumented;
};

struct SiteOptions {
  std::vector<std::string> languages;  // empty: all five
  // Writes the original bytes of an evidence file to a path (Vault::ExtractEvidence).
  // Null: no media files are published, only their hashes.
  std::function<Status(const std::string& evidence_id, const std::string& path)> extract_media;
  std::function<void(size_t done, size_t total)> progress;
  // Checks the bundle (PublishVault: verifies it as a third party would). Runs beside the
  // writing when the site is written into a fresh folder, which is put in place only if
  // it succeeds; before anything is written when the site is written in place.
  std::function<Status()> verify;
  // When the new site replaces an earlier one: false, the earlier one is deleted before
  // WriteSite returns; true, it is renamed aside (".<name>.izde-old.<pid>.<time>") and a
  // background `rm -rf` deletes it (izde publish: the new site is usable at once).
  bool delete_previous_in_background = false;
  SiteStatistics statistics;
  // When set, computes `statistics` instead (PublishVault: identity clusters and the
  // estimate, from what the bundle's pass read), beside the writing of the other files.
  std::function<SiteStatistics()> compute_statistics;
};

struct SitePhase {
  std::string name;
  double wall = 0, cpu = 0;  // seconds
  // A part of the next step that is not `within`, run beside the other parts on two
  // threads: its wall and CPU time are that thread's, summed over its pieces.
  bool within = false;
};

struct SiteSummary {
  size_t people = 0, records = 0, files = 0, bytes = 0;
  size_t media = 0;
  std::vector<std::string> warnings;  // media that could not be published, with why
  size_t index_terms = 0, index_keys = 0, index_bytes = 0;
  // Time per step ("bundle", "verify", "pages", ...), in order, for bench/publish.
  std::vector<SitePhase> phases;
};

// Wall and CPU time (the whole process's, user + system) per step, for
// SiteSummary::phases.
struct PhaseClock {
  static double CpuSeconds() {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  }
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  double last_cpu = CpuSeconds();
  std::vector<SitePhase> phases;
  void Lap(std::string name) {
    const auto now = std::chrono::steady_clock::now();
    const double cpu = CpuSeconds();
    phases.push_back(
        {std::move(name), std::chrono::duration<double>(now - last).count(), cpu - last_cpu});
    last = now;
    last_cpu = cpu;
  }
};

// The name of the marker file that makes an output directory replaceable.
inline constexpr const char* kSiteMarker = ".izde-site";

// Writes the site into `out_dir`, which must not exist, be empty, or hold an earlier
// izde site (its marker file); an earlier site is replaced. The new site is written into
// a sibling folder and swapped in when complete (see PrepareOutput in site.cc), so a
// failure leaves the earlier site as it was.
Result<SiteSummary> WriteSite(const ledger::Bundle& bundle, const Policy& policy,
                              const std::string& out_dir, const SiteOptions& options = {});

}  // namespace izde::publish
