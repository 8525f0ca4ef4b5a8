#include "store/postgresql/test_cluster.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace izde::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBin = "/usr/lib/postgresql/15/bin";
// The socket lives in the cluster's own directory, so the port number only
// names the socket file and never collides with another cluster's.
constexpr int kPort = 5432;
// PostgreSQL will not run as root: as root, the server and its tools run as this user.
constexpr const char* kServerUser = "postgres";
// Clusters of the unit tests live in memory (tmpfs): a busy shared disk makes
// them slow. Clusters with fsync on (benchmarks) live on disk, under /tmp.
constexpr const char* kFastTmp = "/dev/shm";

bool IsRoot() { return ::geteuid() == 0; }

// Where clusters without fsync go: /dev/shm when it has room (a container's
// default 64 MiB does not hold a template and two clusters), else /tmp.
std::string FastTmp() {
  struct statvfs st;
  if (::statvfs(kFastTmp, &st) == 0 &&
      static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize) > 2e9)
    return kFastTmp;
  return "/tmp";
}

std::string Tool(const char* name) { return std::string(kBin) + "/" + name; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The last lines of a log, for an error message.
std::string Tail(const std::string& text, size_t max = 1500) {
  return text.size() <= max ? text : "…" + text.substr(text.size() - max);
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

Status TestCluster::Run(const std::vector<std::string>& argv, std::string* output) const {
  std::vector<std::string> full;
  if (IsRoot()) full = {"runuser", "-u", kServerUser, "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  std::string out_path = dir_ + "/command.out", err_path = dir_ + "/command.err";
  // Everything the child needs is made before fork: it only calls async-signal-safe
  // functions, whatever other threads of the test were doing.
  std::vector<char*> args;
  for (auto& a : full) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return Status::Io("cannot start " + argv[0]);
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || null < 0) ::_exit(126);
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (output) *output = ReadFile(out_path);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  std::string why = Tail(ReadFile(err_path) + ReadFile(out_path));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    why = "not installed (run scripts/install-deps)";
  return Status::Io(argv[0] + " failed: " + why);
}

void TestCluster::StartWatcher() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;
  std::string as = IsRoot() ? std::string("runuser -u ") + kServerUser + " -- " : "";
  std::string script = "cat >/dev/null; " + as + Tool("pg_ctl") + " -D " + Quote(data_dir()) +
                       " -m immediate -w stop; rm -rf " + Quote(dir_);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[0], 0);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    // Not in the test's process group: a signal to the group spares the cleanup.
    ::setsid();
    ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  if (pid < 0) {
    ::close(fds[1]);
    return;
  }
  watcher_ = pid;
  watcher_pipe_ = fds[1];
}

TestCluster::~TestCluster() {
  if (watcher_pipe_ >= 0) {
    ::close(watcher_pipe_);
    int status;
    while (::waitpid(watcher_, &status, 0) < 0 && errno == EINTR) {
    }
  } else if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

// initdb is the slow part of a new cluster (seconds on a busy machine): it is
// run once per user into a template that every later cluster copies.
Status TestCluster::CopyTemplate() {
  const std::string base = FastTmp() + "/izde-pg-template-15-" + std::to_string(::geteuid());
  int lock = ::open((base + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return Status::Io("cannot lock " + base + ".lock");
  ::flock(lock, LOCK_EX);
  Status made = Status::Ok();
  if (!fs::exists(base + "/PG_VERSION")) {
    std::string building = base + ".building";
    std::error_code ec;
    fs::remove_all(building, ec);
    made = Run({Tool("initdb"), "-D", building, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                "--locale=C", "--no-sync", "--no-instructions"});
    if (made.ok()) fs::rename(building, base, ec);
    if (made.ok() && ec) made = Status::Io("cannot keep the cluster template: " + ec.message());
  }
  ::flock(lock, LOCK_UN);
  ::close(lock);
  IZDE_RETURN_IF_ERROR(made);
  return Run({"cp", "-a", base, data_dir()});
}

Status TestCluster::Init(bool initdb, bool on_disk) {
  std::string tmpl = (on_disk ? std::string("/tmp") : FastTmp()) + "/izde-pg-XXXXXX";
  if (!::mkdtemp(tmpl.data())) return Status::Io("cannot create a directory for a test cluster");
  dir_ = tmpl;
  if (IsRoot()) {
    const passwd* pw = ::getpwnam(kServerUser);
    if (!pw)
      return Status::NotFound(std::string("there is no '") + kServerUser +
                              "' user to run PostgreSQL as (run scripts/install-deps)");
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      return Status::Io("cannot hand " + dir_ + " to the postgres user");
  }
  StartWatcher();
  if (!fs::exists(Tool("initdb")))
    return Status::NotFound(
        Tool("initdb") + " is missing: PostgreSQL 15 is not installed (run scripts/install-deps)");
  if (initdb) return CopyTemplate();
  return Status::Ok();
}

Status TestCluster::StartServer() {
  return Run(
      {Tool("pg_ctl"), "-D", data_dir(), "-l", dir_ + "/server.log", "-w", "-t", "120", "start"});
}

namespace {
std::string ConfigLines(const std::string& dir, const ClusterOptions& options) {
  std::string conf =
      "\n# izde test cluster\nlisten_addresses = ''\nunix_socket_directories = " + Quote(dir) +
      "\nport = " + std::to_string(kPort) +
      "\nshared_buffers = 32MB\nmax_connections = 40\n"
      // Segments in the data directory, so a killed cluster leaves none in /dev/shm.
      "dynamic_shared_memory_type = mmap\nfsync = " +
      (options.fsync ? "on" : "off") + "\n";
  for (const auto& s : options.settings) conf += s + "\n";
  return conf;
}

Status Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app);
  out << text;
  out.close();
  if (!out) return Status::Io("cannot write " + path);
  return Status::Ok();
}
}  // namespace

Result<std::unique_ptr<TestCluster>> TestCluster::Start(const ClusterOptions& options) {
  std::unique_ptr<TestCluster> c(new TestCluster());
  IZDE_RETURN_IF_ERROR(c->Init(true, options.fsync));
  IZDE_RETURN_IF_ERROR(Append(c->data_dir() + "/postgresql.conf", ConfigLines(c->dir_, options)));
  IZDE_RETURN_IF_ERROR(c->StartServer());
  return c;
}

Result<std::unique_ptr<TestCluster>> TestCluster::StartReplica(const TestCluster& primary,
                                                               const std::string& name,
                                                               const ClusterOptions& options) {
  std::unique_ptr<TestCluster> c(new TestCluster());
  IZDE_RETURN_IF_ERROR(c->Init(false, options.fsync));
  IZDE_RETURN_IF_ERROR(
      c->Run({Tool("pg_basebackup"), "-D", c->data_dir(), "-h", primary.dir_, "-p",
              std::to_string(kPort), "-U", "postgres", "-X", "stream", "-R", "--no-sync"}));
  // postgresql.auto.conf is read last: its lines override what the copy of the
  // primary's postgresql.conf says.
  std::string conf = ConfigLines(c->dir_, options) +
                     "synchronous_standby_names = ''\nprimary_conninfo = 'host=" + primary.dir_ +
                     " port=" + std::to_string(kPort) + " user=postgres application_name=" + name +
                     "'\n";
  IZDE_RETURN_IF_ERROR(Append(c->data_dir() + "/postgresql.auto.conf", conf));
  IZDE_RETURN_IF_ERROR(c->StartServer());
  return c;
}

Result<TestCluster*> TestCluster::Shared() {
  static std::unique_ptr<TestCluster> shared;
  static Status failed = Status::Ok();
  if (!shared && failed.ok()) {
    auto started = Start();
    if (started.ok())
      shared = std::move(started).value();
    else
      failed = started.status();
  }
  if (!failed.ok()) return failed;
  return shared.get();
}

std::string TestCluster::Uri(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + dir_ + "&port=" + std::to_string(kPort) +
         "&user=postgres";
}

Result<std::string> TestCluster::Psql(const std::string& sql, const std::string& database) const {
  std::string out;
  IZDE_RETURN_IF_ERROR(
      Run({Tool("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir_, "-p",
           std::to_string(kPort), "-U", "postgres", "-d", database, "-c", sql},
          &out));
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Result<std::string> TestCluster::CreateDatabase(const std::string& prefix) {
  std::string name = prefix + "_" + std::to_string(++next_database_);
  IZDE_RETURN_IF_ERROR(Psql("CREATE DATABASE " + name).status());
  return Uri(name);
}

namespace {
// The parent pid of a process, from /proc (0 if it is gone).
pid_t ParentOf(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(stat.substr(close + 2));
  char state;
  pid_t ppid = 0;
  rest >> state >> ppid;
  return state == 'Z' ? 0 : ppid;
}

bool Alive(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t close = stat.rfind(')');
  return close != std::string::npos && stat.size() > close + 2 && stat[close + 2] != 'Z';
}
}  // namespace

Status TestCluster::Kill() {
  std::ifstream pidfile(data_dir() + "/postmaster.pid");
  pid_t postmaster = 0;
  if (!(pidfile >> postmaster) || postmaster <= 0)
    return Status::NotFound("the test cluster at " + dir_ + " is not running");
  std::vector<pid_t> victims{postmaster};
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = std::stoi(name);
    if (ParentOf(pid) == postmaster) victims.push_back(pid);
  }
  for (pid_t pid : victims) ::kill(pid, SIGKILL);
  for (int i = 0; i < 1000; ++i) {
    bool any = false;
    for (pid_t pid : victims) any = any || Alive(pid);
    if (!any) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Status::Io("the test cluster at " + dir_ + " did not die");
}

Status TestCluster::Promote() {
  return Run({Tool("pg_ctl"), "-D", data_dir(), "-w", "-t", "120", "promote"});
}

}  // namespace izde::store
