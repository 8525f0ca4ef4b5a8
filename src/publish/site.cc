#include "publish/site.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
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

extern char** environ;

namespace izde::publish {
namespace {

namespace fs = std::filesystem;

// Writes files under one folder, from any number of threads.
class Writer {
 public:
  explicit Writer(fs::path root) : root_(std::move(root)) {}
  Status Write(const std::string& rel, std::string_view content) {
    fs::path p = root_ / rel;
    IZDE_RETURN_IF_ERROR(MakeParent(p));
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status::Io("cannot create " + p.string() + ": " + std::strerror(errno));
    for (size_t at = 0; at < content.size();) {
      ssize_t n = ::write(fd, content.data() + at, content.size() - at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = errno;
        ::close(fd);
        return Status::Io("cannot write " + p.string() + ": " + std::strerror(err));
      }
      at += static_cast<size_t>(n);
    }
    if (::close(fd) != 0)
      return Status::Io("cannot write " + p.string() + ": " + std::strerror(errno));
    Count(content.size());
    return Status::Ok();
  }
  // A file written by someone else (the XLSX writer, media).
  void Count(size_t bytes) {
    ++files_;
    bytes_ += bytes;
  }
  Status MakeParent(const fs::path& p) {
    const std::string dir = p.parent_path().string();
    std::lock_guard<std::mutex> lock(mu_);
    if (made_.insert(dir).second) {
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec) return Status::Io("cannot create " + dir + ": " + ec.message());
    }
    return Status::Ok();
  }
  const fs::path& root() const { return root_; }
  size_t files() const { return files_; }
  size_t bytes() const { return bytes_; }

 private:
  fs::path root_;
  std::atomic<size_t> files_{0}, bytes_{0};
  std::mutex mu_;
  std::set<std::string> made_;
};

// Where the site is written. Normally a fresh sibling folder (".<name>.izde-new"),
// swapped with the output folder when everything is written and verified: the previous
// site stays whole until then, and is not deleted before the new one is written. When
// no sibling can be made (the output is a mount point, or its parent is not writable),
// the output folder is cleared and written in place.
struct Output {
  fs::path out;      // the folder the user named
  fs::path staging;  // where the files go; == out when written in place
  bool in_place() const { return staging == out; }
};

Status ClearSite(const fs::path& dir) {
  // The marker goes last (it is rewritten first), so an interrupted clearing leaves a
  // folder that the next run still recognises as its own.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename() == kSiteMarker) continue;
    fs::remove_all(e.path(), ec);
    if (ec) return Status::Io("cannot clear " + e.path().string() + ": " + ec.message());
  }
  if (ec) return Status::Io("cannot read " + dir.string() + ": " + ec.message());
  return Status::Ok();
}

Result<Output> PrepareOutput(const fs::path& given) {
  std::error_code ec;
  fs::path out = fs::absolute(given, ec).lexically_normal();
  if (ec) return Status::Io("cannot resolve " + given.string() + ": " + ec.message());
  if (!out.has_filename()) out = out.parent_path();
  // A link to the site's folder stays a link: the folder it names is replaced.
  if (fs::is_symlink(fs::symlink_status(out, ec))) {
    out = fs::canonical(out, ec);
    if (ec) return Status::Io("cannot resolve " + given.string() + ": " + ec.message());
  }
  ec.clear();
  const bool exists = fs::exists(out, ec);
  if (exists) {
    if (!fs::is_directory(out, ec)) return Status::AlreadyExists(out.string() + " is not a folder");
    if (!fs::is_empty(out, ec) && !fs::exists(out / kSiteMarker, ec))
      return Status::AlreadyExists(out.string() +
                                   " is not empty and holds no earlier izde site; give an empty or "
                                   "new folder");
  }
  const fs::path parent = out.parent_path();
  fs::create_directories(parent, ec);
  if (ec) return Status::Io("cannot create " + parent.string() + ": " + ec.message());
  struct stat st_out {
  }, st_parent{};
  const bool mount_point = exists && ::stat(out.c_str(), &st_out) == 0 &&
                           ::stat(parent.c_str(), &st_parent) == 0 &&
                           st_out.st_dev != st_parent.st_dev;
  fs::path staging = parent / ("." + out.filename().string() + ".izde-new");
  if (!mount_point && out != parent) {
    // A sibling left by an interrupted run is ours only if it is marked or empty.
    if (fs::exists(staging, ec)) {
      if (!fs::exists(staging / kSiteMarker, ec) && !fs::is_empty(staging, ec))
        return Status::AlreadyExists(staging.string() +
                                     " exists and is not an izde site; remove it or publish "
                                     "elsewhere");
      fs::remove_all(staging, ec);
      if (ec) return Status::Io("cannot remove " + staging.string() + ": " + ec.message());
    }
    if (::mkdir(staging.c_str(), 0755) == 0) {
      // The new folder takes the old one's mode, owner and group where it can (a web
      // server's group, say), as writing into the old folder kept them.
      if (exists) {
        (void)!::chmod(staging.c_str(), st_out.st_mode & 07777);
        (void)!::chown(staging.c_str(), st_out.st_uid, st_out.st_gid);
      }
      return Output{out, staging};
    }
  }
  // In place.
  if (!exists) {
    fs::create_directories(out, ec);
    if (ec) return Status::Io("cannot create " + out.string() + ": " + ec.message());
  } else {
    IZDE_RETURN_IF_ERROR(ClearSite(out));
  }
  return Output{out, out};
}

// Puts the staged site in place of the output folder, atomically where the file system
// can (renameat2 RENAME_EXCHANGE), then deletes the previous site, or has `rm` delete it
// in the background.
Status CommitOutput(const Output& o, bool background_delete, SiteSummary& summary) {
  if (o.in_place()) return Status::Ok();
  std::error_code ec;
  if (!fs::exists(o.out, ec) || fs::is_empty(o.out, ec)) {
    if (::rename(o.staging.c_str(), o.out.c_str()) != 0)
      return Status::Io("cannot move " + o.staging.string() + " to " + o.out.string() + ": " +
                        std::strerror(errno));
    return Status::Ok();
  }
  fs::path old = o.staging;
  if (::renameat2(AT_FDCWD, o.staging.c_str(), AT_FDCWD, o.out.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
      return Status::Io("cannot put the new site in place of " + o.out.string() + ": " +
                        std::strerror(errno));
    old = o.out.parent_path() / ("." + o.out.filename().string() + ".izde-old");
    fs::remove_all(old, ec);
    if (::rename(o.out.c_str(), old.c_str()) != 0 ||
        ::rename(o.staging.c_str(), o.out.c_str()) != 0)
      return Status::Io("cannot put the new site in place of " + o.out.string() + ": " +
                        std::strerror(errno));
  }
  if (background_delete) {
    // Out of the way under a name of its own (a next run may start at once), then
    // removed by a child process that outlives this one: deleting 100,000 files can take
    // minutes on a busy disk (or one mounted with `discard`).
    const fs::path doomed =
        o.out.parent_path() / ("." + o.out.filename().string() + ".izde-old." +
                               std::to_string(::getpid()) + "." + std::to_string(::time(nullptr)));
    if (::rename(old.c_str(), doomed.c_str()) == 0) {
      const std::string target = doomed.string();
      const char* argv[] = {"rm", "-rf", "--", target.c_str(), nullptr};
      // Its own process group (a Ctrl-C after izde returned does not stop it) and no
      // standard streams (a pipe reading izde's output is not held open by it).
      posix_spawn_file_actions_t files;
      posix_spawnattr_t attr;
      posix_spawn_file_actions_init(&files);
      posix_spawnattr_init(&attr);
      for (int fd : {0, 1, 2})
        posix_spawn_file_actions_addopen(&files, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
      posix_spawnattr_setpgroup(&attr, 0);
      pid_t pid = 0;
      const int spawned =
          ::posix_spawnp(&pid, "rm", &files, &attr, const_cast<char* const*>(argv), environ);
      posix_spawn_file_actions_destroy(&files);
      posix_spawnattr_destroy(&attr);
      if (spawned == 0) return Status::Ok();
      old = doomed;
    }
  }
  fs::remove_all(old, ec);
  if (ec)
    summary.warnings.push_back("the previous site could not be deleted completely from " +
                               old.string() + ": " + ec.message());
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
    out.Count(fs::file_size(out.root() / rel, ec));
  }
  fs::remove_all(tmp, ec);
  return Status::Ok();
}

// A piece of the site that can be written independently of the others.
struct Task {
  const char* name;  // what SiteSummary::phases reports it under
  std::function<Status()> run;
};

double ThreadCpuSeconds() {
  struct timespec ts {};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Runs the tasks on up to two threads (the big ones first: they are listed first); the
// first failure stops the rest. Each name's wall and CPU time (summed over its tasks, on
// whichever thread ran them) are appended to `phases`.
Status RunTasks(const std::vector<Task>& tasks, std::vector<SitePhase>& phases) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first = Status::Ok();
  std::map<std::string, SitePhase> spent;
  std::vector<std::string> order;
  for (const auto& t : tasks)
    if (spent.emplace(t.name, SitePhase{t.name, 0, 0}).second) order.push_back(t.name);
  auto worker = [&] {
    for (size_t i; !failed && (i = next++) < tasks.size();) {
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = ThreadCpuSeconds();
      Status s = tasks[i].run();
      const double wall =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double cpu = ThreadCpuSeconds() - c0;
      std::lock_guard<std::mutex> lock(mu);
      spent[tasks[i].name].within = true;
      spent[tasks[i].name].wall += wall;
      spent[tasks[i].name].cpu += cpu;
      if (!s.ok() && !failed.exchange(true)) first = std::move(s);
    }
  };
  const size_t threads =
      std::min<size_t>({tasks.size(), 2, std::max(1u, std::thread::hardware_concurrency())});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  for (const auto& name : order) phases.push_back(spent[name]);
  return first;
}

Status WriteFiles(const ledger::Bundle& bundle, const Policy& policy, const PublicDataset& data,
                  const std::vector<std::string>& langs, const Output& output,
                  const SiteOptions& options, SiteSummary& summary, PhaseClock& clock) {
  summary.people = data.people.size();
  summary.records = data.records.size();
  Writer out(output.staging);
  IZDE_RETURN_IF_ERROR(out.Write(kSiteMarker, "izde published site\n"));

  SiteContext site;
  site.data = &data;
  site.policy = &policy;
  site.statistics = &options.statistics;
  SiteStatistics computed;
  std::promise<void> statistics_done;
  std::shared_future<void> statistics_ready = statistics_done.get_future().share();
  if (options.compute_statistics) site.statistics = &computed;
  IZDE_RETURN_IF_ERROR(PublishMedia(data, policy, options, out, site.media, summary));
  clock.Lap("media");

  std::vector<Task> tasks;
  // First, so that a thread takes it before any language's pages wait for it.
  if (options.compute_statistics)
    tasks.push_back({"statistics (clusters, estimate)", [&]() -> Status {
                       computed = options.compute_statistics();
                       statistics_done.set_value();
                       return Status::Ok();
                     }});
  else
    statistics_done.set_value();
  // Proofs: the bundle every page's claims rest on, its key and checkpoint.
  tasks.push_back({"proof (bundle.json)", [&]() -> Status {
                     IZDE_RETURN_IF_ERROR(out.Write(kBundlePath, bundle.Format()));
                     IZDE_RETURN_IF_ERROR(out.Write(kKeyPath, bundle.log_key + "\n"));
                     return out.Write("proof/checkpoint.txt", bundle.checkpoint);
                   }});
  // Open files.
  tasks.push_back(
      {"open files: people.json", [&] { return out.Write("data/people.json", PeopleJson(data)); }});
  // The tables, their CSV files, README and the workbook, in that order.
  tasks.push_back({"open files: tables, CSV, README, XLSX", [&]() -> Status {
                     const auto tables = OpenTables(data, site.media);
                     for (const auto& t : tables)
                       IZDE_RETURN_IF_ERROR(out.Write("data/" + t.name + ".csv", CsvFile(t)));
                     IZDE_RETURN_IF_ERROR(
                         out.Write("data/README.md", OpenDataReadme(tables, true)));
                     IZDE_RETURN_IF_ERROR(
                         WriteXlsx(tables, (out.root() / "data/izde-open-data.xlsx").string()));
                     std::error_code ec;
                     out.Count(fs::file_size(out.root() / "data/izde-open-data.xlsx", ec));
                     return Status::Ok();
                   }});
  tasks.push_back({"open files: entities.ftm.json",
                   [&] { return out.Write("data/entities.ftm.json", FollowTheMoney(data)); }});
  // The bundle verified as a third party would; the site is put in place only if it does.
  if (options.verify && !output.in_place()) tasks.push_back({"verify", options.verify});
  tasks.push_back({"search index", [&]() -> Status {
                     auto index = BuildSearchIndex(data);
                     size_t bytes = 0;
                     for (const auto& [path, content] : index.files) {
                       bytes += content.size();
                       IZDE_RETURN_IF_ERROR(out.Write(path, content));
                     }
                     summary.index_terms = index.terms;
                     summary.index_keys = index.keys;
                     summary.index_bytes = bytes;
                     return Status::Ok();
                   }});
  // Assets and the pages of each language.
  tasks.push_back({"language pages", [&]() -> Status {
                     for (const char* a : {"site.css", "search.js"}) {
                       auto text = Asset(std::string("static/") + a);
                       if (!text)
                         return Status::Corrupt(std::string("asset ") + a + " is not compiled in");
                       IZDE_RETURN_IF_ERROR(out.Write(std::string("assets/") + a, *text));
                     }
                     return out.Write("index.html", RootPage(site));
                   }});
  for (const auto& lang : langs)
    tasks.push_back(
        {"language pages", [&, lang]() -> Status {
           Words w(lang);
           statistics_ready.wait();
           IZDE_RETURN_IF_ERROR(out.Write(lang + "/index.html", HomePage(site, w)));
           IZDE_RETURN_IF_ERROR(out.Write(lang + "/search.html", SearchPage(site, w)));
           IZDE_RETURN_IF_ERROR(out.Write(lang + "/statistics.html", StatisticsPage(site, w)));
           for (const auto& [path, svg] : StatisticsCharts(site, w))
             IZDE_RETURN_IF_ERROR(out.Write(lang + "/" + path, svg));
           IZDE_RETURN_IF_ERROR(out.Write(lang + "/verify.html", VerifyPage(site, w)));
           for (size_t page = 1; page <= PeoplePageCount(site); ++page)
             IZDE_RETURN_IF_ERROR(out.Write(lang + "/people/" + std::to_string(page) + ".html",
                                            PeoplePage(site, page, w)));
           return Status::Ok();
         }});
  // Entry pages, one per person with every language, in chunks.
  const size_t total = data.people.size();
  constexpr size_t kChunk = 2048;
  std::atomic<size_t> done{0};
  std::mutex progress_mu;
  for (size_t from = 0; from < total; from += kChunk)
    tasks.push_back({"entry pages", [&, from]() -> Status {
                       std::vector<Words> words;
                       for (const auto& l : langs) words.emplace_back(l);
                       const size_t to = std::min(total, from + kChunk);
                       for (size_t i = from; i < to; ++i) {
                         const auto& e = data.people[i];
                         IZDE_RETURN_IF_ERROR(out.Write("p/" + FileNameOf(e.person->id) + ".html",
                                                        EntryPage(site, e, words)));
                       }
                       const size_t d = done += to - from;
                       if (options.progress) {
                         std::lock_guard<std::mutex> lock(progress_mu);
                         options.progress(d, total);
                       }
                       return Status::Ok();
                     }});
  Status s = RunTasks(tasks, clock.phases);
  clock.Lap("site files (all of the above, on two threads)");
  summary.files = out.files();
  summary.bytes = out.bytes();
  return s;
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

  IZDE_ASSIGN_OR_RETURN(Output output, PrepareOutput(out_dir));
  // Written in place, nothing may be written before the bundle is known to verify.
  if (output.in_place() && options.verify) IZDE_RETURN_IF_ERROR(options.verify());
  clock.Lap("prepare output");
  SiteSummary summary;
  Status written = WriteFiles(bundle, policy, data, langs, output, options, summary, clock);
  if (written.ok() && !output.in_place()) {
    written = CommitOutput(output, options.delete_previous_in_background, summary);
    clock.Lap("put in place, delete the previous site");
  }
  if (!written.ok()) {
    // The previous site, if any, is untouched; the half-written new one goes.
    std::error_code ec;
    if (!output.in_place()) fs::remove_all(output.staging, ec);
    return written;
  }
  summary.phases = std::move(clock.phases);
  return summary;
}

}  // namespace izde::publish
