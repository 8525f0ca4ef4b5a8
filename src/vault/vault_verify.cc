// `izde verify --vault`: everything the vault holds, re-checked against everything else.
// The store's versions are decrypted and their leaves recomputed (salts are derived, so
// this needs nothing but the keys), then compared with the log's entries; the log's
// tiles were already re-hashed when it was opened read-only; every blob is decrypted and
// hashed; every checkpoint the vault ever signed must still match the log.
#include <sodium.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>
#include <unordered_map>

#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "ledger/timestamp.h"
#include "vault/blob_seal.h"
#include "vault/field_commitments.h"
#include "vault/vault.h"

namespace izde::vault {
namespace fs = std::filesystem;
namespace {

struct Logged {
  uint64_t index = 0;
  ledger::Hash leaf{};
  bool matched = false;
};

// What one record's history yields, computed in parallel.
struct RecordResult {
  std::vector<std::string> problems;
  std::vector<std::pair<int64_t, ledger::Hash>> leaves;    // version, recomputed leaf
  std::vector<std::pair<int64_t, ledger::Hash>> evidence;  // version, evidence leaf
  std::vector<OpenedVersion> blobs;                        // evidence versions to check
  uint64_t versions = 0, skipped = 0;
};

std::string Entry(uint64_t index) { return "log entry " + std::to_string(index); }

}  // namespace

Status Vault::CheckBlob(const OpenedVersion& ev, VaultCheck& check) {
  const auto& d = ev.record.doc;
  const std::string where = "evidence " + ev.record.id + " version " + std::to_string(ev.version);
  std::string blob = d.value("blob", "");
  std::string key_hex = d.value("blob_key", "");
  SecretKey key;
  size_t bin_len = 0;
  if (blob.size() != 32 || key_hex.size() != 64 ||
      sodium_hex2bin(key.data(), SecretKey::kSize, key_hex.data(), key_hex.size(), nullptr,
                     &bin_len, nullptr) != 0) {
    check.problems.push_back(where + ": no usable blob reference");
    return Status::Ok();
  }
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  uint64_t size = 0;
  std::string path;
  Status st = OpenBlob(
      blob, key,
      [&](std::string_view chunk) {
        crypto_hash_sha256_update(&h, reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size());
        size += chunk.size();
        return Status::Ok();
      },
      &path);
  ++check.blobs;
  if (!st.ok()) {
    check.problems.push_back(where + ": blob " + path + ": " + st.message());
    return Status::Ok();
  }
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&h, digest);
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  if (d.value("sha256", "") != hex || d.value("size", uint64_t{0}) != size)
    check.problems.push_back(where + ": blob " + path +
                             " does not hold the file its record describes");
  return Status::Ok();
}

Result<VaultCheck> Vault::CheckEverything(const Progress& progress) {
  IZDE_RETURN_IF_ERROR(CheckUnlocked());
  VaultCheck check;
  auto problem = [&](std::string s) { check.problems.push_back(std::move(s)); };
  // On a shared store, what other servers logged since this copy last looked comes first.
  if (log_->shared() && log_->pending().empty()) IZDE_RETURN_IF_ERROR(log_->SyncFromShared(true));
  // 0. The store's own structure (SQLite: every page), which unlocking does not read.
  if (Status st = store_->CheckIntegrity(); !st.ok()) problem(st.message());

  // 1. The log's entries, in order: each record's versions must follow each other and
  // chain by leaf hash.
  std::unordered_map<std::string, std::vector<Logged>> records, evidence;
  Status walked = log_->log().ForEachEntry([&](uint64_t index, const std::vector<uint8_t>& e) {
    ++check.log_entries;
    const ledger::Hash leaf_hash = ledger::HashLeaf(e);
    if (!e.empty() && e[0] == ledger::kEvidenceLeafKind) {
      auto leaf = ledger::EvidenceLeaf::Parse(e);
      if (!leaf.ok()) return leaf.status().Within(Entry(index));
      evidence[leaf->evidence_id].push_back({index, leaf_hash, false});
      return Status::Ok();
    }
    auto leaf = ledger::RecordLeaf::Parse(e);
    if (!leaf.ok()) return leaf.status().Within(Entry(index));
    auto& chain = records[leaf->record_id];
    const std::string what = Entry(index) + " (record " + leaf->record_id + " version " +
                             std::to_string(leaf->version) + ")";
    if (leaf->version != chain.size() + 1)
      problem(what + " follows version " + std::to_string(chain.size()) +
              ": a version is missing from the log or out of order");
    else if (leaf->previous_leaf != (chain.empty() ? ledger::Hash{} : chain.back().leaf))
      problem(what + " does not chain to the entry of its previous version");
    chain.push_back({index, leaf_hash, false});
    return Status::Ok();
  });
  if (!walked.ok()) problem(walked.message());

  // 1b. On a shared store: this directory's copy of the log is the database's log.
  if (store::SharedFiles* shared = log_->shared()) {
    uint64_t in_database = 0;
    Status compared = shared->LogEntries(0, [&](uint64_t index, const store::Bytes& e) {
      ++in_database;
      auto here = log_->log().LeafHash(index);
      if (!here.ok() || *here != ledger::HashLeaf(e))
        problem(Entry(index) + " of the database's shared log differs from this server's copy");
      return Status::Ok();
    });
    if (!compared.ok())
      problem("the database's shared log: " + compared.message());
    else if (in_database != log_->Size())
      problem("the database's shared log holds " + std::to_string(in_database) +
              " entries, this server's copy " + std::to_string(log_->Size()));
  }

  // 2. Every version in the store, one record per task, spread over the cores.
  std::vector<std::string> ids;
  IZDE_RETURN_IF_ERROR(store_->ScanLatest([&](const store::StoredVersion& s) {
    ids.push_back(s.record_id);
    return Status::Ok();
  }));
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  constexpr size_t kChunk = 4096;
  size_t done = 0;
  for (size_t start = 0; start < ids.size(); start += kChunk) {
    const size_t n = std::min(kChunk, ids.size() - start);
    std::vector<std::vector<store::StoredVersion>> histories(n);
    for (size_t i = 0; i < n; ++i) {
      IZDE_ASSIGN_OR_RETURN(histories[i], store_->History(ids[start + i]));
    }
    std::vector<RecordResult> results(n);
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) {
        RecordResult& out = results[i];
        ledger::Hash previous{};
        for (const auto& s : histories[i]) {
          ++out.versions;
          const std::string where =
              "record " + s.record_id + " version " + std::to_string(s.version);
          const SecretKey* key = TierKey(s.tier);
          if (!key) {
            ++out.skipped;
            break;  // the rest of this record's chain cannot be recomputed either
          }
          auto opened = OpenDocument(*cipher_, *key, s);
          if (!opened.ok()) {
            out.problems.push_back(opened.status().message());
            break;
          }
          auto leaf = BuildRecordLeaf(*SaltKey(s.tier), opened->record, s.version, previous);
          if (!leaf.ok()) {
            out.problems.push_back(where + ": " + leaf.status().message());
            break;
          }
          previous = leaf->LeafHash();
          out.leaves.emplace_back(s.version, previous);
          auto ev = EvidenceLeafOf(opened->record);
          if (ev.ok() && *ev) {
            out.evidence.emplace_back(s.version, (*ev)->LeafHash());
            out.blobs.push_back(std::move(opened).value());
          } else if (!ev.ok()) {
            out.problems.push_back(where + ": " + ev.status().message());
          }
        }
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads && n > 64; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();

    for (size_t i = 0; i < n; ++i) {
      const std::string& id = ids[start + i];
      RecordResult& r = results[i];
      check.versions += r.versions;
      check.skipped_witness += r.skipped;
      for (auto& p : r.problems) problem(std::move(p));
      auto& chain = records[id];
      if (r.skipped) {
        for (auto& l : chain) l.matched = true;  // cannot be checked by this user
      }
      for (const auto& [version, leaf] : r.leaves) {
        const std::string where = "record " + id + " version " + std::to_string(version);
        const size_t pos = static_cast<size_t>(version - 1);
        if (pos >= chain.size()) {
          problem(where + " is in the store but not in the log");
          continue;
        }
        chain[pos].matched = true;
        if (chain[pos].leaf != leaf)
          problem(where + " differs from " + Entry(chain[pos].index) +
                  ": the stored version or the log was altered");
      }
      auto& logged_ev = evidence[id];
      for (const auto& [version, leaf] : r.evidence) {
        bool found = false;
        for (auto& l : logged_ev)
          if (l.leaf == leaf) found = l.matched = true;
        if (!found)
          problem("evidence " + id + " version " + std::to_string(version) +
                  ": its file's hash is not in the log");
      }
      for (const auto& ev : r.blobs) IZDE_RETURN_IF_ERROR(CheckBlob(ev, check));
    }
    done += n;
    if (progress) progress(done, ids.size());
  }
  for (const auto& [id, chain] : records)
    for (size_t v = 0; v < chain.size(); ++v)
      if (!chain[v].matched)
        problem(Entry(chain[v].index) + " (record " + id + " version " + std::to_string(v + 1) +
                ") has no version in the store: it was removed");
  for (const auto& [id, logged] : evidence)
    for (const auto& l : logged)
      if (!l.matched)
        problem(Entry(l.index) + " (evidence " + id + ") has no evidence record in the store");

  // 3. Every checkpoint ever signed must verify and still match the log.
  const uint64_t size = log_->Size();
  IZDE_ASSIGN_OR_RETURN(auto checkpoints, log_->Checkpoints());
  ledger::CheckpointPolicy policy{log_->verifier(), "", {}, 0};
  for (const auto& cp : checkpoints) {
    ++check.checkpoints;
    auto v = ledger::VerifyCheckpoint(cp.note, policy);
    if (!v.ok()) {
      problem(cp.path + ": " + v.status().message());
      continue;
    }
    const auto& c = v->checkpoint;
    if (c.size > size) {
      problem(cp.path + ": the vault signed a log of " + std::to_string(c.size) +
              " entries, but the log now holds " + std::to_string(size) + ": it was rolled back");
      continue;
    }
    auto root = log_->log().RootAt(c.size);
    if (!root.ok() || *root != c.root)
      problem(cp.path + ": the log no longer matches this checkpoint of size " +
              std::to_string(c.size));
  }
  if (checkpoints.empty()) problem("the log has no checkpoint");

  // 3b. Every RFC 3161 token must verify against the authority's certificates and be over
  // the body of the checkpoint of its size.
  auto timestamps = log_->Timestamps();
  if (!timestamps.ok()) problem(timestamps.status().message());
  if (timestamps.ok() && !timestamps->empty()) {
    auto tsa = log_->TimestampAuthority();
    std::map<uint64_t, std::string> bodies;
    for (const auto& cp : checkpoints) {
      auto note = ledger::ParseNote(cp.note);
      auto body = note.ok() ? ledger::Checkpoint::ParseBody(note->text) : note.status();
      if (body.ok()) bodies[body->size] = note->text;
    }
    for (const auto& t : *timestamps) {
      ++check.timestamps;
      if (!tsa.ok() || !*tsa) {
        problem(t.path + ": no timestamp authority certificate to check it against (" +
                std::string(kLogDir) + "/" + kTsaCertFile + " is missing)");
        continue;
      }
      auto body = bodies.find(t.size);
      if (body == bodies.end()) {
        problem(t.path + ": there is no checkpoint of size " + std::to_string(t.size));
        continue;
      }
      auto v = ledger::VerifyTimestampToken(t.token, body->second, (*tsa)->trusted_pem);
      if (!v.ok()) problem(t.path + ": " + v.status().message());
    }
  }

  // 4. The size the store's last committed batch promised.
  IZDE_ASSIGN_OR_RETURN(const uint64_t expected, ReadExpectedLogSize(*store_));
  if (size < expected)
    problem("the store's last batch needs a log of " + std::to_string(expected) +
            " entries, but the log holds " + std::to_string(size) +
            ": it was rolled back, or a write was interrupted (a normal unlock completes an "
            "interrupted write)");
  else if (size > expected)
    problem("the log holds " + std::to_string(size) + " entries, but the store committed only " +
            std::to_string(expected) + ": the store was rolled back");
  return check;
}

}  // namespace izde::vault
