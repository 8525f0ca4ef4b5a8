#include "identity/review_queue_record.h"

#include <bit>
#include <cstring>

#include "identity/vault_view.h"

namespace izde::identity {

namespace {

// Pair columns: {"a": [id], "b": [id], "probability": [p], "levels": ["31202", ...]}.
nlohmann::json PairsJson(const std::vector<QueuedPair>& pairs) {
  nlohmann::json a = nlohmann::json::array(), b = nlohmann::json::array(),
                 p = nlohmann::json::array(), l = nlohmann::json::array();
  for (const auto& x : pairs) {
    a.push_back(x.a);
    b.push_back(x.b);
    p.push_back(x.probability);
    std::string digits;
    for (uint8_t v : x.levels) digits += static_cast<char>('0' + v);
    l.push_back(digits);
  }
  return {{"a", a}, {"b", b}, {"probability", p}, {"levels", l}};
}

}  // namespace

model::Record ToRecord(const ReviewQueueRecord& q) {
  model::Record r{kQueueRecordId, model::RecordType::kLinkQueue, nlohmann::json::object()};
  r.doc["pairs"] = PairsJson(q.pairs);
  r.doc["pairs"]["weights"] = q.weights;
  r.doc["pairs"]["prior"] = q.prior;
  r.doc["fields"] = q.fields;
  r.doc["people"] = q.people;
  r.doc["comparisons"] = q.comparisons;
  return r;
}

model::Record MovedQueueRecord() {
  ReviewQueueRecord empty;
  model::Record r = ToRecord(empty);
  r.doc["pairs"]["moved"] = true;
  r.doc["notes"] =
      "The review queue is kept in the vault's sealed settings since this version of izde; "
      "this record is no longer written.";
  return r;
}

bool IsMovedQueue(const vault::OpenedVersion& v) {
  const auto& doc = v.record.doc;
  auto it = doc.find("pairs");
  return it != doc.end() && it->is_object() && it->value("moved", false) == true;
}

Result<ReviewQueueRecord> QueueFromVersion(const vault::OpenedVersion& v) {
  const auto& doc = v.record.doc;
  ReviewQueueRecord q;
  q.version = v.version;
  q.at = v.created_at;
  q.author = v.author;
  const Status bad =
      Status::Corrupt("the review queue " + v.record.id + " version " + std::to_string(v.version) +
                      " is not in the expected form; run izde link again");
  try {
    q.fields = doc.value("fields", std::vector<std::string>{});
    q.people = doc.value("people", uint64_t{0});
    q.comparisons = doc.value("comparisons", uint64_t{0});
    const auto& pairs = doc.at("pairs");
    q.weights = pairs.value("weights", std::vector<std::vector<double>>{});
    q.prior = pairs.value("prior", 0.01);
    const auto& a = pairs.at("a");
    const auto& b = pairs.at("b");
    const auto& p = pairs.at("probability");
    const auto& levels = pairs.at("levels");
    if (a.size() != b.size() || a.size() != p.size() || a.size() != levels.size()) return bad;
    q.pairs.resize(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      QueuedPair& qp = q.pairs[i];
      qp.a = a[i].get<std::string>();
      qp.b = b[i].get<std::string>();
      qp.probability = p[i].get<double>();
      for (char c : levels[i].get<std::string>()) {
        if (c < '0' || c > '9') return bad;
        qp.levels.push_back(static_cast<uint8_t>(c - '0'));
      }
      if (qp.levels.size() != q.fields.size()) return bad;
    }
  } catch (const nlohmann::json::exception&) {
    return bad;
  }
  return q;
}

std::string LinkStateSetting(const vault::Vault& vault) {
  const vault::UnlockedKeys* keys = vault.KeysForRecovery();
  return keys && keys->witness ? "link-state.witness" : "link-state";
}
std::string QueueBaseSetting(const std::string& state) { return state + ".queue"; }
std::string QueuePartsSetting(const std::string& state) { return state + ".queue.parts"; }
std::string QueueHeadSetting(const std::string& state) { return state + ".queue.head"; }

namespace {

constexpr char kPieceMagic[] = "IZQPART1";
constexpr char kPieceEnd[] = "IZQPEND1";
constexpr size_t kTagBytes = 16;

void PutU(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

struct Reader {
  std::string_view s;
  bool ok = true;
  uint64_t U(int bytes) {
    if (!ok || s.size() < static_cast<size_t>(bytes)) {
      ok = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<uint8_t>(s[i])} << (8 * i);
    s.remove_prefix(static_cast<size_t>(bytes));
    return v;
  }
  std::string_view Bytes(size_t n) {
    if (!ok || s.size() < n) {
      ok = false;
      return {};
    }
    std::string_view out = s.substr(0, n);
    s.remove_prefix(n);
    return out;
  }
};

std::string Hex(std::string_view bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

}  // namespace

std::string EncodeHead(const QueueHead& h) {
  nlohmann::json j = {{"format", 1},
                      {"tag", h.tag},
                      {"generation", h.generation},
                      {"at", h.at},
                      {"author", h.author},
                      {"records", h.records},
                      {"people", h.people},
                      {"comparisons", h.comparisons},
                      {"key", h.key},
                      {"pending", h.pending},
                      {"held_apart", h.held_apart},
                      {"queued", h.queued},
                      {"base_pairs", h.base_pairs},
                      {"part_pairs", h.part_pairs},
                      {"fields", h.fields},
                      {"weights", h.weights},
                      {"prior", h.prior},
                      {"sought_pairs", PairsJson(h.sought_pairs)}};
  return j.dump();
}

Result<QueueHead> DecodeHead(const std::string& bytes) {
  const Status bad = Status::Corrupt(
      "the review queue's head (a sealed vault setting) is damaged; run izde link "
      "--rebuild-queue");
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", 0) != 1) return bad;
  QueueHead h;
  try {
    h.tag = j.at("tag").get<std::string>();
    h.generation = j.at("generation").get<int64_t>();
    h.at = j.value("at", int64_t{0});
    h.author = j.value("author", std::string());
    h.records = j.at("records").get<uint64_t>();
    h.people = j.value("people", uint64_t{0});
    h.comparisons = j.value("comparisons", uint64_t{0});
    h.key = j.at("key").get<std::string>();
    h.pending = j.at("pending").get<uint64_t>();
    h.held_apart = j.value("held_apart", uint64_t{0});
    h.queued = j.at("queued").get<uint64_t>();
    h.base_pairs = j.at("base_pairs").get<uint64_t>();
    h.part_pairs = j.at("part_pairs").get<std::vector<uint64_t>>();
    h.fields = j.at("fields").get<std::vector<std::string>>();
    h.weights = j.at("weights").get<std::vector<std::vector<double>>>();
    h.prior = j.at("prior").get<double>();
    const auto& s = j.at("sought_pairs");
    const auto &a = s.at("a"), &b = s.at("b"), &p = s.at("probability"), &l = s.at("levels");
    if (a.size() != b.size() || a.size() != p.size() || a.size() != l.size()) return bad;
    for (size_t i = 0; i < a.size(); ++i) {
      QueuedPair q;
      q.a = a[i].get<std::string>();
      q.b = b[i].get<std::string>();
      q.probability = p[i].get<double>();
      for (char c : l[i].get<std::string>()) {
        if (c < '0' || c > '9') return bad;
        q.levels.push_back(static_cast<uint8_t>(c - '0'));
      }
      h.sought_pairs.push_back(std::move(q));
    }
  } catch (const nlohmann::json::exception&) {
    return bad;
  }
  uint64_t total = h.base_pairs;
  for (uint64_t n : h.part_pairs) total += n;
  if (total != h.queued || h.tag.size() != 2 * kTagBytes || h.weights.size() != h.fields.size())
    return bad;
  return h;
}

Result<std::optional<QueueHead>> ReadQueueHead(vault::Vault& vault, const std::string& state) {
  IZDE_ASSIGN_OR_RETURN(auto bytes, vault.GetSealedSetting(QueueHeadSetting(state)));
  if (!bytes) return std::optional<QueueHead>();
  IZDE_ASSIGN_OR_RETURN(QueueHead h, DecodeHead(*bytes));
  return std::optional<QueueHead>(std::move(h));
}

std::string EncodeQueuePiece(const std::string& tag, uint32_t index, size_t nf,
                             const std::vector<std::string_view>& ids,
                             const std::vector<QueueEntry>& entries) {
  std::string out;
  size_t id_bytes = 0;
  for (const auto& id : ids) id_bytes += 2 + id.size();
  out.reserve(8 + tag.size() / 2 + 8 + 8 + id_bytes + 8 + entries.size() * (16 + nf) + 8);
  out.append(kPieceMagic, 8);
  for (size_t i = 0; i + 1 < tag.size(); i += 2)
    out += static_cast<char>(std::stoi(tag.substr(i, 2), nullptr, 16));
  PutU(out, index, 4);
  PutU(out, nf, 4);
  PutU(out, ids.size(), 8);
  for (const auto& id : ids) {
    PutU(out, id.size(), 2);
    out.append(id);
  }
  PutU(out, entries.size(), 8);
  for (const auto& e : entries) {
    PutU(out, e.a, 4);
    PutU(out, e.b, 4);
    PutU(out, std::bit_cast<uint64_t>(e.probability), 8);
    out.append(reinterpret_cast<const char*>(e.levels), nf);
  }
  out.append(kPieceEnd, 8);
  return out;
}

Status DecodeQueuePiece(std::string_view bytes, const std::string& tag, uint32_t index, size_t nf,
                        uint64_t expected_pairs, std::vector<QueuedPair>& out) {
  const std::string what = index == 0 ? "base" : "part " + std::to_string(index);
  auto bad = [&](const std::string& why) {
    return Status::Corrupt("the review queue's " + what + " (a sealed vault setting) " + why +
                           "; run izde link --rebuild-queue");
  };
  Reader r{bytes};
  if (r.Bytes(8) != std::string_view(kPieceMagic, 8)) return bad("is not a queue piece");
  if (Hex(r.Bytes(kTagBytes)) != tag) return bad("belongs to another queue than its head");
  if (r.U(4) != index) return bad("is out of place");
  if (r.U(4) != nf) return bad("has another number of fields than its head");
  const uint64_t n_ids = r.U(8);
  if (!r.ok || n_ids > bytes.size() / 2) return bad("is cut short");
  std::vector<std::string_view> ids(n_ids);
  for (auto& id : ids) id = r.Bytes(r.U(2));
  const uint64_t n = r.U(8);
  if (!r.ok) return bad("is cut short");
  if (n != expected_pairs) return bad("holds another number of pairs than its head says");
  if (n > r.s.size() / (16 + nf)) return bad("is cut short");
  out.reserve(out.size() + n);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t a = r.U(4), b = r.U(4);
    const double p = std::bit_cast<double>(r.U(8));
    std::string_view levels = r.Bytes(nf);
    if (!r.ok) return bad("is cut short");
    if (a >= n_ids || b >= n_ids || a == b || !(p >= 0 && p <= 1))
      return bad("holds a pair out of range");
    QueuedPair q;
    q.a = std::string(ids[a]);
    q.b = std::string(ids[b]);
    if (!(q.a < q.b)) return bad("holds a pair out of order");
    q.probability = p;
    q.levels.assign(levels.begin(), levels.end());
    for (uint8_t l : q.levels)
      if (l > 9) return bad("holds a comparison level out of range");
    out.push_back(std::move(q));
  }
  if (r.Bytes(8) != std::string_view(kPieceEnd, 8) || !r.s.empty())
    return bad("does not end where it should");
  return Status::Ok();
}

bool SplitParts(std::string_view blob, std::vector<std::string_view>& out) {
  while (!blob.empty()) {
    if (blob.size() < 8) return false;
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t{static_cast<uint8_t>(blob[i])} << (8 * i);
    blob.remove_prefix(8);
    if (n > blob.size()) return false;
    out.push_back(blob.substr(0, n));
    blob.remove_prefix(n);
  }
  return true;
}

void AppendPart(std::string& blob, std::string_view piece) {
  PutU(blob, piece.size(), 8);
  blob.append(piece);
}

Result<std::optional<ReviewQueueRecord>> ReadQueue(vault::Vault& vault, const std::string& state) {
  IZDE_ASSIGN_OR_RETURN(auto head, ReadQueueHead(vault, state));
  if (!head) return std::optional<ReviewQueueRecord>();
  ReviewQueueRecord q;
  q.fields = head->fields;
  q.weights = head->weights;
  q.prior = head->prior;
  q.people = head->people;
  q.comparisons = head->comparisons;
  q.version = head->generation;
  q.at = head->at;
  q.author = head->author;
  const size_t nf = head->fields.size();
  IZDE_ASSIGN_OR_RETURN(auto base, vault.GetSealedSetting(QueueBaseSetting(state)));
  if (!base)
    return Status::Corrupt(
        "the review queue's base (a sealed vault setting) is missing; run izde link "
        "--rebuild-queue");
  q.pairs.reserve(head->queued);
  IZDE_RETURN_IF_ERROR(DecodeQueuePiece(*base, head->tag, 0, nf, head->base_pairs, q.pairs));
  if (!head->part_pairs.empty()) {
    IZDE_ASSIGN_OR_RETURN(auto blob, vault.GetSealedSetting(QueuePartsSetting(state)));
    std::vector<std::string_view> parts;
    if (!blob || !SplitParts(*blob, parts) || parts.size() < head->part_pairs.size())
      return Status::Corrupt(
          "the review queue's later parts (a sealed vault setting) are missing or damaged; run "
          "izde link --rebuild-queue");
    // Parts beyond those the head lists are from a run that stopped before its head.
    for (size_t i = 0; i < head->part_pairs.size(); ++i)
      IZDE_RETURN_IF_ERROR(DecodeQueuePiece(parts[i], head->tag, static_cast<uint32_t>(i + 1), nf,
                                            head->part_pairs[i], q.pairs));
  }
  return std::optional<ReviewQueueRecord>(std::move(q));
}

std::vector<std::string> QueueSettingsToRead(const vault::Vault& vault) {
  const std::string own = LinkStateSetting(vault);
  return {own, own == "link-state" ? "link-state.witness" : "link-state"};
}

Result<std::optional<ReviewQueueRecord>> ReadQueue(vault::Vault& vault) {
  for (const auto& state : QueueSettingsToRead(vault)) {
    IZDE_ASSIGN_OR_RETURN(auto head, ReadQueueHead(vault, state));
    if (head) return ReadQueue(vault, state);
  }
  return std::optional<ReviewQueueRecord>();
}

Result<std::string> QueueStamp(vault::Vault& vault) {
  for (const auto& state : QueueSettingsToRead(vault)) {
    IZDE_ASSIGN_OR_RETURN(auto head, ReadQueueHead(vault, state));
    if (head) return state + ":" + head->tag + ":" + std::to_string(head->generation);
  }
  // A legacy record: its version number, without opening it.
  IZDE_ASSIGN_OR_RETURN(auto latest, vault.store()->Latest(kQueueRecordId));
  return latest ? "record:" + std::to_string(latest->version) : std::string();
}

}  // namespace izde::identity
