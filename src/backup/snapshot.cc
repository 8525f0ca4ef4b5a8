#include "backup/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "backup/chunk_store.h"
#include "ledger/note.h"

namespace izde::backup {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kManifestHeader = "izde-backup-manifest 1";
constexpr std::string_view kSnapshotHeader = "izde-backup-snapshot 1";

std::vector<std::string> Split(std::string_view line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t end = line.find(sep, start);
    out.emplace_back(line.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

bool ParseU64(const std::string& s, uint64_t& v) {
  if (s.empty() || s.size() > 20) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

bool ParseI64(const std::string& s, int64_t& v) {
  bool neg = !s.empty() && s[0] == '-';
  uint64_t u = 0;
  if (!ParseU64(neg ? s.substr(1) : s, u)) return false;
  v = neg ? -static_cast<int64_t>(u) : static_cast<int64_t>(u);
  return true;
}

// Paths come from a directory we do not control: only relative, clean ones.
bool SafePath(const std::string& p) {
  if (p.empty() || p[0] == '/' || p.find('\\') != std::string::npos) return false;
  for (const auto& part : Split(p, '/'))
    if (part.empty() || part == "." || part == "..") return false;
  return true;
}

}  // namespace

std::string Manifest::Encode() const {
  std::ostringstream out;
  out << kManifestHeader << "\n";
  out << "vault " << origin << "\n";
  out << "verifier " << verifier << "\n";
  out << "created " << created << "\n";
  out << "changes " << changes << " " << (last_change_id.empty() ? "-" : last_change_id) << " "
      << last_change_version << "\n";
  out << "log " << log_size << " " << log_root_hex << "\n";
  out << "keys " << keys << "\n";
  for (const auto& v : versions) out << "versions " << v.chunk << " " << v.count << "\n";
  for (const auto& f : files) {
    out << "file " << f.path << " " << f.size << " " << f.mtime_ns << " ";
    if (f.chunks.empty()) out << "-";
    for (size_t i = 0; i < f.chunks.size(); ++i) out << (i ? "," : "") << f.chunks[i];
    out << "\n";
  }
  return out.str();
}

Result<Manifest> Manifest::Parse(std::string_view text, const std::string& what) {
  Manifest m;
  auto lines = Split(text, '\n');
  if (lines.empty() || lines[0] != kManifestHeader)
    return Status::Corrupt(what + " is not an izde backup manifest (or of a newer format)");
  bool have_keys = false, have_log = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (line.empty() && i + 1 == lines.size()) break;
    auto f = Split(line, ' ');
    auto bad = [&] {
      return Status::Corrupt(what + ", line " + std::to_string(i + 1) + ": cannot read '" +
                             line.substr(0, 80) + "'");
    };
    const std::string& kind = f[0];
    if (kind == "vault" && f.size() == 2) {
      m.origin = f[1];
    } else if (kind == "verifier" && f.size() == 2) {
      m.verifier = f[1];
    } else if (kind == "created" && f.size() == 2) {
      if (!ParseI64(f[1], m.created)) return bad();
    } else if (kind == "changes" && f.size() == 4) {
      if (!ParseI64(f[1], m.changes) || !ParseI64(f[3], m.last_change_version)) return bad();
      m.last_change_id = f[2] == "-" ? "" : f[2];
    } else if (kind == "log" && f.size() == 3) {
      if (!ParseU64(f[1], m.log_size)) return bad();
      m.log_root_hex = f[2];
      have_log = true;
    } else if (kind == "keys" && f.size() == 2 && IsChunkName(f[1])) {
      m.keys = f[1];
      have_keys = true;
    } else if (kind == "versions" && f.size() == 3 && IsChunkName(f[1])) {
      VersionsEntry v{f[1], 0};
      if (!ParseU64(f[2], v.count)) return bad();
      m.versions.push_back(v);
    } else if (kind == "file" && f.size() == 5) {
      FileEntry e;
      e.path = f[1];
      if (!SafePath(e.path) || !ParseU64(f[2], e.size) || !ParseI64(f[3], e.mtime_ns)) return bad();
      if (f[4] != "-")
        for (auto& c : Split(f[4], ',')) {
          if (!IsChunkName(c)) return bad();
          e.chunks.push_back(c);
        }
      m.files.push_back(std::move(e));
    } else {
      return bad();
    }
  }
  if (m.origin.empty() || m.verifier.empty() || !have_keys || !have_log)
    return Status::Corrupt(what + " lacks its vault, key, log or keys line");
  return m;
}

std::string SnapshotNoteText(const std::string& origin, uint64_t number,
                             const std::string& manifest_hash) {
  return std::string(kSnapshotHeader) + "\n" + origin + "\n" + std::to_string(number) + "\n" +
         manifest_hash + "\n";
}

std::vector<std::pair<uint64_t, fs::path>> ListSnapshots(const fs::path& backup_dir) {
  std::vector<std::pair<uint64_t, fs::path>> out;
  std::error_code ec;
  for (fs::directory_iterator it(backup_dir / kSnapshotDir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    uint64_t n = 0;
    if (name.size() == 17 && name.ends_with(".snapshot") && ParseU64(name.substr(0, 8), n))
      out.emplace_back(n, it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path SnapshotPath(const fs::path& backup_dir, uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof name, "%08llu.snapshot", static_cast<unsigned long long>(number));
  return backup_dir / kSnapshotDir / name;
}

Result<OpenedSnapshot> OpenSnapshot(const fs::path& backup_dir, uint64_t number,
                                    const fs::path& path,
                                    const std::optional<ledger::NoteVerifier>& pinned) {
  const std::string where = "snapshot " + path.filename().string();
  auto fail = [&](const Status& s) { return s.Within(where); };
  auto bytes = ReadWhole(path);
  if (!bytes.ok()) return fail(bytes.status());
  auto note = ledger::ParseNote(*bytes);
  if (!note.ok()) return fail(note.status());
  auto lines = Split(note->text, '\n');
  uint64_t n = 0;
  if (lines.size() != 5 || lines[0] != kSnapshotHeader || !ParseU64(lines[2], n) ||
      !IsChunkName(lines[3]))
    return fail(Status::Corrupt("not an izde backup snapshot"));
  if (n != number)
    return fail(Status::Corrupt("it says it is snapshot " + lines[2] +
                                ": snapshot files were renamed or swapped"));
  OpenedSnapshot s;
  s.number = n;
  s.manifest_hash = lines[3];
  ChunkStore chunks(backup_dir);
  auto text = chunks.Get(s.manifest_hash, "manifest of " + where);
  if (!text.ok()) return fail(text.status());
  auto manifest = Manifest::Parse(*text, "the manifest");
  if (!manifest.ok()) return fail(manifest.status());
  s.manifest = std::move(manifest).value();
  if (s.manifest.origin != lines[1])
    return fail(Status::Corrupt("its note and its manifest name different vaults"));
  if (pinned) {
    s.key = *pinned;
    if (s.manifest.verifier != pinned->Encode())
      return fail(Status::PermissionDenied("it was made with another log key than the one given (" +
                                           pinned->name + ")"));
  } else {
    auto key = ledger::NoteVerifier::Parse(s.manifest.verifier);
    if (!key.ok()) return fail(key.status().Within("the manifest's log key"));
    s.key = *key;
  }
  if (s.key.name != s.manifest.origin)
    return fail(
        Status::Corrupt("its log key is named " + s.key.name + ", not " + s.manifest.origin));
  std::vector<ledger::NoteVerifier> keys{s.key};
  auto opened = ledger::OpenNote(*bytes, keys);
  if (!opened.ok())
    return fail(
        Status::Corrupt("its signature does not verify (" + opened.status().message() + ")"));
  return s;
}

}  // namespace izde::backup
