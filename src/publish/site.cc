#include "publish/site.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "publish/media.h"
#include "publish/open_files.h"
#include "publish/public_dataset.h"
#include "publish/search_index.h"
#include "publish/site_pages.h"
#include "publish/site_text.h"
#include "server/catalog.h"

namespace izde::publish {
namespace {

namespace fs = std::filesystem;

class Writer {
 public:
  Writer(fs::path root, SiteSummary& summary) : root_(std::move(root)), summary_(summary) {}
  Status Write(const std::string& rel, std::string_view content) {
    fs::path p = root_ / rel;
    fs::path dir = p.parent_path();
    if (made_.insert(dir.string()).second) {
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec) return Status::Io("cannot create " + dir.string() + ": " + ec.message());
    }
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!f) return Status::Io("cannot write " + p.string());
    ++summary_.files;
    summary_.bytes += content.size();
    return Status::Ok();
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
  SiteSummary& summary_;
  std::set<std::string> made_;
};

Status PrepareOutput(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec)) {
    fs::create_directories(out, ec);
    if (ec) return Status::Io("cannot create " + out.string() + ": " + ec.message());
    return Status::Ok();
  }
  if (!fs::is_directory(out, ec)) return Status::AlreadyExists(out.string() + " is not a folder");
  if (fs::is_empty(out, ec)) return Status::Ok();
  if (!fs::exists(out / kSiteMarker, ec))
    return Status::AlreadyExists(out.string() +
                                 " is not empty and holds no earlier izde site; give an empty or "
                                 "new folder");
  // The marker goes last (it is rewritten first), so an interrupted clearing leaves a
  // folder that the next run still recognises as its own.
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().filename() == kSiteMarker) continue;
    fs::remove_all(e.path(), ec);
    if (ec) return Status::Io("cannot clear " + e.path().string() + ": " + ec.message());
  }
  return Status::Ok();
}

// Defence in depth: the bundle must reveal nothing the policy forbids.
Status CheckAgainstPolicy(const ledger::Bundle& bundle, const Policy& policy) {
  for (const auto& r : bundle.records) {
    auto type = model::ParseType(r.type);
    if (!type || *type == model::RecordType::kWitness || *type == model::RecordType::kSource)
      return Status::PermissionDenied("the bundle holds a " + r.type + " record (" + r.id +
                                      "), which is never published");
    for (const auto& f : r.revealed)
      if (!policy.Allows(*type, f.name))
        return Status::PermissionDenied("the bundle reveals field " + f.name + " of " + r.id +
                                        ", which the publication policy does not allow");
  }
  return Status::Ok();
}

Status PublishMedia(const PublicDataset& data, const Policy& policy, const SiteOptions& options,
                    Writer& out, std::map<std::string, std::string>& media, SiteSummary& summary) {
  if (!policy.media || !options.extract_media) return Status::Ok();
  // Originals are written to a private folder inside the output and removed at once.
  const fs::path tmp = out.root() / ".izde-tmp";
  std::error_code ec;
  fs::create_directories(tmp, ec);
  if (ec) return Status::Io("cannot create " + tmp.string());
  fs::permissions(tmp, fs::perms::owner_all, ec);
  for (const auto& r : data.records) {
    if (r.type != model::RecordType::kEvidence) continue;
    const std::string type = r.Text("media_type");
    const std::string ext = ExtensionOf(type, policy.reencode_media);
    if (ext.empty()) continue;
    const fs::path original = tmp / "original";
    Status s = options.extract_media(r.id, original.string());
    const std::string rel = "media/" + FileNameOf(r.id) + ext;
    if (s.ok()) {
      fs::create_directories(out.root() / "media", ec);
      s = StripMedia(original.string(), (out.root() / rel).string(), type, policy.reencode_media);
    }
    fs::remove(original, ec);
    if (!s.ok()) {
      summary.warnings.push_back("evidence " + r.id + " (" + type +
                                 ") not published as a file: " + s.message());
      continue;
    }
    media[r.id] = rel;
    ++summary.media;
    ++summary.files;
    summary.bytes += fs::file_size(out.root() / rel, ec);
  }
  fs::remove_all(tmp, ec);
  return Status::Ok();
}

// The pages of every language; languages are spread over up to two threads (pages are
// independent, and writing 100,000 entries in five languages is most of the work).
Status WritePages(const SiteContext& site, const std::vector<std::string>& langs,
                  const std::string& out_dir, const SiteOptions& options, SiteSummary& summary) {
  const size_t total = langs.size() * site.data->people.size();
  std::atomic<size_t> done{0};
  std::mutex progress_mu;
  auto one_language = [&](const std::string& lang, SiteSummary& counts) -> Status {
    Writer out(out_dir, counts);
    Words w(lang);
    IZDE_RETURN_IF_ERROR(out.Write(lang + "/index.html", HomePage(site, w)));
    IZDE_RETURN_IF_ERROR(out.Write(lang + "/search.html", SearchPage(site, w)));
    IZDE_RETURN_IF_ERROR(out.Write(lang + "/statistics.html", StatisticsPage(site, w)));
    for (const auto& [path, svg] : StatisticsCharts(site, w))
      IZDE_RETURN_IF_ERROR(out.Write(lang + "/" + path, svg));
    IZDE_RETURN_IF_ERROR(out.Write(lang + "/verify.html", VerifyPage(site, w)));
    for (size_t page = 1; page <= PeoplePageCount(site); ++page)
      IZDE_RETURN_IF_ERROR(
          out.Write(lang + "/people/" + std::to_string(page) + ".html", PeoplePage(site, page, w)));
    for (const auto& e : site.data->people) {
      IZDE_RETURN_IF_ERROR(
          out.Write(lang + "/p/" + FileNameOf(e.person->id) + ".html", EntryPage(site, e, w)));
      size_t d = ++done;
      if (options.progress && (d % 1024 == 0 || d == total)) {
        std::lock_guard<std::mutex> lock(progress_mu);
        options.progress(d, total);
      }
    }
    return Status::Ok();
  };
  const size_t threads =
      std::min<size_t>({langs.size(), 2, std::max(1u, std::thread::hardware_concurrency())});
  std::vector<Status> results(threads);
  std::vector<SiteSummary> counts(threads);
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (size_t i = t; i < langs.size(); i += threads) {
        results[t] = one_language(langs[i], counts[t]);
        if (!results[t].ok()) return;
      }
    });
  for (auto& th : pool) th.join();
  for (size_t t = 0; t < threads; ++t) {
    IZDE_RETURN_IF_ERROR(results[t]);
    summary.files += counts[t].files;
    summary.bytes += counts[t].bytes;
  }
  return Status::Ok();
}

}  // namespace

Result<SiteSummary> WriteSite(const ledger::Bundle& bundle, const Policy& policy,
                              const std::string& out_dir, const SiteOptions& options) {
  PhaseClock clock;
  IZDE_RETURN_IF_ERROR(CheckAgainstPolicy(bundle, policy));
  IZDE_ASSIGN_OR_RETURN(PublicDataset data, ReadBundle(bundle));
  clock.Lap("read bundle");
  std::vector<std::string> langs = options.languages;
  if (langs.empty())
    for (const auto& l : server::Languages()) langs.emplace_back(l.code);
  for (const auto& l : langs)
    if (!server::IsLanguage(l)) return Status::InvalidInput("unknown language '" + l + "'");

  IZDE_RETURN_IF_ERROR(PrepareOutput(out_dir));
  clock.Lap("clear output");
  SiteSummary summary;
  summary.people = data.people.size();
  summary.records = data.records.size();
  Writer out(out_dir, summary);
  IZDE_RETURN_IF_ERROR(out.Write(kSiteMarker, "izde published site\n"));

  SiteContext site;
  site.data = &data;
  site.policy = &policy;
  site.statistics = &options.statistics;
  IZDE_RETURN_IF_ERROR(PublishMedia(data, policy, options, out, site.media, summary));
  clock.Lap("media");

  // Proofs: the bundle every page's claims rest on, its key and checkpoint.
  IZDE_RETURN_IF_ERROR(out.Write(kBundlePath, bundle.Format()));
  IZDE_RETURN_IF_ERROR(out.Write(kKeyPath, bundle.log_key + "\n"));
  IZDE_RETURN_IF_ERROR(out.Write("proof/checkpoint.txt", bundle.checkpoint));

  // Open files.
  auto tables = OpenTables(data, site.media);
  for (const auto& t : tables)
    IZDE_RETURN_IF_ERROR(out.Write("data/" + t.name + ".csv", CsvFile(t)));
  IZDE_RETURN_IF_ERROR(out.Write("data/people.json", PeopleJson(data)));
  IZDE_RETURN_IF_ERROR(out.Write("data/entities.ftm.json", FollowTheMoney(data)));
  IZDE_RETURN_IF_ERROR(WriteXlsx(tables, (out.root() / "data/izde-open-data.xlsx").string()));
  ++summary.files;
  IZDE_RETURN_IF_ERROR(out.Write("data/README.md", OpenDataReadme(tables, true)));
  clock.Lap("proof and open files");

  // Search index.
  auto index = BuildSearchIndex(data);
  summary.index_terms = index.terms;
  summary.index_keys = index.keys;
  for (const auto& [path, content] : index.files) {
    summary.index_bytes += content.size();
    IZDE_RETURN_IF_ERROR(out.Write(path, content));
  }
  clock.Lap("search index");

  // Assets and pages.
  for (const char* a : {"site.css", "search.js"}) {
    auto text = Asset(std::string("static/") + a);
    if (!text) return Status::Corrupt(std::string("asset ") + a + " is not compiled in");
    IZDE_RETURN_IF_ERROR(out.Write(std::string("assets/") + a, *text));
  }
  IZDE_RETURN_IF_ERROR(out.Write("index.html", RootPage(site)));
  IZDE_RETURN_IF_ERROR(WritePages(site, langs, out_dir, options, summary));
  clock.Lap("pages");
  summary.phases = std::move(clock.phases);
  return summary;
}

}  // namespace izde::publish
