#include "index/search_index.h"

#include <sodium.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <cstring>
#include <set>

#include "base/parallel_for.h"
#include "model/text.h"

namespace izde::index {
namespace {

bool IsCjk(UChar32 c) {
  UErrorCode err = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &err);
  return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
         sc == USCRIPT_HANGUL;
}

void AppendText(std::string& out, const nlohmann::json& v) {
  if (v.is_string()) {
    if (!out.empty()) out += ' ';
    out += v.get_ref<const std::string&>();
  }
}

Entry Describe(const model::Record& r, const NameKeys& name_keys) {
  Entry e;
  e.id = r.id;
  e.type = r.type;
  const auto& d = r.doc;
  if (d.contains("names") && d["names"].is_array()) {
    // Name forms of one person share most keys; each is indexed once.
    std::set<std::string> seen_keys;
    for (const auto& f : d["names"]) {
      const std::string text = f.value("text", "");
      if (e.title.empty()) e.title = text;
      AppendText(e.names, text);
      if (name_keys)
        for (auto& k : name_keys(text))
          if (seen_keys.insert(k).second) AppendText(e.keys, k);
    }
  }
  if (d.contains("identifiers") && d["identifiers"].is_array())
    for (const auto& i : d["identifiers"]) AppendText(e.names, i.value("value", ""));
  for (const char* f : {"hometown", "ethnicity", "transcript", "summary", "notes", "place", "title",
                        "reference", "county", "agency", "interviewer"})
    if (d.contains(f)) AppendText(e.text, d[f]);
  if (e.title.empty()) e.title = d.value("kind", std::string(model::TypeName(r.type)));
  e.names = SeparateCjk(e.names);
  e.text = SeparateCjk(e.text);
  return e;
}

// FTS5 query: every token a quoted prefix term; runs of CJK characters a
// quoted phrase of single-character tokens.
std::string BuildQuery(std::string_view q, bool last_is_prefix) {
  std::string spaced = SeparateCjk(q);
  std::vector<std::string> tokens;
  std::string tok;
  for (char c : spaced) {
    // Separators FTS5's unicode61 tokenizer would also split on.
    if (c == ' ' || c == '\t' || c == '\n' || c == ',' || c == ';' || c == '(' || c == ')' ||
        c == '"' || c == '*' || c == ':' || c == '^' || c == '+') {
      if (!tok.empty()) tokens.push_back(std::move(tok));
      tok.clear();
    } else {
      tok += c;
    }
  }
  if (!tok.empty()) tokens.push_back(std::move(tok));
  // Whole words, except the last, which may be still being typed: a prefix.
  // (Prefix terms scan many index entries; whole words are a single lookup.)
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string esc;
    for (char c : tokens[i]) esc += (c == '"') ? std::string("\"\"") : std::string(1, c);
    if (!out.empty()) out += " AND ";
    out += "\"" + esc + "\"";
    bool single_cjk = static_cast<unsigned char>(tokens[i][0]) >= 0xE2 && tokens[i].size() <= 4;
    if (last_is_prefix && i + 1 == tokens.size() && !single_cjk) out += "*";
  }
  return out;
}

// How long a connection waits for another's write (or a write for the searches) to end.
constexpr int kBusyMs = 30000;

std::string Column(sqlite3_stmt* st, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  return p ? std::string(p) : std::string();
}

}  // namespace

std::string JoinCjk(std::string_view text) {
  // Decode, then drop runs of spaces whose nearest neighbours (looking past
  // the snippet's [ ] marks) are both CJK: those spaces were ours.
  std::vector<UChar32> cps;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(text.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    cps.push_back(c < 0 ? 0xFFFD : c);
  }
  auto cjk_at = [&](size_t k, int step) {
    for (long j = static_cast<long>(k); j >= 0 && j < static_cast<long>(cps.size()); j += step) {
      UChar32 c = cps[static_cast<size_t>(j)];
      if (c == '[' || c == ']') continue;
      // The middle dot joins the parts of a Turkic name written in Chinese characters.
      return c == 0x00B7 || (c >= 0x2E80 && IsCjk(c));
    }
    return false;
  };
  std::string out;
  for (size_t k = 0; k < cps.size();) {
    if (cps[k] != ' ') {
      char buf[4];
      int32_t len = 0;
      U8_APPEND_UNSAFE(buf, len, cps[k]);
      out.append(buf, static_cast<size_t>(len));
      ++k;
      continue;
    }
    size_t end = k;
    while (end < cps.size() && cps[end] == ' ') ++end;
    bool before = k > 0 && cjk_at(k - 1, -1), after = end < cps.size() && cjk_at(end, 1);
    if (before && after && !out.empty() && out.back() == ']' && cps[end] == '[') {
      // Two marked characters of one word: one mark, "[买买提]", not "[买][买][提]".
      out.pop_back();
      k = end + 1;
      continue;
    }
    if (!(before && after) && k > 0 && end < cps.size()) out += ' ';
    k = end;
  }
  return out;
}

std::string SeparateCjk(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(text.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    bool cjk = c >= 0x2E80 && IsCjk(c);
    if (cjk) out += ' ';
    out.append(text.data() + start, static_cast<size_t>(i - start));
    if (cjk) out += ' ';
  }
  return out;
}

Result<std::pair<sqlite3*, std::string>> SearchIndex::OpenMemory() {
  // SQLite's memdb VFS: a database in this process's memory that several connections
  // can open by name (the searches' readers). The name is random, so no other code in
  // the process opens it by chance. Its journal must stay in memory too: memdb would
  // hand a journal file to the ordinary VFS, on disk.
  unsigned char rnd[16];
  randombytes_buf(rnd, sizeof rnd);
  std::string uri = "file:/izde-search-";
  for (unsigned char b : rnd) {
    const char* hex = "0123456789abcdef";
    uri += hex[b >> 4];
    uri += hex[b & 15];
  }
  uri += "?vfs=memdb";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(
          uri.c_str(), &db,
          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
          nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::Io("cannot create the in-memory search index");
  }
  sqlite3_busy_timeout(db, kBusyMs);
  std::string mode;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_exec(db, "PRAGMA temp_store=MEMORY", nullptr, nullptr, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "PRAGMA journal_mode=MEMORY", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    mode = Column(st, 0);
  sqlite3_finalize(st);
  if (mode != "memory") {
    sqlite3_close(db);
    return Status::Io("cannot keep the search index's journal in memory");
  }
  return std::make_pair(db, uri);
}

Result<std::unique_ptr<SearchIndex>> SearchIndex::Create(NameKeys keys) {
  IZDE_ASSIGN_OR_RETURN(auto opened, OpenMemory());
  std::unique_ptr<SearchIndex> idx(
      new SearchIndex(opened.first, std::move(opened.second), std::move(keys)));
  sqlite3* db = idx->db_;
  const char* schema =
      "CREATE VIRTUAL TABLE entries USING fts5(id UNINDEXED, type UNINDEXED, title UNINDEXED,"
      " names, keys, text, tokenize = 'unicode61 remove_diacritics 2', prefix = '3', detail = "
      "column);";
  char* err = nullptr;
  if (sqlite3_exec(db, schema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "";
    sqlite3_free(err);
    return Status::Io("cannot create the search index: " + msg);
  }
  IZDE_RETURN_IF_ERROR(idx->PrepareStatements());
  return idx;
}

Status SearchIndex::PrepareStatements() {
  if (sqlite3_prepare_v3(db_, "DELETE FROM entries WHERE rowid = ?", -1, SQLITE_PREPARE_PERSISTENT,
                         &del_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v3(db_,
                         "INSERT INTO entries (id, type, title, names, keys, text) "
                         "VALUES (?,?,?,?,?,?)",
                         -1, SQLITE_PREPARE_PERSISTENT, &ins_, nullptr) != SQLITE_OK)
    return Status::Io(std::string("cannot prepare the search index: ") + sqlite3_errmsg(db_));
  return Status::Ok();
}

Result<std::string> SearchIndex::Serialize() const {
  sqlite3_int64 size = 0;
  unsigned char* image = sqlite3_serialize(db_, "main", &size, 0);
  if (!image) return Status::Io("cannot serialise the search index (out of memory)");
  std::string out(reinterpret_cast<const char*>(image), static_cast<size_t>(size));
  sodium_memzero(image, static_cast<size_t>(size));
  sqlite3_free(image);
  return out;
}

Result<std::unique_ptr<SearchIndex>> SearchIndex::Restore(std::string_view image, NameKeys keys) {
  // The image is loaded into a private in-memory database, then copied into the
  // named one (deserialising would make the database private to one connection).
  sqlite3* tmp = nullptr;
  if (sqlite3_open_v2(":memory:", &tmp,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    sqlite3_close(tmp);
    return Status::Io("cannot create the in-memory search index");
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> tmp_owner(tmp, sqlite3_close);
  auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(image.size()));
  if (!buf) return Status::Io("cannot load the search index (out of memory)");
  std::memcpy(buf, image.data(), image.size());
  if (sqlite3_deserialize(tmp, "main", buf, static_cast<sqlite3_int64>(image.size()),
                          static_cast<sqlite3_int64>(image.size()),
                          SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
      SQLITE_OK)
    return Status::Corrupt("the saved search index cannot be loaded");
  IZDE_ASSIGN_OR_RETURN(auto opened, OpenMemory());
  std::unique_ptr<SearchIndex> idx(
      new SearchIndex(opened.first, std::move(opened.second), std::move(keys)));
  sqlite3* db = idx->db_;
  sqlite3_backup* backup = sqlite3_backup_init(db, "main", tmp, "main");
  if (!backup)
    return Status::Io("cannot load the search index: " + std::string(sqlite3_errmsg(db)));
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::Corrupt("the saved search index cannot be loaded");
  tmp_owner.reset();
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT rowid, id FROM entries", -1, &st, nullptr) != SQLITE_OK)
    return Status::Corrupt("the saved search index is not an izde index");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    idx->rowids_[Column(st, 1)] = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return Status::Corrupt("the saved search index is damaged");
  IZDE_RETURN_IF_ERROR(idx->PrepareStatements());
  return idx;
}

SearchIndex::~SearchIndex() {
  for (sqlite3* r : idle_readers_) sqlite3_close(r);
  sqlite3_finalize(del_);
  sqlite3_finalize(ins_);
  sqlite3_close(db_);  // the last connection: the in-memory database goes with it
}

bool IsSearchable(model::RecordType type) {
  using model::RecordType;
  return type == RecordType::kPerson || type == RecordType::kTestimony ||
         type == RecordType::kSource || type == RecordType::kFacility;
}

Entry SearchIndex::Prepare(const model::Record& r) const { return Describe(r, keys_); }

class SearchIndex::WriteTurn {
 public:
  explicit WriteTurn(SearchIndex& idx) : idx_(idx) {
    std::unique_lock lock(idx_.readers_mu_);
    idx_.writing_ = true;  // no search starts from now on
    idx_.readers_cv_.wait(lock, [&] { return idx_.searching_ == 0; });
  }
  ~WriteTurn() {
    {
      std::lock_guard lock(idx_.readers_mu_);
      idx_.writing_ = false;
    }
    idx_.readers_cv_.notify_all();
  }

 private:
  SearchIndex& idx_;
};

Status SearchIndex::Insert(const Entry& e) {
  // The id column is not indexed by FTS5, so entries are replaced by rowid.
  if (auto it = rowids_.find(e.id); it != rowids_.end()) {
    sqlite3_bind_int64(del_, 1, it->second);
    sqlite3_step(del_);
    sqlite3_reset(del_);
    rowids_.erase(it);
  }
  std::string_view type = model::TypeName(e.type);
  sqlite3_bind_text(ins_, 1, e.id.data(), static_cast<int>(e.id.size()), SQLITE_STATIC);
  sqlite3_bind_text(ins_, 2, type.data(), static_cast<int>(type.size()), SQLITE_STATIC);
  sqlite3_bind_text(ins_, 3, e.title.data(), static_cast<int>(e.title.size()), SQLITE_STATIC);
  sqlite3_bind_text(ins_, 4, e.names.data(), static_cast<int>(e.names.size()), SQLITE_STATIC);
  sqlite3_bind_text(ins_, 5, e.keys.data(), static_cast<int>(e.keys.size()), SQLITE_STATIC);
  sqlite3_bind_text(ins_, 6, e.text.data(), static_cast<int>(e.text.size()), SQLITE_STATIC);
  int rc = sqlite3_step(ins_);
  sqlite3_reset(ins_);
  if (rc != SQLITE_DONE) return Status::Io(std::string("search index: ") + sqlite3_errmsg(db_));
  rowids_[e.id] = sqlite3_last_insert_rowid(db_);
  return Status::Ok();
}

Status SearchIndex::Put(const model::Record& r) {
  if (!IsSearchable(r.type)) return Status::Ok();
  Entry e = Prepare(r);
  WriteTurn turn(*this);
  return Insert(e);
}

Status SearchIndex::PutAll(const std::vector<model::Record>& rs) {
  std::vector<const model::Record*> ptrs;
  ptrs.reserve(rs.size());
  for (const auto& r : rs) ptrs.push_back(&r);
  return PutAll(ptrs);
}

Status SearchIndex::PutAll(const std::vector<const model::Record*>& rs) {
  std::vector<const model::Record*> searchable;
  for (const auto* r : rs)
    if (IsSearchable(r->type)) searchable.push_back(r);
  // Name keys and entry text on all cores; the insert itself is one thread.
  std::vector<Entry> entries(searchable.size());
  ParallelFor(searchable.size(), [&](size_t i) { entries[i] = Prepare(*searchable[i]); });
  return PutPrepared(entries);
}

Status SearchIndex::PutPrepared(const std::vector<Entry>& entries) {
  WriteTurn turn(*this);
  sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr);
  for (const auto& e : entries) {
    Status s = Insert(e);
    if (!s.ok()) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return s;
    }
  }
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  return Status::Ok();
}

namespace {

// Ranking costs per matching record. A name shared by thousands of records
// (Nurmemet, Aigul) would take tens of milliseconds to rank in full, so when
// more than this many records match they come in the order they were written,
// unranked; a more specific query brings back ranking.
constexpr int64_t kRankWindow = 1000;

// Appends up to `limit` hits of one FTS5 match expression, best first.
Status Run(sqlite3* db_, const std::string& match, size_t limit, std::vector<Hit>& hits) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(
          db_, "SELECT count(*) FROM (SELECT 1 FROM entries WHERE entries MATCH ? LIMIT ?)", -1,
          &st, nullptr) != SQLITE_OK)
    return Status::Io(std::string("search: ") + sqlite3_errmsg(db_));
  sqlite3_bind_text(st, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, kRankWindow + 1);
  int rc = sqlite3_step(st);
  int64_t matches = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW)
    return Status::InvalidInput("izde could not understand the search text; try plain words");
  if (matches == 0) return Status::Ok();
  // Snippets re-read each document, so they are computed only for the rows
  // returned, never for every match.
  std::string sql = matches > kRankWindow
                        ? "SELECT id, type, title, snippet(entries, 3, '[', ']', '…', 12), "
                          "snippet(entries, 5, '[', ']', '…', 12), 0 FROM entries "
                          "WHERE entries MATCH ?1 LIMIT ?2"
                        : "SELECT id, type, title, snippet(entries, 3, '[', ']', '…', 12), "
                          "snippet(entries, 5, '[', ']', '…', 12), "
                          "bm25(entries, 0.0, 0.0, 0.0, 10.0, 5.0, 1.0) AS r FROM entries "
                          "WHERE entries MATCH ?1 ORDER BY r LIMIT ?2";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    return Status::Io(std::string("search: ") + sqlite3_errmsg(db_));
  sqlite3_bind_text(st, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, static_cast<int64_t>(limit));
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::string names = Column(st, 3), text = Column(st, 4);
    bool in_names = names.find('[') != std::string::npos;
    bool in_text = text.find('[') != std::string::npos;
    hits.push_back({Column(st, 0), Column(st, 1), Column(st, 2),
                    JoinCjk(in_text && !in_names ? text : names), sqlite3_column_double(st, 5)});
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return Status::InvalidInput("izde could not understand the search text; try plain words");
  return Status::Ok();
}

}  // namespace

Result<std::vector<Hit>> SearchIndex::Search(std::string_view query, size_t limit) {
  return SearchOn(db_, query, limit);
}

Result<std::vector<Hit>> SearchIndex::SearchShared(std::string_view query, size_t limit) {
  sqlite3* reader = nullptr;
  {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(
        lock, [&] { return !writing_ && (!idle_readers_.empty() || readers_open_ < kReaders); });
    ++searching_;
    if (!idle_readers_.empty()) {
      reader = idle_readers_.back();
      idle_readers_.pop_back();
    } else {
      ++readers_open_;
    }
  }
  if (!reader) {
    int rc = sqlite3_open_v2(uri_.c_str(), &reader,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(reader, kBusyMs);
      rc = sqlite3_exec(reader, "PRAGMA temp_store=MEMORY", nullptr, nullptr, nullptr);
    }
    if (rc != SQLITE_OK) {
      sqlite3_close(reader);
      std::lock_guard lock(readers_mu_);
      --readers_open_;
      --searching_;
      readers_cv_.notify_all();
      return Status::Io("cannot open a reader of the in-memory search index");
    }
  }
  auto hits = SearchOn(reader, query, limit);
  {
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(reader);
    --searching_;
  }
  readers_cv_.notify_all();
  return hits;
}

Result<std::vector<Hit>> SearchIndex::SearchOn(sqlite3* db, std::string_view query, size_t limit) {
  if (!model::IsValidUtf8(query)) return Status::InvalidInput("the search text is not valid UTF-8");
  std::string exact = BuildQuery(query, false);
  if (exact.empty()) return std::vector<Hit>();
  // In order, each filling what the one before left: the words as written;
  // the last word as the start of a longer one (still being typed); the
  // cross-script name keys. A common name matches thousands of records, and
  // ranking them costs per match, so the narrower queries run first.
  std::vector<std::string> stages = {"{names text}: (" + exact + ")"};
  std::string prefix = BuildQuery(query, true);
  if (prefix != exact) stages.push_back("{names text}: (" + prefix + ")");
  if (keys_) {
    std::string key_terms;
    for (const auto& k : keys_(query)) {
      if (!key_terms.empty()) key_terms += " AND ";
      std::string esc;
      for (char c : k) esc += (c == '"') ? std::string("\"\"") : std::string(1, c);
      key_terms += "\"" + esc + "\"";
    }
    if (!key_terms.empty()) stages.push_back("keys: (" + key_terms + ")");
  }
  std::vector<Hit> hits;
  std::string earlier;
  for (const auto& stage : stages) {
    if (hits.size() >= limit) break;
    std::string match = earlier.empty() ? stage : "(" + stage + ") NOT (" + earlier + ")";
    IZDE_RETURN_IF_ERROR(Run(db, match, limit - hits.size(), hits));
    earlier = earlier.empty() ? stage : "(" + earlier + ") OR (" + stage + ")";
  }
  return hits;
}

int64_t SearchIndex::size() const { return static_cast<int64_t>(rowids_.size()); }

}  // namespace izde::index
