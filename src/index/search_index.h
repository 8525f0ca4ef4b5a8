// The search index: an in-memory SQLite FTS5 database built when a vault is
// unlocked and kept current on every write. It holds plaintext names and
// testimony text, so it never touches disk (SQLite's memdb VFS under a random
// name, journal and temporary files in memory) and dies with the process or the lock.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "model/record.h"

namespace izde::index {

struct Hit {
  std::string id;
  std::string type;
  std::string title;    // the record's first name form, or its kind
  std::string snippet;  // the matching text with the match in [brackets]
  double rank = 0;      // lower is better (bm25)
};

// Turns a name into extra search keys (the cross-script name keys of
// src/names). Optional: without it, search matches the text as written.
using NameKeys = std::function<std::vector<std::string>(std::string_view)>;

// What the index stores for one record, computed apart from the index so
// that it can be done on several threads (unlock) before a single-threaded
// insert.
struct Entry {
  std::string id;
  model::RecordType type = model::RecordType::kPerson;
  std::string title, names, keys, text;  // names and text already CJK-separated
};

// Records of these types are searchable: people, testimonies, sources and
// facilities. Events and relations are reached through their person;
// witnesses are never indexed (their identities stay in their own tier).
bool IsSearchable(model::RecordType type);

class SearchIndex {
 public:
  static Result<std::unique_ptr<SearchIndex>> Create(NameKeys keys = nullptr);
  // The index as one database image, and back. The image is plaintext: the
  // vault seals it before it leaves memory (vault/index_cache.h).
  Result<std::string> Serialize() const;
  static Result<std::unique_ptr<SearchIndex>> Restore(std::string_view image,
                                                      NameKeys keys = nullptr);
  ~SearchIndex();

  // Adds or replaces the entry for r.id. Witness records are never indexed:
  // witness identities stay in their own tier.
  Status Put(const model::Record& r);
  // Many records in one transaction (unlock, import).
  Status PutAll(const std::vector<model::Record>& rs);
  Status PutAll(const std::vector<const model::Record*>& rs);
  // Thread-safe: what Put would store for r.
  Entry Prepare(const model::Record& r) const;
  Status PutPrepared(const std::vector<Entry>& entries);

  // Every word of `query` must match (as a prefix) a name, identifier or text
  // of the record; Chinese characters match as a phrase.
  Result<std::vector<Hit>> Search(std::string_view query, size_t limit = 20);
  // The same, on a read-only connection of its own (up to kReaders at once, then
  // callers wait): safe to call from several threads at once, and while one other
  // thread writes (a search waits for a write to finish, and sees all or none of it).
  // Everything else, destruction included, stays with one thread at a time.
  static constexpr size_t kReaders = 4;
  Result<std::vector<Hit>> SearchShared(std::string_view query, size_t limit = 20);
  int64_t size() const;

 private:
  SearchIndex(sqlite3* db, std::string uri, NameKeys keys)
      : db_(db), uri_(std::move(uri)), keys_(std::move(keys)) {}
  // A fresh writable connection to a new in-memory database of a random name.
  static Result<std::pair<sqlite3*, std::string>> OpenMemory();
  Status Insert(const Entry& e);
  Status PrepareStatements();
  Result<std::vector<Hit>> SearchOn(sqlite3* db, std::string_view query, size_t limit);
  sqlite3* db_;
  std::string uri_;  // the memdb name, for the readers' connections
  NameKeys keys_;
  // Readers and the owner's writes take turns here rather than in SQLite, whose
  // waits are sleeps: a write waits for the searches under way and none starts until
  // it is done.
  class WriteTurn;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<sqlite3*> idle_readers_;
  size_t readers_open_ = 0, searching_ = 0;
  bool writing_ = false;
  sqlite3_stmt* del_ = nullptr;
  sqlite3_stmt* ins_ = nullptr;
  std::unordered_map<std::string, int64_t> rowids_;  // record id -> FTS5 rowid
};

// Inserts spaces around CJK characters so that FTS5 indexes each as a token.
std::string SeparateCjk(std::string_view text);
// Undoes SeparateCjk for display (snippets).
std::string JoinCjk(std::string_view text);

}  // namespace izde::index
