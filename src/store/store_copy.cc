#include "store/store_copy.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/postgresql/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace izde::store {
namespace {

using Change = std::pair<std::string, int64_t>;

// The interface has no way to list settings yet (adding one rebuilds every
// module); the two engines can.
Result<std::map<std::string, Bytes>> ListSettings(Store& s) {
  if (auto* sqlite = dynamic_cast<SqliteStore*>(&s)) return sqlite->ListSettings();
  if (auto* pg = dynamic_cast<PostgresStore*>(&s)) return pg->ListSettings();
  return Status::InvalidInput("this store cannot list its settings, so it cannot be copied");
}

// One version, read through History: the history of the record asked for last
// is kept, since a record's versions often follow one another in the change log.
class VersionReader {
 public:
  explicit VersionReader(Store& s) : store_(s) {}
  Result<std::optional<StoredVersion>> Get(const std::string& id, int64_t version) {
    if (id != id_) {
      IZDE_ASSIGN_OR_RETURN(history_, store_.History(id));
      id_ = id;
    }
    for (const auto& v : history_)
      if (v.version == version) return std::optional<StoredVersion>(v);
    return std::optional<StoredVersion>();
  }

 private:
  Store& store_;
  std::string id_;
  std::vector<StoredVersion> history_;
};

Result<std::vector<Change>> Changes(Store& s) {
  std::vector<Change> out;
  IZDE_RETURN_IF_ERROR(s.ChangesSince(0, [&](const std::string& id, int64_t v) {
    out.emplace_back(id, v);
    return Status::Ok();
  }));
  return out;
}

bool Same(const StoredVersion& a, const StoredVersion& b) {
  return a.record_id == b.record_id && a.type == b.type && a.version == b.version &&
         a.created_at == b.created_at && a.tier == b.tier && a.wrapped_key == b.wrapped_key &&
         a.sealed == b.sealed;
}

bool Same(const KeySlot& a, const KeySlot& b) {
  return a.user == b.user && a.salt == b.salt && a.opslimit == b.opslimit &&
         a.memlimit == b.memlimit && a.wrapped_master == b.wrapped_master &&
         a.wrapped_witness == b.wrapped_witness && a.created_at == b.created_at;
}

Status Compare(Store& from, Store& to, const std::vector<Change>& changes) {
  IZDE_ASSIGN_OR_RETURN(auto copied, Changes(to));
  if (copied != changes)
    return Status::Corrupt("the copy's change log differs from the original's (" +
                           std::to_string(copied.size()) + " changes against " +
                           std::to_string(changes.size()) + ")");
  VersionReader read_from(from), read_to(to);
  for (const auto& [id, version] : changes) {
    IZDE_ASSIGN_OR_RETURN(auto a, read_from.Get(id, version));
    IZDE_ASSIGN_OR_RETURN(auto b, read_to.Get(id, version));
    if (!a || !b || !Same(*a, *b))
      return Status::Corrupt("record " + id + " version " + std::to_string(version) +
                             " differs in the copy");
  }
  IZDE_ASSIGN_OR_RETURN(auto slots_a, from.ListKeySlots());
  IZDE_ASSIGN_OR_RETURN(auto slots_b, to.ListKeySlots());
  bool same = slots_a.size() == slots_b.size();
  for (size_t i = 0; same && i < slots_a.size(); ++i) same = Same(slots_a[i], slots_b[i]);
  if (!same) return Status::Corrupt("the copy's key slots differ from the original's");
  IZDE_ASSIGN_OR_RETURN(auto settings_a, ListSettings(from));
  IZDE_ASSIGN_OR_RETURN(auto settings_b, ListSettings(to));
  if (settings_a != settings_b) return Status::Corrupt("the copy's settings differ");
  return Status::Ok();
}

}  // namespace

Result<CopyCounts> CopyStore(Store& from, Store& to,
                             const std::function<void(size_t, size_t)>& progress) {
  IZDE_ASSIGN_OR_RETURN(int64_t existing, to.LastChange());
  IZDE_ASSIGN_OR_RETURN(auto existing_slots, to.ListKeySlots());
  if (existing != 0 || !existing_slots.empty())
    return Status::AlreadyExists(
        "the destination already holds a vault; migrate only into an empty one");
  IZDE_ASSIGN_OR_RETURN(auto changes, Changes(from));
  IZDE_ASSIGN_OR_RETURN(auto slots, from.ListKeySlots());
  IZDE_ASSIGN_OR_RETURN(auto settings, ListSettings(from));
  CopyCounts counts;
  IZDE_RETURN_IF_ERROR(to.Begin());
  auto fail = [&](const Status& s) {
    to.Rollback();
    return s;
  };
  VersionReader reader(from);
  for (const auto& [id, version] : changes) {
    auto v = reader.Get(id, version);
    if (!v.ok()) return fail(v.status());
    if (!*v)
      return fail(Status::Corrupt("the change log names record " + id + " version " +
                                  std::to_string(version) + ", which is missing"));
    if (Status s = to.AppendVersion(**v); !s.ok()) return fail(s);
    ++counts.versions;
    if (progress && (counts.versions % 4096 == 0)) progress(counts.versions, changes.size());
  }
  for (const auto& k : slots) {
    if (Status s = to.PutKeySlot(k); !s.ok()) return fail(s);
    ++counts.key_slots;
  }
  for (const auto& [key, value] : settings) {
    if (Status s = to.SetSetting(key, value); !s.ok()) return fail(s);
    ++counts.settings;
  }
  IZDE_RETURN_IF_ERROR(to.Commit());
  if (progress) progress(changes.size(), changes.size());
  IZDE_RETURN_IF_ERROR(Compare(from, to, changes));
  return counts;
}

}  // namespace izde::store
