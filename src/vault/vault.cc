#include "vault/vault.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <unordered_map>

#include "base/parallel_for.h"
#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "ledger/note_key.h"
#include "model/text.h"
#include "store/postgresql/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "vault/blob_seal.h"
#include "vault/fault_points.h"
#include "vault/field_commitments.h"
#include "vault/index_cache.h"
#include "vault/vault_store.h"

namespace izde::vault {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRecordTier = "record";
constexpr const char* kWitnessTier = "witness";

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

SecretKey DeriveTierKey(const SecretKey& from, uint64_t id, const char ctx[8]) {
  SecretKey k;
  crypto_kdf_derive_from_key(k.data(), SecretKey::kSize, id, ctx, from.data());
  return k;
}

std::string RandomHex(size_t bytes) {
  std::vector<uint8_t> b(bytes);
  randombytes_buf(b.data(), b.size());
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) s += d[x >> 4], s += d[x & 15];
  return s;
}

bool HexToKey(const std::string& hex, SecretKey& key) {
  size_t bin_len = 0;
  return hex.size() == 2 * SecretKey::kSize &&
         sodium_hex2bin(key.data(), SecretKey::kSize, hex.data(), hex.size(), nullptr, &bin_len,
                        nullptr) == 0 &&
         bin_len == SecretKey::kSize;
}

void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

store::Bytes ToBytes(const std::string& s) { return store::Bytes(s.begin(), s.end()); }

constexpr const char* kLogKeyAd = "izde/logkey/v1";

// The log's Ed25519 key is sealed under crypto_kdf(M, 3, "izdelogk"): every user of the
// vault can sign checkpoints, nobody without a passphrase can.
Result<std::unique_ptr<ledger::NoteSigner>> NewLogKey(store::Store& store,
                                                      const SecretKey& master) {
  std::string vault_id = RandomHex(8);
  IZDE_ASSIGN_OR_RETURN(auto signer, ledger::NoteSigner::Generate("izde.vault/" + vault_id));
  SecretKey kek = DeriveTierKey(master, 3, "izdelogk");
  ledger::SecretBytes encoded = signer.EncodePrivate();
  store::Bytes sealed;
  DefaultCipher().Seal(
      kek.data(), std::string_view(reinterpret_cast<const char*>(encoded.data()), encoded.size()),
      kLogKeyAd, sealed);
  IZDE_RETURN_IF_ERROR(store.SetSetting(kVaultIdSetting, ToBytes(vault_id)));
  IZDE_RETURN_IF_ERROR(store.SetSetting(kLogKeySetting, sealed));
  IZDE_RETURN_IF_ERROR(store.SetSetting(kLogVerifierSetting, ToBytes(signer.verifier().Encode())));
  IZDE_RETURN_IF_ERROR(store.SetSetting(kLogSizeSetting, ToBytes("0")));
  return std::make_unique<ledger::NoteSigner>(std::move(signer));
}

Result<std::unique_ptr<ledger::NoteSigner>> OpenLogKey(const store::Bytes& sealed,
                                                       const SecretKey& master) {
  SecretKey kek = DeriveTierKey(master, 3, "izdelogk");
  std::string plain;
  IZDE_RETURN_IF_ERROR(DefaultCipher()
                           .Open(kek.data(), sealed.data(), sealed.size(), kLogKeyAd, plain)
                           .Within("the vault's log signing key does not open"));
  auto signer = ledger::NoteSigner::Parse(plain);
  sodium_memzero(plain.data(), plain.size());
  if (!signer.ok()) return signer.status().Within("the vault's log signing key");
  return std::make_unique<ledger::NoteSigner>(std::move(signer).value());
}

}  // namespace

Status Vault::Create(const std::string& dir, const std::string& user, std::string_view passphrase,
                     const VaultOptions& options) {
  IZDE_RETURN_IF_ERROR(model::ValidateRecordId(user).Within("user name"));
  if (passphrase.size() < 8)
    return Status::InvalidInput(
        "the passphrase is too short: use at least 8 characters "
        "(a few words are easier to remember and harder to guess)");
  std::error_code ec;
  if (VaultExists(dir)) return Status::AlreadyExists("a vault already exists at " + dir);
  const bool shared = store::IsPostgresLocation(options.store);
  if (shared && store::ConninfoHasPassword(options.store))
    return Status::InvalidInput(
        "the store location holds a password, which would be written to " + dir +
        "/store in plain form; give the password in ~/.pgpass or $PGPASSWORD instead");
  fs::create_directories(fs::path(dir) / kBlobDir, ec);
  if (ec) return Status::Io("cannot create the vault directory " + dir + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  {
    std::ofstream marker(fs::path(dir) / kMarkerFile);
    marker << "izde vault, format 1. Everything sensitive in here is encrypted; see "
              "docs/formats/vault.md.\n";
  }
  IZDE_ASSIGN_OR_RETURN(auto store, OpenVaultStore(dir, options.store, true));
  if (shared) {
    IZDE_ASSIGN_OR_RETURN(auto slots, store->ListKeySlots());
    if (!slots.empty())
      return Status::AlreadyExists(
          "the PostgreSQL database (" + store::RedactConninfo(options.store) +
          ") already holds a vault; to use it from this server, unlock with --store instead");
    IZDE_RETURN_IF_ERROR(RecordStoreLocation(dir, options.store));
  }
  UnlockedKeys keys;
  keys.master = SecretKey::Random();
  keys.witness = SecretKey::Random();
  IZDE_RETURN_IF_ERROR(store->Begin());
  Status st = store->PutKeySlot(MakeKeySlot(user, passphrase, keys, options.kdf, Now()));
  if (st.ok()) st = store->SetSetting("format", {'1'});
  std::unique_ptr<ledger::NoteSigner> signer;
  if (st.ok()) {
    auto made = NewLogKey(*store, keys.master);
    if (made.ok())
      signer = std::move(made).value();
    else
      st = made.status();
  }
  if (!st.ok()) {
    store->Rollback();
    return st;
  }
  IZDE_RETURN_IF_ERROR(store->Commit());
  // An empty log with its first checkpoint. Should this be interrupted, Unlock creates
  // the log directory and signs the checkpoint.
  IZDE_ASSIGN_OR_RETURN(auto log, VaultLog::Open(fs::path(dir) / kLogDir, std::move(signer),
                                                 ledger::Log::Mode::kWritable, true));
  log->set_shared(store->shared());
  return log->CommitAndCheckpoint().status();
}

Result<std::unique_ptr<Vault>> Vault::Unlock(const std::string& dir, const std::string& user,
                                             std::string_view passphrase,
                                             const VaultOptions& options,
                                             const Progress& progress) {
  std::error_code ec;
  if (!VaultExists(dir)) {
    if (!store::IsPostgresLocation(options.store))
      return Status::NotFound("there is no vault at " + dir +
                              "; create one with `izde init --vault " + dir + "`");
    // Another server's database: this directory becomes this server's part of the vault
    // (its blobs, log and index cache); the database must hold a vault already.
    if (store::ConninfoHasPassword(options.store))
      return Status::InvalidInput(
          "the store location holds a password, which would be written to " + dir +
          "/store in plain form; give the password in ~/.pgpass or $PGPASSWORD instead");
    IZDE_ASSIGN_OR_RETURN(auto existing, OpenVaultStore(dir, options.store, false));
    fs::create_directories(fs::path(dir) / kBlobDir, ec);
    if (ec) return Status::Io("cannot create the vault directory " + dir + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
    IZDE_RETURN_IF_ERROR(RecordStoreLocation(dir, options.store));
  }
  std::unique_ptr<Vault> v(new Vault());
  v->dir_ = dir;
  v->user_ = user;
  v->options_ = options;
  v->cipher_ = options.cipher ? options.cipher : &DefaultCipher();
  IZDE_ASSIGN_OR_RETURN(v->store_, OpenVaultStore(dir, options.store, false));
  IZDE_ASSIGN_OR_RETURN(auto slot, v->store_->GetKeySlot(user));
  if (!slot) {
    IZDE_ASSIGN_OR_RETURN(auto slots, v->store_->ListKeySlots());
    std::string names;
    for (const auto& s : slots) names += (names.empty() ? "" : ", ") + s.user;
    return Status::NotFound("this vault has no user '" + user + "' (its users: " + names + ")");
  }
  IZDE_ASSIGN_OR_RETURN(v->keys_, OpenKeySlot(*slot, passphrase));
  v->record_key_ = DeriveTierKey(v->keys_.master, 1, "izderec1");
  v->setting_key_ = DeriveTierKey(v->keys_.master, 5, "izdeset1");
  if (v->keys_.witness) v->witness_key_ = DeriveTierKey(*v->keys_.witness, 1, "izdewit1");
  if (options.search_index) IZDE_RETURN_IF_ERROR(v->LoadIndex(progress));
  IZDE_RETURN_IF_ERROR(v->OpenLog());
  // Evidence files of uploads that died before their record was saved.
  if (!options.inspect_only) IZDE_RETURN_IF_ERROR(v->SweepPendingBlobs().status());
  return v;
}

const SecretKey* Vault::SaltKey(const std::string& tier) const {
  if (tier == kRecordTier) return &record_salt_;
  if (tier == kWitnessTier && keys_.witness) return &witness_salt_;
  return nullptr;
}

Status Vault::OpenLog() {
  record_salt_ = DeriveSaltKey(record_key_);
  if (keys_.witness) witness_salt_ = DeriveSaltKey(witness_key_);
  IZDE_ASSIGN_OR_RETURN(auto sealed, store_->GetSetting(kLogKeySetting));
  std::unique_ptr<ledger::NoteSigner> signer;
  bool created = false;
  if (!sealed) {
    // A vault made before the log existed: give it a key and log all it holds.
    if (options_.inspect_only)
      return Status::NotFound(
          "this vault has no log yet; unlock it once (izde status) to create it");
    IZDE_RETURN_IF_ERROR(store_->Begin());
    auto made = NewLogKey(*store_, keys_.master);
    if (!made.ok()) {
      store_->Rollback();
      return made.status();
    }
    IZDE_RETURN_IF_ERROR(store_->Commit());
    signer = std::move(made).value();
    created = true;
  } else {
    IZDE_ASSIGN_OR_RETURN(signer, OpenLogKey(*sealed, keys_.master));
  }
  // On a shared store this directory's log is a copy of the database's, brought up to
  // date even for `izde verify --vault` (which then checks the copy against the database).
  store::SharedFiles* shared = store_->shared();
  // Unlocked to work, the log is opened to append: its right edge is read, not every
  // entry (`izde verify --vault` reads and re-hashes everything).
  auto mode = !options_.inspect_only ? ledger::Log::Mode::kAppend
              : shared               ? ledger::Log::Mode::kWritable
                                     : ledger::Log::Mode::kReadOnly;
  // The log's per-record tips are found only when a save needs them (VaultLog::RecordTipOf:
  // from the tips cache, else by reading every entry).
  IZDE_ASSIGN_OR_RETURN(log_, VaultLog::Open(fs::path(dir_) / kLogDir, std::move(signer), mode,
                                             !options_.inspect_only || shared,
                                             /*lazy_tips=*/true));
  log_->set_shared(shared);
  // Opened to append, the log's tiles were not all read: its right edge must still give
  // the root of the last checkpoint the vault signed, so that a log rolled back or a hash
  // tile of the edge altered is refused before anything is appended to it (`izde verify
  // --vault` checks every tile against every checkpoint). On a shared store the copy
  // follows the database's log, which SyncFromShared checks it against.
  if (mode == ledger::Log::Mode::kAppend && !shared) {
    if (auto note = log_->LatestCheckpoint(); note.ok()) {
      ledger::CheckpointPolicy policy{log_->verifier(), "", {}, 0};
      auto cp = ledger::VerifyCheckpoint(*note, policy);
      if (!cp.ok())
        return Status::Corrupt("the log's latest checkpoint (log/checkpoint) does not verify (" +
                               cp.status().message() + "); run izde verify --vault");
      auto root = log_->log().RootAt(cp->checkpoint.size);
      if (!root.ok() || *root != cp->checkpoint.root)
        return Status::Corrupt(
            "the log no longer matches its latest checkpoint (log/checkpoint, size " +
            std::to_string(cp->checkpoint.size) +
            "): its tiles were altered or rolled back; run izde verify --vault");
    }
  }
  if (shared) IZDE_RETURN_IF_ERROR(SeedSharedLog());
  // Tokens, cosigners and the timestamp authority kept in this directory from before they
  // moved into the database go there once (when it holds none yet).
  if (shared && !options_.inspect_only) IZDE_RETURN_IF_ERROR(log_->ShareLocalFiles(false));
  if (shared) IZDE_RETURN_IF_ERROR(log_->SyncFromShared(true));
  if (options_.inspect_only) return Status::Ok();
  IZDE_ASSIGN_OR_RETURN(uint64_t expected, ReadExpectedLogSize(*store_));
  if (created || log_->Size() < expected || !log_->LatestCheckpoint().ok()) {
    IZDE_RETURN_IF_ERROR(CatchUpLog());
    // The checkpoint just signed may be one the database keeps cosigned.
    if (shared) return log_->SyncFromShared(true);
  }
  return Status::Ok();
}

// Records are committed to the store before their leaves reach the log (vault.md "The
// ledger"), so after a crash the store can hold versions the log lacks. Their leaves are
// a function of the sealed versions alone (salts are derived), so they are rebuilt here.
Status Vault::SeedSharedLog() {
  store::SharedFiles* shared = log_->shared();
  IZDE_ASSIGN_OR_RETURN(uint64_t shared_size, shared->LogSize());
  if (shared_size > 0 || log_->Size() == 0 || options_.inspect_only) return Status::Ok();
  // A vault put on PostgreSQL before its log moved into the database: the first server to
  // unlock it gives the database its log.
  std::vector<store::Bytes> entries;
  IZDE_RETURN_IF_ERROR(log_->log().ForEachEntry([&](uint64_t, const std::vector<uint8_t>& e) {
    entries.push_back(e);
    return Status::Ok();
  }));
  IZDE_RETURN_IF_ERROR(store_->Begin());
  auto size = shared->LogSize();  // again, under the lock
  Status st = size.ok() ? Status::Ok() : size.status();
  if (st.ok() && *size == 0) st = shared->AppendLogEntries(0, entries);
  if (!st.ok()) {
    store_->Rollback();
    return st.Within("giving the database this server's log");
  }
  return store_->Commit();
}

// Records are committed to the store before their leaves reach the log (vault.md "The
// ledger"), so after a crash the store can hold versions the log lacks. Their leaves are
// a function of the sealed versions alone (salts are derived), so they are rebuilt here.
// On a shared store the leaves and the versions commit together, so this only completes
// a log from before the log moved into the database; it holds the write lock throughout,
// so that the leaves take the next places in the one log.
Status Vault::CatchUpLog() {
  store::SharedFiles* shared = log_->shared();
  bool in_transaction = false;
  auto fail = [&](Status s) {
    if (in_transaction) store_->Rollback();
    if (shared) log_->DiscardPending();
    return s;
  };
  if (shared) {
    IZDE_RETURN_IF_ERROR(store_->Begin());
    in_transaction = true;
    if (Status s = log_->SyncFromShared(false); !s.ok()) return fail(s);
  }
  if (Status s = log_->EnsureTips(); !s.ok()) return fail(s);
  std::vector<std::pair<std::string, std::string>> behind;  // id, tier
  Status scanned = store_->ScanLatest([&](const store::StoredVersion& s) {
    const auto* tip = log_->LatestRecord(s.record_id);
    if (!tip || tip->version < static_cast<uint64_t>(s.version))
      behind.emplace_back(s.record_id, s.tier);
    return Status::Ok();
  });
  if (!scanned.ok()) return fail(scanned);
  bool complete = true;
  for (const auto& [id, tier] : behind) {
    const SecretKey* key = TierKey(tier);
    if (!key) {
      complete = false;
      continue;
    }
    if (Status s = CatchUpLogOf(id, tier); !s.ok()) return fail(s);
  }
  if (complete && !in_transaction) {
    IZDE_RETURN_IF_ERROR(store_->Begin());
    in_transaction = true;
  }
  if (in_transaction) {
    Status st = Status::Ok();
    const auto& pending = log_->pending();
    if (shared && !pending.empty())
      st = shared->AppendLogEntries(log_->Size() - pending.size(), pending);
    if (st.ok() && complete)
      st = store_->SetSetting(kLogSizeSetting, ToBytes(std::to_string(log_->Size())));
    if (!st.ok()) return fail(st);
    in_transaction = false;
    if (Status c = store_->Commit(); !c.ok()) return fail(c);
  }
  if (!complete)
    log_failure_ =
        "the log lacks witness records saved just before an interruption; a user holding the "
        "witness key must unlock the vault once to complete it";
  return log_->CommitAndCheckpoint().status();
}

Status Vault::CatchUpLogOf(const std::string& id, const std::string& tier) {
  const SecretKey* key = TierKey(tier);
  if (!key) return Status::PermissionDenied("record " + id + " is in the witness tier");
  IZDE_ASSIGN_OR_RETURN(auto versions, store_->History(id));
  for (const auto& s : versions) {
    const auto* tip = log_->LatestRecord(id);
    if (tip && tip->version >= static_cast<uint64_t>(s.version)) continue;
    IZDE_ASSIGN_OR_RETURN(auto opened, OpenDocument(*cipher_, *key, s));
    IZDE_ASSIGN_OR_RETURN(auto leaf, BuildRecordLeaf(*SaltKey(tier), opened.record, s.version,
                                                     tip ? tip->leaf : ledger::Hash{}));
    IZDE_RETURN_IF_ERROR(log_->AppendRecord(leaf).status().Within("record " + id));
    IZDE_ASSIGN_OR_RETURN(auto ev, EvidenceLeafOf(opened.record));
    if (ev) IZDE_RETURN_IF_ERROR(log_->AppendEvidence(*ev).status());
  }
  return Status::Ok();
}

Result<std::vector<ledger::FieldOpening>> Vault::Openings(const OpenedVersion& v) const {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  const SecretKey* salt =
      SaltKey(v.record.type == model::RecordType::kWitness ? kWitnessTier : kRecordTier);
  if (!salt) return Status::PermissionDenied("record " + v.record.id + " is in the witness tier");
  return FieldOpenings(*salt, v.record, v.version);
}

Result<std::string> Vault::Checkpoint() {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  if (!log_failure_.empty()) return Status::Corrupt(log_failure_);
  return log_->CommitAndCheckpoint();
}

Result<std::string> Vault::SignNote(std::string_view text) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_ASSIGN_OR_RETURN(auto sealed, store_->GetSetting(kLogKeySetting));
  if (!sealed) return Status::NotFound("this vault has no log key yet; unlock it once first");
  IZDE_ASSIGN_OR_RETURN(auto signer, OpenLogKey(*sealed, keys_.master));
  IZDE_ASSIGN_OR_RETURN(auto sig, ledger::SignNoteText(text, *signer));
  return ledger::FormatNote(ledger::Note{std::string(text), {sig}});
}

Status Vault::AddRecoveredUser(const std::string& dir, const UnlockedKeys& keys,
                               const std::string& user, std::string_view passphrase, KdfCost cost) {
  IZDE_RETURN_IF_ERROR(model::ValidateRecordId(user).Within("user name"));
  if (passphrase.size() < 8)
    return Status::InvalidInput("the passphrase is too short: use at least 8 characters");
  if (!VaultExists(dir)) return Status::NotFound("there is no vault at " + dir);
  // The vault's own store, SQLite or the PostgreSQL database VAULT/store names.
  IZDE_ASSIGN_OR_RETURN(auto store, OpenVaultStore(dir, "", false));
  IZDE_ASSIGN_OR_RETURN(auto sealed, store->GetSetting(kLogKeySetting));
  if (!sealed) return Status::NotFound("the vault at " + dir + " has no log key to check against");
  if (!OpenLogKey(*sealed, keys.master).ok())
    return Status::PermissionDenied("the recovered key is not the master key of the vault at " +
                                    dir + ": the shares belong to another vault");
  IZDE_ASSIGN_OR_RETURN(auto existing, store->GetKeySlot(user));
  if (existing)
    return Status::AlreadyExists("the vault already has a user '" + user +
                                 "': choose another name for the recovered access");
  return store->PutKeySlot(MakeKeySlot(user, passphrase, keys, cost, Now()));
}

Vault::~Vault() { Lock(); }

void Vault::Lock() {
  if (!locked_) SaveIndexCacheIfStale();
  // Where each record's latest leaf is, so that the next save need not read the whole log
  // (VaultLog::SaveTipsCache; a cache only, so a failure to write it changes nothing).
  if (!locked_ && log_ && !options_.inspect_only && log_failure_.empty())
    (void)log_->SaveTipsCache();
  keys_.master.Wipe();
  if (keys_.witness) keys_.witness->Wipe();
  keys_.witness.reset();
  record_key_.Wipe();
  witness_key_.Wipe();
  record_salt_.Wipe();
  witness_salt_.Wipe();
  index_key_.Wipe();
  setting_key_.Wipe();
  log_.reset();
  index_.reset();
  if (options_.on_lock && !locked_) options_.on_lock();
  locked_ = true;
}

Status Vault::CheckUnlocked() const {
  if (locked_) return Status::Locked("the vault is locked; unlock it again with your passphrase");
  return Status::Ok();
}

const SecretKey* Vault::TierKey(const std::string& tier) const {
  if (tier == kRecordTier) return &record_key_;
  if (tier == kWitnessTier && keys_.witness) return &witness_key_;
  return nullptr;
}

// The sealed index cache is rewritten when this many changes are not in it:
// often enough that catching up at unlock stays short, rarely enough that a
// one-record edit does not pay for sealing the whole index.
constexpr int64_t kIndexCacheRewriteAfter = 1000;

Status Vault::LoadIndex(const Progress& progress) {
  index_key_ = DeriveTierKey(keys_.master, 2, "izdeidx1");
  IZDE_ASSIGN_OR_RETURN(int64_t last, store_->LastChange());
  auto cached = LoadIndexCache(dir_, index_key_, options_.name_keys);
  if (cached.ok() && cached->last_change <= last) {
    index_ = std::move(cached->index);
    cached_change_ = cached->last_change;
    indexed_change_ = cached->last_change;
    return CatchUpIndex();
  }
  // No cache, another format, or damaged: the records are the truth.
  cached_change_ = -1;
  IZDE_ASSIGN_OR_RETURN(index_, index::SearchIndex::Create(options_.name_keys));
  IZDE_RETURN_IF_ERROR(BuildIndex(progress));
  indexed_change_ = last;
  return Status::Ok();
}

Status Vault::CatchUpIndex() {
  std::set<std::string> ids;
  int64_t through = indexed_change_;
  IZDE_RETURN_IF_ERROR(store_->ChangesSince(indexed_change_, [&](const std::string& id, int64_t) {
    ids.insert(id);
    ++through;
    return Status::Ok();
  }));
  std::vector<model::Record> records;
  // A few thousand records per round trip (another server's import can be large).
  constexpr size_t kChunk = 2000;
  std::vector<std::string> chunk;
  auto index_chunk = [&]() -> Status {
    IZDE_ASSIGN_OR_RETURN(auto latest, store_->LatestOf(chunk));
    chunk.clear();
    for (const auto& [id, v] : latest) {
      if (v.tier != kRecordTier) continue;
      auto type = model::ParseType(v.type);
      if (!type || !index::IsSearchable(*type)) continue;
      IZDE_ASSIGN_OR_RETURN(auto opened, OpenDocument(*cipher_, record_key_, v));
      records.push_back(std::move(opened.record));
    }
    return Status::Ok();
  };
  for (const auto& id : ids) {
    chunk.push_back(id);
    if (chunk.size() == kChunk) IZDE_RETURN_IF_ERROR(index_chunk());
  }
  if (!chunk.empty()) IZDE_RETURN_IF_ERROR(index_chunk());
  IZDE_RETURN_IF_ERROR(index_->PutAll(records));
  indexed_change_ = through;
  return Status::Ok();
}

Status Vault::NoteIndexed(size_t appended) {
  IZDE_ASSIGN_OR_RETURN(int64_t last, store_->LastChange());
  if (last == indexed_change_ + static_cast<int64_t>(appended)) {
    indexed_change_ = last;
    return Status::Ok();
  }
  // Another process wrote to the vault meanwhile: index its records too.
  return CatchUpIndex();
}

void Vault::SaveIndexCacheIfStale() {
  if (!index_ || options_.inspect_only || indexed_change_ <= 0) return;
  if (cached_change_ >= 0 && indexed_change_ - cached_change_ < kIndexCacheRewriteAfter) return;
  // A cache that cannot be written is only a slower next unlock.
  if (SaveIndexCache(dir_, index_key_, indexed_change_, options_.name_keys != nullptr, *index_)
          .ok())
    cached_change_ = indexed_change_;
}

Status Vault::BuildIndex(const Progress& progress) {
  // Only searchable records are opened at unlock; the rest are opened when read.
  std::vector<std::string> types;
  for (auto t : {model::RecordType::kPerson, model::RecordType::kTestimony,
                 model::RecordType::kSource, model::RecordType::kFacility})
    types.emplace_back(model::TypeName(t));
  std::vector<store::StoredVersion> stored;
  IZDE_RETURN_IF_ERROR(store_->ScanLatestOfTypes(types, [&](const store::StoredVersion& s) {
    if (s.tier == kRecordTier) stored.push_back(s);
    return Status::Ok();
  }));
  // Decrypting and computing name keys is the costly part: spread it over the
  // cores; the insert into the index is one thread.
  std::vector<index::Entry> entries(stored.size());
  std::vector<Status> errors(stored.size());
  std::atomic<size_t> next{0}, done{0};
  unsigned threads = options_.unlock_threads ? options_.unlock_threads
                                             : std::max(1u, std::thread::hardware_concurrency());
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < stored.size();) {
      auto opened = OpenDocument(*cipher_, record_key_, stored[i]);
      if (opened.ok())
        entries[i] = index_->Prepare(opened->record);
      else
        errors[i] = opened.status();
      store::Bytes().swap(stored[i].sealed);
      done.fetch_add(1);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads && stored.size() > 1000; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (progress) progress(done.load(), stored.size());
  for (const auto& e : errors)
    if (!e.ok()) return e;
  return index_->PutPrepared(entries);
}

Status Vault::Normalize(model::Record& r) const {
  auto& d = r.doc;
  if (d.contains("names") && d["names"].is_array()) {
    for (auto& f : d["names"]) {
      if (!f.is_object() || !f.contains("text") || !f["text"].is_string()) continue;
      const auto& text = f["text"].get_ref<const std::string&>();
      if (!model::IsValidUtf8(text)) continue;  // validation reports it
      f["text"] = model::NormalizeText(text);
      if (!f.contains("script")) f["script"] = model::DetectScript(f["text"].get<std::string>());
    }
  }
  return Status::Ok();
}

Result<int64_t> Vault::Save(model::Record record, const std::string& author) {
  std::string id = record.id;
  std::vector<model::Record> one;
  one.push_back(std::move(record));
  IZDE_RETURN_IF_ERROR(SaveAll(std::move(one), nullptr, author).status());
  IZDE_ASSIGN_OR_RETURN(auto latest, store_->Latest(id));
  return latest ? latest->version : 0;
}

Result<size_t> Vault::SaveAll(std::vector<model::Record> records, const Progress& progress,
                              const std::string& author) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  const std::string& writer = author.empty() ? user_ : author;
  // Normalising and validating is per record and CPU-bound: all cores.
  std::vector<Status> checks(records.size());
  ParallelFor(records.size(), [&](size_t i) {
    auto& r = records[i];
    checks[i] = Normalize(r);
    if (checks[i].ok())
      checks[i] = model::Validate(r).Within(std::string(model::TypeName(r.type)) + " " + r.id);
  });
  for (size_t i = 0; i < records.size(); ++i) {
    IZDE_RETURN_IF_ERROR(checks[i]);
    if (records[i].type == model::RecordType::kWitness && !keys_.witness)
      return Status::PermissionDenied(
          "user '" + user_ + "' does not hold the witness key, so cannot record witnesses");
  }
  if (!log_failure_.empty()) return Status::Corrupt(log_failure_);
  const int64_t now = Now();
  std::vector<const model::Record*> written;
  // The batch's leaves, built while the versions are sealed and appended to the log only
  // once the store has committed them (vault.md "The ledger": the order and recovery).
  struct PendingLeaf {
    std::optional<ledger::RecordLeaf> record;
    std::optional<ledger::EvidenceLeaf> evidence;
  };
  std::vector<PendingLeaf> leaves;
  std::unordered_map<std::string, ledger::Hash> batch_tips, batch_evidence;
  // On a shared store the batch's leaves go into the database's log in this transaction,
  // whose lock orders every server's writes: first this copy of the log catches up.
  store::SharedFiles* shared = log_->shared();
  IZDE_RETURN_IF_ERROR(store_->Begin());
  auto fail = [&](Status s) {
    store_->Rollback();
    if (shared) log_->DiscardPending();
    return s;
  };
  if (shared)
    if (Status s = log_->SyncFromShared(false); !s.ok()) return fail(s);
  // The records' latest versions are fetched, and the new versions written, a chunk at a
  // time: a few round trips per chunk on PostgreSQL instead of two per record, and memory
  // for one chunk's sealed versions only.
  constexpr size_t kChunk = 1000;
  // What this batch wrote already, for a record that appears in it twice.
  struct Written {
    int64_t version;
    std::string type;
    const nlohmann::json* doc;
  };
  std::unordered_map<std::string, Written> batch_written;
  std::vector<store::StoredVersion> sealed;
  for (size_t chunk = 0; chunk < records.size(); chunk += kChunk) {
    const size_t chunk_end = std::min(records.size(), chunk + kChunk);
    std::vector<std::string> ids;
    for (size_t i = chunk; i < chunk_end; ++i)
      if (!batch_written.count(records[i].id)) ids.push_back(records[i].id);
    auto stored = store_->LatestOf(ids);
    if (!stored.ok()) return fail(stored.status());
    for (size_t i = chunk; i < chunk_end; ++i) {
      const auto& r = records[i];
      int64_t version = 1;
      bool existed = false;  // the store holds a version of it, before this batch
      std::string type(model::TypeName(r.type));
      if (auto w = batch_written.find(r.id); w != batch_written.end()) {
        if (w->second.type != type)
          return fail(Status::InvalidInput("record " + r.id + " is a " + w->second.type +
                                           "; it cannot be saved as a " + type));
        if (*w->second.doc == r.doc) continue;  // nothing changed: no new version
        version = w->second.version + 1;
      } else if (auto it = stored->find(r.id); it != stored->end()) {
        const auto& prev = it->second;
        if (prev.type != type)
          return fail(Status::InvalidInput("record " + r.id + " is a " + prev.type +
                                           "; it cannot be saved as a " + type));
        const SecretKey* key = TierKey(prev.tier);
        if (!key)
          return fail(Status::PermissionDenied("record " + r.id + " is in the witness tier"));
        auto opened = OpenDocument(*cipher_, *key, prev);
        if (!opened.ok()) return fail(opened.status());
        if (opened->record.doc == r.doc) continue;  // nothing changed: no new version
        version = prev.version + 1;
        existed = true;
        // Another server sharing the database wrote versions this directory's log lacks:
        // log them first, so that this version's leaf can name its predecessor.
        auto tip = log_->RecordTipOf(r.id, static_cast<uint64_t>(prev.version));
        if (!tip.ok()) return fail(tip.status());
        if (!*tip || (*tip)->version < static_cast<uint64_t>(prev.version))
          if (Status s = CatchUpLogOf(r.id, prev.tier); !s.ok()) return fail(s);
      }
      const char* tier = r.type == model::RecordType::kWitness ? kWitnessTier : kRecordTier;
      sealed.push_back(SealDocument(*cipher_, *TierKey(tier), tier, r, version, now, writer));
      batch_written[r.id] = Written{version, type, &r.doc};
      ledger::Hash previous{};
      if (auto it = batch_tips.find(r.id); it != batch_tips.end()) {
        previous = it->second;
      } else {
        auto tip = log_->RecordTipOf(r.id, existed ? static_cast<uint64_t>(version - 1) : 0);
        if (!tip.ok()) return fail(tip.status());
        if (*tip) previous = (*tip)->leaf;
      }
      auto leaf = BuildRecordLeaf(*SaltKey(tier), r, version, previous);
      if (!leaf.ok()) return fail(leaf.status().Within("record " + r.id));
      batch_tips[r.id] = leaf->LeafHash();
      leaves.push_back({std::move(leaf).value(), std::nullopt});
      auto ev = EvidenceLeafOf(r);
      if (!ev.ok()) return fail(ev.status());
      if (*ev) {
        ledger::Hash h = (*ev)->LeafHash();
        const ledger::Hash* last = nullptr;
        ledger::Hash logged{};
        if (auto it = batch_evidence.find(r.id); it != batch_evidence.end()) {
          last = &it->second;
        } else {
          auto tip = log_->EvidenceTipOf(r.id, existed);
          if (!tip.ok()) return fail(tip.status());
          if (*tip) logged = (*tip)->leaf, last = &logged;
        }
        if (!last || *last != h) {
          batch_evidence[r.id] = h;
          leaves.push_back({std::nullopt, std::move(**ev)});
        }
      }
      written.push_back(&r);
      if (progress && (i % 1024 == 0 || i + 1 == records.size())) progress(i + 1, records.size());
    }
    if (Status s = store_->AppendVersions(sealed); !s.ok()) return fail(s);
    sealed.clear();
  }
  Status logged = Status::Ok();
  if (shared) {
    Status s = Status::Ok();
    for (const auto& l : leaves) {
      if (l.record) s = log_->AppendRecord(*l.record).status();
      if (s.ok() && l.evidence) s = log_->AppendEvidence(*l.evidence).status();
      if (!s.ok()) return fail(s);
    }
    const auto& pending = log_->pending();
    const bool appended = !pending.empty();
    if (appended) s = shared->AppendLogEntries(log_->Size() - pending.size(), pending);
    if (s.ok() && appended)
      s = store_->SetSetting(kLogSizeSetting, ToBytes(std::to_string(log_->Size())));
    if (!s.ok()) return fail(s);
    if (Status c = store_->Commit(); !c.ok()) {
      log_->DiscardPending();
      return c;
    }
    if (leaves.empty() && !appended) return size_t{0};
    // The database holds the entries now; this copy and the checkpoint follow (a crash
    // here is repaired at the next unlock, from the database).
    logged = log_->CommitAndCheckpoint().status();
    if (leaves.empty()) {
      if (!logged.ok()) return logged;
      return size_t{0};
    }
  } else {
    if (leaves.empty()) {
      IZDE_RETURN_IF_ERROR(store_->Commit());
      return size_t{0};
    }
    size_t expected = log_->Size();
    for (const auto& l : leaves) expected += l.record ? 1 : 0, expected += l.evidence ? 1 : 0;
    if (Status s = store_->SetSetting(kLogSizeSetting, ToBytes(std::to_string(expected))); !s.ok())
      return fail(s);
    IZDE_RETURN_IF_ERROR(store_->Commit());
    for (const auto& l : leaves) {
      if (l.record) logged = log_->AppendRecord(*l.record).status();
      if (logged.ok() && l.evidence) logged = log_->AppendEvidence(*l.evidence).status();
      if (!logged.ok()) break;
    }
    if (logged.ok()) logged = log_->CommitAndCheckpoint().status();
  }
  if (!logged.ok()) {
    log_failure_ = "the log could not be written (" + logged.message() +
                   "); the saved records will be logged when the vault is next unlocked";
    if (index_) {
      index_->PutAll(written);
      NoteIndexed(written.size());
    }
    return Status::Io(std::to_string(written.size()) + " records were saved, but " + log_failure_);
  }
  if (!index_) return written.size();  // unlocked without the index (search_index)
  // One index transaction: FTS5 flushes its segment at every commit.
  IZDE_RETURN_IF_ERROR(index_->PutAll(written));
  IZDE_RETURN_IF_ERROR(NoteIndexed(written.size()));
  return written.size();
}

Status Vault::PutSealedSetting(const std::string& name, std::string_view value) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  store::Bytes sealed;
  cipher_->Seal(setting_key_.data(), value, "izde/setting/v1/" + name, sealed);
  IZDE_RETURN_IF_ERROR(store_->Begin());
  if (Status s = store_->SetSetting("sealed." + name, sealed); !s.ok()) {
    store_->Rollback();
    return s;
  }
  return store_->Commit();
}

Result<std::optional<std::string>> Vault::GetSealedSetting(const std::string& name) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_ASSIGN_OR_RETURN(auto sealed, store_->GetSetting("sealed." + name));
  if (!sealed) return std::optional<std::string>();
  std::string plain;
  IZDE_RETURN_IF_ERROR(cipher_
                           ->Open(setting_key_.data(), sealed->data(), sealed->size(),
                                  "izde/setting/v1/" + name, plain)
                           .Within("setting " + name));
  return std::optional<std::string>(std::move(plain));
}

Result<OpenedVersion> Vault::Get(const std::string& id) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_ASSIGN_OR_RETURN(auto latest, store_->Latest(id));
  if (!latest) return Status::NotFound("no record with id '" + id + "'");
  const SecretKey* key = TierKey(latest->tier);
  if (!key)
    return Status::PermissionDenied("record " + id + " is in the witness tier and user '" + user_ +
                                    "' does not hold the witness key");
  return OpenDocument(*cipher_, *key, *latest);
}

bool Vault::Exists(const std::string& id) {
  auto latest = store_->Latest(id);
  return latest.ok() && latest->has_value();
}

Result<std::vector<OpenedVersion>> Vault::History(const std::string& id) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_ASSIGN_OR_RETURN(auto versions, store_->History(id));
  if (versions.empty()) return Status::NotFound("no record with id '" + id + "'");
  std::vector<OpenedVersion> out;
  for (const auto& s : versions) {
    const SecretKey* key = TierKey(s.tier);
    if (!key) return Status::PermissionDenied("record " + id + " is in the witness tier");
    IZDE_ASSIGN_OR_RETURN(auto opened, OpenDocument(*cipher_, *key, s));
    out.push_back(std::move(opened));
  }
  return out;
}

Status Vault::ForEach(const std::function<Status(const OpenedVersion&)>& fn) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  return store_->ScanLatest([&](const store::StoredVersion& s) {
    const SecretKey* key = TierKey(s.tier);
    if (!key) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(auto opened, OpenDocument(*cipher_, *key, s));
    return fn(opened);
  });
}

Status Vault::ForEachOwned(const std::function<Status(OpenedVersion&&)>& fn) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  return store_->ScanLatest([&](const store::StoredVersion& s) {
    const SecretKey* key = TierKey(s.tier);
    if (!key) return Status::Ok();
    IZDE_ASSIGN_OR_RETURN(auto opened, OpenDocument(*cipher_, *key, s));
    return fn(std::move(opened));
  });
}

namespace {

Status UnlockedWithoutIndex() {
  return Status::InvalidInput(
      "this vault was unlocked without its search index (for a backup); unlock it again "
      "to search");
}

}  // namespace

Result<std::vector<index::Hit>> Vault::Search(std::string_view query, size_t limit) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  if (!index_) return UnlockedWithoutIndex();
  // Several servers on one database: what the others saved is searchable here within
  // catch_up_ms (one cheap query for the last change number when nothing is new).
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  // On PostgreSQL a commit by another server is also announced (LISTEN/NOTIFY): then the
  // search catches up at once; the bounded polling stays, in case a notice is lost.
  IZDE_ASSIGN_OR_RETURN(const bool told, store_->ChangedElsewhere());
  if (told || (options_.catch_up_ms >= 0 && now_ms - last_catch_up_ms_ >= options_.catch_up_ms)) {
    IZDE_RETURN_IF_ERROR(CatchUp());
    last_catch_up_ms_ = now_ms;
  }
  return index_->Search(query, limit);
}

Result<std::vector<index::Hit>> Vault::SearchNow(std::string_view query, size_t limit) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  if (!index_) return UnlockedWithoutIndex();
  return index_->SearchShared(query, limit);
}

Result<bool> Vault::WaitForChanges(int timeout_ms) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_ASSIGN_OR_RETURN(const bool told, store_->WaitForChange(timeout_ms));
  if (told) IZDE_RETURN_IF_ERROR(CatchUp());
  return told;
}

Status Vault::CatchUp() {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  if (!index_) return Status::Ok();
  IZDE_ASSIGN_OR_RETURN(int64_t last, store_->LastChange());
  if (last <= indexed_change_) return Status::Ok();
  return CatchUpIndex();
}

Result<VaultSummary> Vault::Summary() {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  VaultSummary s;
  IZDE_ASSIGN_OR_RETURN(s.records_by_type, store_->CountRecords());
  // Even how many witnesses there are is for holders of the witness key only.
  if (!keys_.witness)
    s.records_by_type.erase(std::string(model::TypeName(model::RecordType::kWitness)));
  s.indexed = index_ ? static_cast<int64_t>(index_->size()) : 0;
  IZDE_ASSIGN_OR_RETURN(auto slots, store_->ListKeySlots());
  for (const auto& k : slots) s.users.push_back(k.user);
  s.witness_key = keys_.witness.has_value();
  return s;
}

Result<model::Record> Vault::NewEvidenceRecord(const nlohmann::json& fields,
                                               const std::string& id) {
  if (!fields.is_object()) return Status::InvalidInput("evidence fields must be an object");
  model::Record r;
  r.type = model::RecordType::kEvidence;
  r.id = id.empty() ? model::NewRecordId(r.type) : id;
  IZDE_RETURN_IF_ERROR(model::ValidateRecordId(r.id).Within("evidence id"));
  if (Exists(r.id)) return Status::AlreadyExists("a record with id '" + r.id + "' already exists");
  return r;
}

Result<model::Record> Vault::SaveEvidence(model::Record r, nlohmann::json fields,
                                          const std::string& sha256_hex, uint64_t size,
                                          const std::string& blob, const SecretKey& key,
                                          const fs::path& sealed, const std::string& author) {
  char hex[2 * SecretKey::kSize + 1];
  sodium_bin2hex(hex, sizeof hex, key.data(), SecretKey::kSize);
  r.doc = std::move(fields);
  r.doc["sha256"] = sha256_hex;
  r.doc["size"] = size;
  r.doc["blob"] = blob;
  r.doc["blob_key"] = std::string(hex);
  sodium_memzero(hex, sizeof hex);
  if (!r.doc.contains("media_type")) r.doc["media_type"] = "application/octet-stream";
  auto saved = Save(r, author);
  if (!saved.ok()) {
    DropBlob(blob, sealed);
    return saved.status();
  }
  return r;
}

Result<model::Record> Vault::AddEvidence(const std::string& path, nlohmann::json fields,
                                         const std::string& id) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_ASSIGN_OR_RETURN(auto r, NewEvidenceRecord(fields, id));
  std::string blob = RandomHex(16);
  IZDE_ASSIGN_OR_RETURN(auto mark, MarkPendingBlob(blob));
  fs::path target = NewBlobTarget(blob);
  SecretKey key = SecretKey::Random();
  IZDE_ASSIGN_OR_RETURN(auto info, SealFile(path, target.string(), key));
  IZDE_RETURN_IF_ERROR(KeepBlob(blob, target));
  if (testing::after_blob_kept) testing::after_blob_kept();
  if (!fields.contains("original_name"))
    fields["original_name"] = fs::path(path).filename().string();
  return SaveEvidence(std::move(r), std::move(fields), info.sha256_hex, info.size, blob, key,
                      target, {});
}

Result<model::Record> Vault::AddEvidenceBytes(std::string_view bytes, nlohmann::json fields,
                                              const std::string& id, const std::string& author) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_ASSIGN_OR_RETURN(auto r, NewEvidenceRecord(fields, id));
  std::string blob = RandomHex(16);
  IZDE_ASSIGN_OR_RETURN(auto mark, MarkPendingBlob(blob));
  fs::path target = NewBlobTarget(blob);
  SecretKey key = SecretKey::Random();
  IZDE_RETURN_IF_ERROR(SealBytes(bytes, target.string(), key));
  IZDE_RETURN_IF_ERROR(KeepBlob(blob, target));
  if (testing::after_blob_kept) testing::after_blob_kept();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char sha[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(sha, sizeof sha, digest, sizeof digest);
  return SaveEvidence(std::move(r), std::move(fields), sha, bytes.size(), blob, key, target,
                      author);
}

Result<std::unique_ptr<Vault::PendingEvidence>> Vault::BeginEvidence() {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  auto p = std::make_unique<PendingEvidence>();
  p->blob = RandomHex(16);
  IZDE_ASSIGN_OR_RETURN(p->mark, MarkPendingBlob(p->blob));
  p->target = NewBlobTarget(p->blob).string();
  p->key = SecretKey::Random();
  IZDE_ASSIGN_OR_RETURN(p->writer_, BlobWriter::Create(p->target, p->key));
  return p;
}

Result<model::Record> Vault::FinishEvidence(std::unique_ptr<PendingEvidence> pending,
                                            nlohmann::json fields, const std::string& id,
                                            const std::string& author) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  if (!pending || !pending->writer_) return Status::InvalidInput("no pending evidence");
  IZDE_ASSIGN_OR_RETURN(auto r, NewEvidenceRecord(fields, id));
  IZDE_ASSIGN_OR_RETURN(auto info, pending->writer_->Finish());
  const fs::path target = pending->target;
  IZDE_RETURN_IF_ERROR(KeepBlob(pending->blob, target));
  if (testing::after_blob_kept) testing::after_blob_kept();
  return SaveEvidence(std::move(r), std::move(fields), info.sha256_hex, info.size, pending->blob,
                      pending->key, target, author);
}

Status Vault::ExtractEvidence(const std::string& id, const std::string& out_path) {
  IZDE_ASSIGN_OR_RETURN(auto ev, Get(id));
  if (ev.record.type != model::RecordType::kEvidence)
    return Status::InvalidInput("record " + id + " is not evidence");
  const auto& d = ev.record.doc;
  std::string blob = d.value("blob", "");
  SecretKey key;
  if (blob.size() != 32 || !HexToKey(d.value("blob_key", ""), key))
    return Status::Corrupt("evidence " + id + " has no usable blob reference");
  std::string tmp = out_path + ".part";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io("cannot write " + tmp);
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  std::string where;
  Status st = OpenBlob(
      blob, key,
      [&](std::string_view chunk) {
        crypto_hash_sha256_update(&h, reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size());
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        return out ? Status::Ok() : Status::Io("cannot write " + tmp);
      },
      &where);
  out.close();
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&h, digest);
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  if (st.ok() && d.value("sha256", "") != hex)
    st = Status::Corrupt("evidence " + id + ": the file's SHA-256 differs from the one recorded");
  std::error_code ec;
  if (!st.ok()) {
    fs::remove(tmp, ec);
    return st.Within("evidence " + id);
  }
  fs::rename(tmp, out_path, ec);
  if (ec) return Status::Io("cannot write " + out_path + ": " + ec.message());
  return Status::Ok();
}

fs::path Vault::NewBlobTarget(const std::string& blob) const {
  std::error_code ec;
  // On a shared store the sealed file only passes through here on its way to the database
  // (".tmp": never backed up).
  if (log_ && log_->shared()) {
    fs::create_directories(fs::path(dir_) / kBlobDir, ec);
    return fs::path(dir_) / kBlobDir / (blob + ".upload.tmp");
  }
  fs::path dir = fs::path(dir_) / kBlobDir / blob.substr(0, 2);
  fs::create_directories(dir, ec);
  return dir / (blob + ".blob");
}

Status Vault::KeepBlob(const std::string& blob, const fs::path& sealed) {
  std::error_code ec;
  if (log_ && log_->shared()) {
    Status st = log_->shared()->PutBlob(blob, sealed.string());
    fs::remove(sealed, ec);
    return st.Within("evidence file " + blob);
  }
  SyncDirectory(sealed.parent_path().string());
  return Status::Ok();
}

void Vault::DropBlob(const std::string& blob, const fs::path& sealed) {
  std::error_code ec;
  if (log_ && log_->shared())
    log_->shared()->DeleteBlob(blob);
  else
    fs::remove(sealed, ec);
}

constexpr const char* kPendingDir = "pending";

Result<std::shared_ptr<void>> Vault::MarkPendingBlob(const std::string& blob) {
  std::error_code ec;
  const fs::path dir = fs::path(dir_) / kBlobDir / kPendingDir;
  fs::create_directories(dir, ec);
  // Made under another name, locked, then renamed: a sweep never sees an unlocked mark of
  // a running upload.
  const fs::path made = dir / (blob + ".new");
  const fs::path mark = dir / blob;
  int fd = ::open(made.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot create " + made.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX) != 0 || ::rename(made.c_str(), mark.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    ::unlink(made.c_str());
    return Status::Io("cannot mark the upload " + mark.string() + ": " + why);
  }
  SyncDirectory(dir.string());
  return std::shared_ptr<void>(nullptr, [mark, fd](void*) {
    ::unlink(mark.c_str());  // while still locked: a sweep cannot take it meanwhile
    ::close(fd);
  });
}

Result<size_t> Vault::SweepPendingBlobs() {
  std::error_code ec;
  const fs::path dir = fs::path(dir_) / kBlobDir / kPendingDir;
  if (!fs::is_directory(dir, ec)) return size_t{0};
  struct Stale {
    std::string blob;
    fs::path path;
    int fd;
  };
  std::vector<Stale> stale;
  auto release = [&] {
    for (auto& s : stale) ::close(s.fd);
  };
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const bool made = name.size() == 36 && name.ends_with(".new");
    const std::string blob = made ? name.substr(0, 32) : name;
    if (blob.size() != 32 || blob.find_first_not_of("0123456789abcdef") != std::string::npos)
      continue;
    int fd = ::open(e.path().c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // an upload running in another process
      ::close(fd);
      continue;
    }
    stale.push_back({blob, e.path(), fd});
  }
  if (stale.empty()) return size_t{0};
  // Which blobs do saved evidence records name (in any version)?
  std::set<std::string> named;
  const std::string evidence(model::TypeName(model::RecordType::kEvidence));
  std::vector<std::string> ids;
  Status st = store_->ScanLatestOfTypes({evidence}, [&](const store::StoredVersion& v) {
    ids.push_back(v.record_id);
    return Status::Ok();
  });
  for (size_t i = 0; st.ok() && i < ids.size(); ++i) {
    auto history = store_->History(ids[i]);
    if (!history.ok()) {
      st = history.status();
      break;
    }
    for (const auto& v : *history) {
      const SecretKey* key = TierKey(v.tier);
      auto opened = key ? OpenDocument(*cipher_, *key, v)
                        : Result<OpenedVersion>(Status::PermissionDenied("witness tier"));
      if (!opened.ok()) {
        st = opened.status().Within("looking for the evidence files of interrupted uploads");
        break;
      }
      named.insert(opened->record.doc.value("blob", ""));
    }
  }
  // Not knowing every name (a record that does not open, the store unreachable), remove
  // nothing: the marks stay for a later unlock, and this unlock goes on.
  if (!st.ok()) {
    release();
    return size_t{0};
  }
  size_t removed = 0;
  for (const auto& s : stale) {
    if (!named.count(s.blob)) {
      const fs::path sealed = NewBlobTarget(s.blob);
      DropBlob(s.blob, sealed);
      fs::remove(sealed, ec);
      fs::remove(sealed.string() + ".tmp", ec);
      ++removed;
    }
    ::unlink(s.path.c_str());
  }
  release();
  return removed;
}

Status Vault::OpenBlob(const std::string& blob, const SecretKey& key,
                       const std::function<Status(std::string_view)>& sink, std::string* where) {
  std::error_code ec;
  store::SharedFiles* shared = log_ ? log_->shared() : nullptr;
  if (!shared) {
    const fs::path rel = fs::path(kBlobDir) / blob.substr(0, 2) / (blob + ".blob");
    if (where) *where = rel.string();
    return OpenFile((fs::path(dir_) / rel).string(), key, sink);
  }
  if (where) *where = "evidence file " + blob + " in the database";
  // The ciphertext is fetched piece by piece into a temporary file, then opened as any
  // blob: memory holds one piece, the disk only ciphertext.
  fs::create_directories(fs::path(dir_) / kBlobDir, ec);
  const fs::path tmp = fs::path(dir_) / kBlobDir / (blob + ".fetch-" + RandomHex(4) + ".tmp");
  Status st;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Io("cannot write " + tmp.string());
    st = shared->ReadBlob(blob, [&](const store::Bytes& piece) {
      out.write(reinterpret_cast<const char*>(piece.data()),
                static_cast<std::streamsize>(piece.size()));
      return out ? Status::Ok() : Status::Io("cannot write " + tmp.string());
    });
  }
  if (st.ok()) st = OpenFile(tmp.string(), key, sink);
  fs::remove(tmp, ec);
  return st;
}

Status Vault::AddUser(const std::string& user, std::string_view passphrase, bool grant_witness,
                      KdfCost cost) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  IZDE_RETURN_IF_ERROR(model::ValidateRecordId(user).Within("user name"));
  if (passphrase.size() < 8)
    return Status::InvalidInput("the passphrase is too short: use at least 8 characters");
  IZDE_ASSIGN_OR_RETURN(auto existing, store_->GetKeySlot(user));
  if (existing) return Status::AlreadyExists("the vault already has a user '" + user + "'");
  if (grant_witness && !keys_.witness)
    return Status::PermissionDenied("you do not hold the witness key, so cannot grant it");
  UnlockedKeys k;
  k.master = keys_.master;
  if (grant_witness) k.witness = *keys_.witness;
  return store_->PutKeySlot(MakeKeySlot(user, passphrase, k, cost, Now()));
}

Status Vault::RemoveUser(const std::string& user) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  if (user == user_)
    return Status::InvalidInput("you cannot remove yourself while unlocked as '" + user + "'");
  IZDE_ASSIGN_OR_RETURN(auto existing, store_->GetKeySlot(user));
  if (!existing) return Status::NotFound("the vault has no user '" + user + "'");
  return store_->DeleteKeySlot(user);
}

Status Vault::ChangePassphrase(std::string_view new_passphrase, KdfCost cost) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  if (new_passphrase.size() < 8)
    return Status::InvalidInput("the passphrase is too short: use at least 8 characters");
  return store_->PutKeySlot(MakeKeySlot(user_, new_passphrase, keys_, cost, Now()));
}

}  // namespace izde::vault
