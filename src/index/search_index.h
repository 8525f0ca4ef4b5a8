// The search index: an in-memory SQLite FTS5 database built when a vault is
// unlocked and kept current on every write. It holds plaintext names and
// testimony text, so it never touches disk (":memory:", temp_store=MEMORY)
// and dies with the process or the lock.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <memory>
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
  int64_t size() const;

 private:
  explicit SearchIndex(sqlite3* db, NameKeys keys) : db_(db), keys_(std::move(keys)) {}
  Status Insert(const Entry& e);
  Status PrepareStatements();
  // Appends up to `limit` hits of one FTS5 match expression, best first.
  Status Run(const std::string& match, size_t limit, std::vector<Hit>& hits);
  sqlite3* db_;
  NameKeys keys_;
  sqlite3_stmt* del_ = nullptr;
  sqlite3_stmt* ins_ = nullptr;
  std::unordered_map<std::string, int64_t> rowids_;  // record id -> FTS5 rowid
};

// Inserts spaces around CJK characters so that FTS5 indexes each as a token.
std::string SeparateCjk(std::string_view text);
// Undoes SeparateCjk for display (snippets).
std::string JoinCjk(std::string_view text);

}  // namespace izde::index
