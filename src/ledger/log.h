// The izde transparency log on disk: a directory in the C2SP tlog-tiles layout
// (docs/formats/ledger.md §4) plus the latest signed checkpoint. Every file except
// `checkpoint` is immutable once written, so a mirror abroad is a plain copy.
//
// Appends are buffered in memory; Commit() writes the new entry bundles and hash tiles
// (entries first, each file fsynced and renamed into place) so that a crash leaves the
// log at the last committed size. Open() in kReadOnly or kWritable mode re-derives every
// hash from the entries and checks it against every stored tile, so a flipped byte
// anywhere is reported by path; kAppend reads only the tiles of the right edge.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "ledger/merkle_tree.h"
#include "ledger/tile_path.h"

namespace izde::ledger {

inline constexpr std::size_t kMaxEntryBytes = 65535;

class Log {
 public:
  // Creates an empty log in `dir` (created if missing; must not already hold tiles).
  static Result<Log> Create(const std::filesystem::path& dir);
  // Opens and fully verifies an existing log directory (a vault's or a mirror's).
  // Tiles beyond the committed size are leftovers of a crash mid-Commit: a writable open
  // deletes them (they would otherwise shadow the next commit's tiles); a read-only open,
  // for checking a mirror, reports them.
  // kAppend: writable, for appending (a vault's unlock), without reading the whole log:
  // the stored hash tiles are taken as they are and only the tiles of the right edge are
  // read at open; any older hash is read from its tile when first needed. Every entry read
  // is still checked against its stored hash, and a tile whose name says one width and
  // whose size another is refused. Whole checks are for kReadOnly (izde verify --vault,
  // mirrors) and kWritable.
  enum class Mode { kWritable, kReadOnly, kAppend };
  static Result<Log> Open(const std::filesystem::path& dir, Mode mode = Mode::kWritable);

  // Adds an entry (a RecordLeaf or EvidenceLeaf encoding) and returns its leaf index.
  // It is durable only after Commit().
  Result<std::uint64_t> Append(Bytes entry);
  Status Commit();

  std::uint64_t Size() const { return tree_.Size(); }
  std::uint64_t CommittedSize() const { return committed_size_; }
  Hash Root() const { return tree_.Root(); }
  Result<Hash> RootAt(std::uint64_t size) const { return tree_.RootAt(size); }
  Result<Hash> LeafHash(std::uint64_t index) const { return tree_.LeafHash(index); }
  Result<std::vector<std::uint8_t>> Entry(std::uint64_t index) const;
  // The entries at `indexes` (any order, repeats allowed), in that order, reading each
  // bundle they fall in once (Entry() reads a whole bundle per call).
  Result<std::vector<std::vector<std::uint8_t>>> Entries(
      const std::vector<std::uint64_t>& indexes) const;
  // Calls fn(index, entry) for every entry in order, reading each bundle once (Entry()
  // reads a whole bundle per call, which is quadratic over a full scan).
  Status ForEachEntry(
      const std::function<Status(std::uint64_t, const std::vector<std::uint8_t>&)>& fn) const;
  Result<std::vector<Hash>> InclusionProof(std::uint64_t index, std::uint64_t size) const {
    return tree_.InclusionProof(index, size);
  }
  Result<std::vector<Hash>> ConsistencyProof(std::uint64_t old_size, std::uint64_t size) const {
    return tree_.ConsistencyProof(old_size, size);
  }

  // Replaces `checkpoint` atomically. The caller signs it (SignCheckpoint) with the
  // vault's key; its size should not exceed CommittedSize().
  Status WriteCheckpoint(std::string_view signed_note);
  Result<std::string> ReadCheckpoint() const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  explicit Log(std::filesystem::path dir) : dir_(std::move(dir)) {}
  using TileBatch = std::vector<std::pair<std::filesystem::path, std::vector<std::uint8_t>>>;
  Status WriteTile(const TilePath& path, Bytes content, TileBatch& batch);
  Status LoadAndVerify(Mode mode);
  // kAppend: the right edge only (the partial tile of each level, the partial bundle).
  Status LoadEdge(std::uint64_t size);
  // The hashes of `count` complete subtrees of tree level `level` from `first`, as a tile
  // holds them.
  Result<std::vector<std::uint8_t>> TreeHashes(std::size_t level, std::uint64_t first,
                                               std::uint64_t count) const;

  std::filesystem::path dir_;
  MerkleTree tree_;
  std::uint64_t committed_size_ = 0;
  // Entries of the entry bundle being filled (leaves from bundle_start_ on).
  std::uint64_t bundle_start_ = 0;
  std::vector<std::vector<std::uint8_t>> bundle_;
  // Completed bundles not yet written, by tile index.
  std::map<std::uint64_t, std::vector<std::uint8_t>> finished_bundles_;
};

}  // namespace izde::ledger
