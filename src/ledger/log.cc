#include "ledger/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "ledger/tile_path.h"

namespace izde::ledger {
namespace fs = std::filesystem;
namespace {

constexpr char kCheckpointFile[] = "checkpoint";

std::string Errno(const std::string& what, const fs::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

Status WriteDurably(const fs::path& target, Bytes content, bool sync = true) {
  const fs::path tmp = target.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io(Errno("cannot create", tmp));
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Status::Io(Errno("cannot write", tmp));
      ::close(fd);
      return s;
    }
    done += static_cast<std::size_t>(n);
  }
  if (sync && ::fsync(fd) != 0) {
    Status s = Status::Io(Errno("cannot flush", tmp));
    ::close(fd);
    return s;
  }
  ::close(fd);
  if (!sync) return Status::Ok();  // the caller syncs the batch, then renames
  if (::rename(tmp.c_str(), target.c_str()) != 0) return Status::Io(Errno("cannot rename", tmp));
  return Status::Ok();
}

// One syncfs for a batch of tiles instead of an fsync per file: a commit touches dozens
// of tiles, and per-file fsyncs dominated its cost.
Status SyncFilesystem(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Io(Errno("cannot open directory", dir));
  int rc = ::syncfs(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::Io(Errno("cannot flush file system of", dir));
}

// Writes every tile as "<name>.tmp", makes them durable with one sync, then renames them
// into place and syncs again, so a tile name never refers to incomplete bytes.
Status PublishBatch(const fs::path& root,
                    const std::vector<std::pair<fs::path, std::vector<std::uint8_t>>>& files) {
  if (files.empty()) return Status::Ok();
  for (const auto& [target, bytes] : files) {
    IZDE_RETURN_IF_ERROR(WriteDurably(target, bytes, /*sync=*/false));
  }
  IZDE_RETURN_IF_ERROR(SyncFilesystem(root));
  for (const auto& [target, bytes] : files) {
    const fs::path tmp = target.string() + ".tmp";
    if (::rename(tmp.c_str(), target.c_str()) != 0) return Status::Io(Errno("cannot rename", tmp));
  }
  return SyncFilesystem(root);
}

Status SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Io(Errno("cannot open directory", dir));
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::Io(Errno("cannot flush directory", dir));
}

Result<std::vector<std::uint8_t>> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  if (!in) return Status::NotFound("cannot read " + p.string());
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::Io("cannot read " + p.string());
  std::vector<std::uint8_t> out(static_cast<std::size_t>(size));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(out.data()), size);
  if (in.gcount() != size) return Status::Io("cannot read all of " + p.string());
  return out;
}

std::vector<std::uint8_t> EncodeBundle(const std::vector<std::vector<std::uint8_t>>& entries,
                                       std::size_t count) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(static_cast<std::uint8_t>(entries[i].size() >> 8));
    out.push_back(static_cast<std::uint8_t>(entries[i].size()));
    out.insert(out.end(), entries[i].begin(), entries[i].end());
  }
  return out;
}

Result<std::vector<std::vector<std::uint8_t>>> DecodeBundle(Bytes data, const std::string& where) {
  std::vector<std::vector<std::uint8_t>> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (pos + 2 > data.size()) return Status::Corrupt(where + ": truncated entry length");
    std::size_t n = (std::size_t{data[pos]} << 8) | data[pos + 1];
    pos += 2;
    if (pos + n > data.size()) return Status::Corrupt(where + ": truncated entry");
    out.emplace_back(data.begin() + pos, data.begin() + pos + n);
    pos += n;
    if (out.size() > kTileWidth) return Status::Corrupt(where + ": more than 256 entries");
  }
  return out;
}

// The hashes of a stored hash tile, checked against the width its name gives.
Result<std::vector<Hash>> ReadHashTile(const fs::path& dir, const TilePath& t) {
  const std::string where = t.ToString();
  auto data = ReadFile(dir / where);
  if (!data.ok()) return Status::Corrupt(where + " is missing: hashes of the log are lost");
  if (data->size() != t.width * kHashSize)
    return Status::Corrupt(where + " holds " + std::to_string(data->size()) + " bytes, not the " +
                           std::to_string(t.width * kHashSize) + " its name says");
  std::vector<Hash> out(t.width);
  for (std::uint64_t i = 0; i < t.width; ++i)
    std::copy_n(data->begin() + i * kHashSize, kHashSize, out[i].begin());
  return out;
}

// Pairs `hashes` (an aligned run at one level) up `levels` levels.
std::vector<Hash> PairUp(std::vector<Hash> hashes, int levels) {
  for (int r = 0; r < levels; ++r) {
    std::vector<Hash> up(hashes.size() / 2);
    for (std::size_t i = 0; i < up.size(); ++i)
      up[i] = HashChildren(hashes[2 * i], hashes[2 * i + 1]);
    hashes = std::move(up);
  }
  return hashes;
}

}  // namespace

Result<Log> Log::Create(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir / "tile", ec);
  if (ec) return Status::Io("cannot create log directory " + dir.string() + ": " + ec.message());
  if (fs::exists(dir / "tile" / "0") || fs::exists(dir / "tile" / "entries")) {
    return Status::AlreadyExists(dir.string() + " already holds a log; open it instead");
  }
  return Log(dir);
}

Result<Log> Log::Open(const fs::path& dir, Mode mode) {
  if (!fs::is_directory(dir / "tile")) {
    return Status::NotFound(dir.string() + " is not a log directory (no tile/ folder)");
  }
  Log log(dir);
  IZDE_RETURN_IF_ERROR(log.LoadAndVerify(mode).Within("log " + dir.string()));
  return log;
}

Status Log::LoadAndVerify(Mode mode) {
  // Every file under tile/ must be a well-named tile; collect them.
  std::vector<TilePath> hash_tiles, entry_tiles;
  std::error_code ec;
  const std::string prefix = (dir_ / "tile").generic_string();
  for (auto it = fs::recursive_directory_iterator(dir_ / "tile", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec)) continue;
    // The path below dir_ ("tile/..."), without fs::relative (a readlink per component).
    const std::string full = it->path().generic_string();
    if (full.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rel = "tile" + full.substr(prefix.size());
    if (rel.ends_with(".tmp")) continue;  // an interrupted write, never renamed into place
    auto t = TilePath::Parse(rel);
    if (!t) return Status::Corrupt("unexpected file " + rel + " in the tile tree");
    (t->level == kEntriesLevel ? entry_tiles : hash_tiles).push_back(*t);
  }
  if (ec) return Status::Io("cannot list tiles: " + ec.message());

  // The size is what the level-0 hash tiles cover: they are written after the entries.
  std::uint64_t size = 0;
  for (const TilePath& t : hash_tiles) {
    if (t.level == 0) size = std::max(size, t.index * kTileWidth + t.width);
  }
  // Tiles that reach beyond the committed size were written by a Commit that crashed
  // before its level-0 tile landed.
  auto beyond = [&](const TilePath& t) {
    const std::uint64_t shift = t.level == kEntriesLevel ? 0 : t.level * kTileHeight;
    const std::uint64_t count = shift >= 64 ? 0 : size >> shift;
    return t.index * kTileWidth + t.width > count;
  };
  if (mode == Mode::kAppend) {
    for (auto* tiles : {&entry_tiles, &hash_tiles})
      for (const TilePath& t : *tiles)
        if (beyond(t)) fs::remove(dir_ / t.ToString(), ec);
    return LoadEdge(size);
  }

  // Rebuild the tree from the entry bundles (each is then checked already: the loop
  // below skips them, so that opening reads and hashes every entry once).
  std::set<std::string> built_from;
  const std::uint64_t bundles = (size + kTileWidth - 1) / kTileWidth;
  for (std::uint64_t n = 0; n < bundles; ++n) {
    const std::uint64_t need = std::min<std::uint64_t>(kTileWidth, size - n * kTileWidth);
    // Prefer the full bundle; else the partial bundle of exactly the needed width.
    TilePath full{kEntriesLevel, n, kTileWidth};
    TilePath part{kEntriesLevel, n, need};
    TilePath use = fs::exists(dir_ / full.ToString()) ? full : part;
    const std::string where = use.ToString();
    auto data = ReadFile(dir_ / where);
    if (!data.ok()) return Status::Corrupt(where + " is missing: entries of the log are lost");
    IZDE_ASSIGN_OR_RETURN(auto entries, DecodeBundle(*data, where));
    if (entries.size() != use.width) {
      return Status::Corrupt(where + " holds " + std::to_string(entries.size()) +
                             " entries, its name says " + std::to_string(use.width));
    }
    for (std::uint64_t i = 0; i < need; ++i) tree_.Append(HashLeaf(entries[i]));
    if (need == use.width) built_from.insert(where);
    if (need < kTileWidth) {
      bundle_start_ = n * kTileWidth;
      bundle_.assign(entries.begin(), entries.begin() + need);
    } else {
      bundle_start_ = (n + 1) * kTileWidth;
    }
  }
  committed_size_ = size;

  for (auto* tiles : {&entry_tiles, &hash_tiles}) {
    for (const TilePath& t : *tiles) {
      if (!beyond(t)) continue;
      if (mode == Mode::kReadOnly) {
        return Status::Corrupt(t.ToString() + " covers entries beyond the log's committed size " +
                               std::to_string(size));
      }
      fs::remove(dir_ / t.ToString(), ec);
    }
    std::erase_if(*tiles, beyond);
  }

  // Check every stored tile against the recomputed tree.
  for (const TilePath& t : entry_tiles) {
    const std::string where = t.ToString();
    if (built_from.count(where)) continue;
    auto data = ReadFile(dir_ / where);
    if (!data.ok()) return data.status();
    IZDE_ASSIGN_OR_RETURN(auto entries, DecodeBundle(*data, where));
    if (entries.size() != t.width) {
      return Status::Corrupt(where + " holds " + std::to_string(entries.size()) +
                             " entries, its name says " + std::to_string(t.width));
    }
    for (std::uint64_t i = 0; i < entries.size(); ++i) {
      const std::uint64_t leaf = t.index * kTileWidth + i;
      IZDE_ASSIGN_OR_RETURN(Hash stored, tree_.Node(0, leaf));
      if (HashLeaf(entries[i]) != stored) {
        return Status::Corrupt(where + ": entry " + std::to_string(leaf) +
                               " differs from the one the log was built from");
      }
    }
  }
  for (const TilePath& t : hash_tiles) {
    const std::string where = t.ToString();
    const std::size_t tree_level = static_cast<std::size_t>(t.level) * kTileHeight;
    const std::uint64_t first = t.index * kTileWidth;
    if (tree_level >= tree_.LevelCount() || first + t.width > tree_.LevelSize(tree_level)) {
      return Status::Corrupt(where + " covers hashes beyond the log's " + std::to_string(size) +
                             " entries");
    }
    auto data = ReadFile(dir_ / where);
    if (!data.ok()) return data.status();
    IZDE_ASSIGN_OR_RETURN(std::vector<std::uint8_t> want, TreeHashes(tree_level, first, t.width));
    if (data->size() != want.size() || !std::equal(want.begin(), want.end(), data->begin())) {
      if (t.level != 0 || data->size() != want.size())
        return Status::Corrupt(where + " does not match the hashes of the log's entries");
      // Level 0: name the entry, and both files that could have been altered.
      std::uint64_t i = 0;
      while (i + 1 < t.width &&
             std::equal(want.begin() + i * kHashSize, want.begin() + (i + 1) * kHashSize,
                        data->begin() + i * kHashSize))
        ++i;
      const TilePath entries{kEntriesLevel, t.index, t.width};
      return Status::Corrupt(where + ": the hash of entry " + std::to_string(first + i) +
                             " is not the hash of that entry in " + entries.ToString() +
                             ": one of the two files was altered");
    }
  }
  return Status::Ok();
}

Result<std::vector<std::uint8_t>> Log::TreeHashes(std::size_t level, std::uint64_t first,
                                                  std::uint64_t count) const {
  std::vector<std::uint8_t> out;
  out.reserve(count * kHashSize);
  for (std::uint64_t i = 0; i < count; ++i) {
    IZDE_ASSIGN_OR_RETURN(Hash h, tree_.Node(level, first + i));
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

Status Log::LoadEdge(std::uint64_t size) {
  // Per tree level, the hashes held: for level 8t the partial tile of tile level t (none
  // when its count is a multiple of 256), and for the seven levels above it what those
  // hashes pair up to. That includes the last complete subtree of every level whose count
  // is odd: all that appending and the root need.
  std::vector<MerkleTree::HeldLevel> held;
  for (int t = 0; static_cast<std::size_t>(t) * kTileHeight < 64; ++t) {
    const std::uint64_t count = size >> (t * kTileHeight);
    if (count == 0) break;
    const std::uint64_t width = count % kTileWidth;
    std::vector<Hash> hashes;
    if (width > 0) {
      IZDE_ASSIGN_OR_RETURN(hashes, ReadHashTile(dir_, TilePath{t, count / kTileWidth, width}));
    }
    const std::uint64_t first = count - width;
    for (int r = 0; r < kTileHeight; ++r) {
      const std::size_t level = static_cast<std::size_t>(t) * kTileHeight + r;
      if (level >= 64 || (size >> level) == 0) break;
      held.push_back({first >> r, r == 0 ? hashes : PairUp(hashes, r)});
    }
  }
  // Older hashes come from full tiles, read once each and kept while the log is open.
  auto cache = std::make_shared<std::map<std::pair<int, std::uint64_t>, std::vector<Hash>>>();
  const fs::path dir = dir_;
  auto source = [dir, cache](std::size_t level, std::uint64_t index) -> Result<Hash> {
    const int t = static_cast<int>(level / kTileHeight);
    const int r = static_cast<int>(level % kTileHeight);
    const std::uint64_t first = index << r;  // at tree level 8t
    const std::uint64_t n = first / kTileWidth;
    auto it = cache->find({t, n});
    if (it == cache->end()) {
      IZDE_ASSIGN_OR_RETURN(auto hashes, ReadHashTile(dir, TilePath{t, n, kTileWidth}));
      it = cache->emplace(std::make_pair(t, n), std::move(hashes)).first;
    }
    const auto& tile = it->second;
    const std::uint64_t at = first - n * kTileWidth;
    std::vector<Hash> run(tile.begin() + at, tile.begin() + at + (std::uint64_t{1} << r));
    return PairUp(std::move(run), r)[0];
  };
  IZDE_ASSIGN_OR_RETURN(tree_, MerkleTree::FromEdge(size, std::move(held), std::move(source)));
  committed_size_ = size;
  // The entries of the partial bundle, checked against their stored hashes.
  const std::uint64_t need = size % kTileWidth;
  bundle_start_ = size - need;
  bundle_.clear();
  if (need > 0) {
    const TilePath part{kEntriesLevel, size / kTileWidth, need};
    const std::string where = part.ToString();
    auto data = ReadFile(dir_ / where);
    if (!data.ok()) return Status::Corrupt(where + " is missing: entries of the log are lost");
    IZDE_ASSIGN_OR_RETURN(auto entries, DecodeBundle(*data, where));
    if (entries.size() != need)
      return Status::Corrupt(where + " holds " + std::to_string(entries.size()) +
                             " entries, its name says " + std::to_string(need));
    for (std::uint64_t i = 0; i < need; ++i) {
      IZDE_ASSIGN_OR_RETURN(Hash stored, tree_.Node(0, bundle_start_ + i));
      if (HashLeaf(entries[i]) != stored)
        return Status::Corrupt(where + ": entry " + std::to_string(bundle_start_ + i) +
                               " differs from the hash the log holds for it");
    }
    bundle_ = std::move(entries);
  }
  return Status::Ok();
}

Result<std::uint64_t> Log::Append(Bytes entry) {
  if (entry.size() > kMaxEntryBytes) {
    return Status::InvalidInput("a log entry may be at most 65535 bytes, got " +
                                std::to_string(entry.size()));
  }
  const std::uint64_t index = tree_.Append(HashLeaf(entry));
  bundle_.emplace_back(entry.begin(), entry.end());
  if (bundle_.size() == kTileWidth) {
    finished_bundles_[bundle_start_ / kTileWidth] = EncodeBundle(bundle_, bundle_.size());
    bundle_.clear();
    bundle_start_ += kTileWidth;
  }
  return index;
}

Status Log::WriteTile(const TilePath& path, Bytes content, TileBatch& batch) {
  const fs::path target = dir_ / path.ToString();
  if (fs::exists(target)) return Status::Ok();  // immutable: same name, same bytes
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return Status::Io("cannot create " + target.parent_path().string() + ": " + ec.message());
  batch.emplace_back(target, std::vector<std::uint8_t>(content.begin(), content.end()));
  return Status::Ok();
}

Status Log::Commit() {
  const std::uint64_t size = tree_.Size();
  if (size == committed_size_) return Status::Ok();
  TileBatch batch;
  // Entries first: hash tiles (which define the committed size) must never point at
  // entries that are not on disk.
  for (const auto& [index, bytes] : finished_bundles_) {
    IZDE_RETURN_IF_ERROR(WriteTile(TilePath{kEntriesLevel, index, kTileWidth}, bytes, batch));
  }
  if (!bundle_.empty()) {
    IZDE_RETURN_IF_ERROR(
        WriteTile(TilePath{kEntriesLevel, bundle_start_ / kTileWidth, bundle_.size()},
                  EncodeBundle(bundle_, bundle_.size()), batch));
  }
  IZDE_RETURN_IF_ERROR(PublishBatch(dir_, batch));
  batch.clear();
  // Hash tiles, from the top level down so level 0 (the size marker) lands last.
  std::vector<TilePath> tiles;
  for (int level = 0; static_cast<std::size_t>(level) * kTileHeight < tree_.LevelCount(); ++level) {
    const std::uint64_t count = tree_.LevelSize(level * kTileHeight);
    if (count == 0) break;
    const std::uint64_t old_count = committed_size_ >> (level * kTileHeight);
    for (std::uint64_t n = old_count / kTileWidth; n * kTileWidth < count; ++n) {
      const std::uint64_t width = std::min<std::uint64_t>(kTileWidth, count - n * kTileWidth);
      tiles.push_back(TilePath{level, n, width});
    }
  }
  std::stable_sort(tiles.begin(), tiles.end(),
                   [](const TilePath& a, const TilePath& b) { return a.level > b.level; });
  for (const TilePath& t : tiles) {
    IZDE_ASSIGN_OR_RETURN(auto hashes, TreeHashes(static_cast<std::size_t>(t.level) * kTileHeight,
                                                  t.index * kTileWidth, t.width));
    IZDE_RETURN_IF_ERROR(WriteTile(t, hashes, batch));
  }
  IZDE_RETURN_IF_ERROR(PublishBatch(dir_, batch));
  finished_bundles_.clear();
  committed_size_ = size;
  return Status::Ok();
}

Result<std::vector<std::uint8_t>> Log::Entry(std::uint64_t index) const {
  if (index >= Size()) {
    return Status::NotFound("entry " + std::to_string(index) + " is not in a log of " +
                            std::to_string(Size()));
  }
  if (index >= bundle_start_) return bundle_[index - bundle_start_];
  const std::uint64_t n = index / kTileWidth;
  if (auto it = finished_bundles_.find(n); it != finished_bundles_.end()) {
    IZDE_ASSIGN_OR_RETURN(auto entries, DecodeBundle(it->second, "pending bundle"));
    return entries[index % kTileWidth];
  }
  const std::string where = TilePath{kEntriesLevel, n, kTileWidth}.ToString();
  IZDE_ASSIGN_OR_RETURN(auto data, ReadFile(dir_ / where));
  IZDE_ASSIGN_OR_RETURN(auto entries, DecodeBundle(data, where));
  if (entries.size() != kTileWidth) return Status::Corrupt(where + " is not a full bundle");
  auto& e = entries[index % kTileWidth];
  IZDE_ASSIGN_OR_RETURN(Hash stored, tree_.Node(0, index));
  if (HashLeaf(e) != stored) {
    return Status::Corrupt(where + ": entry " + std::to_string(index) + " was changed on disk");
  }
  return std::move(e);
}

Result<std::vector<std::vector<std::uint8_t>>> Log::Entries(
    const std::vector<std::uint64_t>& indexes) const {
  std::vector<std::size_t> order(indexes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return indexes[a] < indexes[b]; });
  std::vector<std::vector<std::uint8_t>> out(indexes.size());
  std::uint64_t loaded = UINT64_MAX;  // the bundle `entries` holds
  std::vector<std::vector<std::uint8_t>> entries;
  for (std::size_t k : order) {
    const std::uint64_t index = indexes[k];
    if (index >= Size()) {
      return Status::NotFound("entry " + std::to_string(index) + " is not in a log of " +
                              std::to_string(Size()));
    }
    const std::uint64_t n = index / kTileWidth;
    if (index >= bundle_start_ || finished_bundles_.count(n)) {
      IZDE_ASSIGN_OR_RETURN(out[k], Entry(index));
      continue;
    }
    if (n != loaded) {
      const std::string where = TilePath{kEntriesLevel, n, kTileWidth}.ToString();
      IZDE_ASSIGN_OR_RETURN(auto data, ReadFile(dir_ / where));
      IZDE_ASSIGN_OR_RETURN(entries, DecodeBundle(data, where));
      if (entries.size() != kTileWidth) return Status::Corrupt(where + " is not a full bundle");
      // The file may have changed since Open() verified it.
      for (std::uint64_t i = 0; i < kTileWidth; ++i) {
        IZDE_ASSIGN_OR_RETURN(Hash stored, tree_.Node(0, n * kTileWidth + i));
        if (HashLeaf(entries[i]) != stored) {
          return Status::Corrupt(where + ": entry " + std::to_string(n * kTileWidth + i) +
                                 " was changed on disk");
        }
      }
      loaded = n;
    }
    out[k] = entries[index % kTileWidth];
  }
  return out;
}

Status Log::ForEachEntry(
    const std::function<Status(std::uint64_t, const std::vector<std::uint8_t>&)>& fn) const {
  const std::uint64_t size = Size();
  for (std::uint64_t n = 0; n * kTileWidth < size; ++n) {
    const std::uint64_t first = n * kTileWidth;
    if (first >= bundle_start_) {
      for (std::uint64_t i = 0; i < bundle_.size(); ++i)
        IZDE_RETURN_IF_ERROR(fn(first + i, bundle_[i]));
      continue;
    }
    std::vector<std::vector<std::uint8_t>> entries;
    if (auto it = finished_bundles_.find(n); it != finished_bundles_.end()) {
      IZDE_ASSIGN_OR_RETURN(entries, DecodeBundle(it->second, "pending bundle"));
    } else {
      const std::string where = TilePath{kEntriesLevel, n, kTileWidth}.ToString();
      IZDE_ASSIGN_OR_RETURN(auto data, ReadFile(dir_ / where));
      IZDE_ASSIGN_OR_RETURN(entries, DecodeBundle(data, where));
      if (entries.size() != kTileWidth) return Status::Corrupt(where + " is not a full bundle");
      // The file may have changed since Open() verified it.
      for (std::uint64_t i = 0; i < kTileWidth; ++i) {
        IZDE_ASSIGN_OR_RETURN(Hash stored, tree_.Node(0, first + i));
        if (HashLeaf(entries[i]) != stored) {
          return Status::Corrupt(where + ": entry " + std::to_string(first + i) +
                                 " was changed on disk");
        }
      }
    }
    for (std::uint64_t i = 0; i < entries.size(); ++i)
      IZDE_RETURN_IF_ERROR(fn(first + i, entries[i]));
  }
  return Status::Ok();
}

Status Log::WriteCheckpoint(std::string_view signed_note) {
  IZDE_RETURN_IF_ERROR(WriteDurably(dir_ / kCheckpointFile, AsBytes(signed_note)));
  return SyncDir(dir_);
}

Result<std::string> Log::ReadCheckpoint() const {
  auto data = ReadFile(dir_ / kCheckpointFile);
  if (!data.ok()) return Status::NotFound("log " + dir_.string() + " has no checkpoint yet");
  return std::string(data->begin(), data->end());
}

}  // namespace izde::ledger
