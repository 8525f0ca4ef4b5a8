#include "recovery/key_share.h"

extern "C" {
#include <libgfshare.h>
}
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <sstream>

#include "ledger/base64.h"

namespace izde::recovery {
namespace {

constexpr std::string_view kShareHeader = "izde-key-share 1";
constexpr std::string_view kSealedHeader = "izde-sealed-share 1";
constexpr size_t kKey = vault::SecretKey::kSize;

// libgfshare asks the caller for its randomness (REFERENCES.md): libsodium's. Debian's
// build leaves it unset, and gfshare_ctx_free calls it to scrub, so it is set before any
// context is made, for decoding too.
void FillRandom(unsigned char* buf, unsigned int n) { randombytes_buf(buf, n); }
void UseSodiumRandom() { gfshare_fill_rand = FillRandom; }

std::string Hex(const uint8_t* p, size_t n) {
  std::string s(2 * n + 1, '\0');
  sodium_bin2hex(s.data(), s.size(), p, n);
  s.pop_back();
  return s;
}

bool FromHex(const std::string& hex, uint8_t* out, size_t n) {
  size_t len = 0;
  return hex.size() == 2 * n &&
         sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

std::string Blake(std::string_view a, const uint8_t* b = nullptr, size_t bn = 0) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(a.data()), a.size());
  if (b) crypto_generichash_update(&st, b, bn);
  uint8_t out[32];
  crypto_generichash_final(&st, out, sizeof out);
  return Hex(out, sizeof out);
}

std::string Commitment(const std::string& split_hex, const uint8_t* secret, size_t n) {
  return Blake(std::string("izde/recovery/v1") + '\0' + split_hex, secret, n);
}

struct Share {
  std::string label;
  std::string origin, split, trustee, commitment;
  unsigned x = 0, n = 0, k = 0;
  bool witness = false;
  ledger::SecretBytes data;
};

std::string Describe(const Share& s) {
  return s.label + " (share " + std::to_string(s.x) + " of " + std::to_string(s.n) +
         (s.trustee.empty() ? "" : ", trustee " + s.trustee) + ")";
}

Result<Share> ParseShare(const ShareInput& in) {
  Share s;
  s.label = in.label;
  std::vector<std::string_view> lines;
  std::string_view t = in.text;
  while (!t.empty()) {
    size_t e = t.find('\n');
    std::string_view line = t.substr(0, e);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (e == std::string_view::npos) break;
    t.remove_prefix(e + 1);
  }
  auto bad = [&](const std::string& why) { return Status::Corrupt(in.label + ": " + why); };
  if (lines.empty() || lines[0] != kShareHeader) {
    if (!lines.empty() && lines[0] == kSealedHeader)
      return Status::InvalidInput(in.label +
                                  " is still sealed: its trustee opens it first with "
                                  "izde keys open-share");
    return bad("not an izde key share");
  }
  if (lines.size() < 9)
    return bad("the share is cut short (it has " + std::to_string(lines.size()) +
               " lines, a share has 9)");
  auto field = [&](size_t i, std::string_view name) -> std::optional<std::string> {
    std::string_view l = lines[i];
    if (l.size() <= name.size() || l.substr(0, name.size()) != name || l[name.size()] != ' ')
      return std::nullopt;
    return std::string(l.substr(name.size() + 1));
  };
  // The check first: it covers every other line, so a damaged share is named as damaged
  // before any of its fields is believed.
  auto check = field(8, "check");
  std::string covered;
  for (size_t i = 0; i < 8; ++i) covered.append(lines[i]).push_back('\n');
  std::string expected = Blake(covered);
  sodium_memzero(covered.data(), covered.size());
  if (!check || *check != expected)
    return bad("the share is damaged or was edited: its check line does not match its content");
  auto origin = field(1, "vault"), split = field(2, "split"), share = field(3, "share"),
       trustee = field(4, "trustee"), witness = field(5, "witness"),
       commitment = field(6, "commitment"), data = field(7, "data");
  if (!origin || !split || !share || !trustee || !witness || !commitment || !data)
    return bad("a line is missing or out of order");
  s.origin = *origin, s.split = *split, s.trustee = *trustee, s.commitment = *commitment;
  s.witness = *witness == "yes";
  std::istringstream sh(*share);
  std::string of, threshold;
  if (!(sh >> s.x >> of >> s.n >> threshold >> s.k) || of != "of" || threshold != "threshold" ||
      s.x < 1 || s.x > 255 || s.k < 2 || s.k > s.n || s.n > 255)
    return bad("the share line is not 'share X of N threshold K'");
  size_t size = s.witness ? 2 * kKey : kKey;
  s.data = ledger::SecretBytes(size);
  bool ok = FromHex(*data, s.data.data(), size);
  std::string& d = *data;
  sodium_memzero(d.data(), d.size());
  if (!ok) return bad("the data line does not hold a share of the right size");
  return s;
}

// Combines exactly these shares; true when the result matches their commitment.
bool TryCombine(const std::vector<const Share*>& use, ledger::SecretBytes& secret) {
  UseSodiumRandom();
  const Share& first = *use.front();
  std::vector<unsigned char> xs;
  for (const auto* s : use) xs.push_back(static_cast<unsigned char>(s->x));
  gfshare_ctx* ctx = gfshare_ctx_init_dec(xs.data(), static_cast<unsigned>(xs.size()),
                                          static_cast<unsigned>(secret.size()));
  if (!ctx) return false;
  for (size_t i = 0; i < use.size(); ++i)
    gfshare_ctx_dec_giveshare(ctx, static_cast<unsigned char>(i),
                              const_cast<unsigned char*>(use[i]->data.data()));
  gfshare_ctx_dec_extract(ctx, secret.data());
  gfshare_ctx_free(ctx);
  std::string c = Commitment(first.split, secret.data(), secret.size());
  return sodium_memcmp(c.data(), first.commitment.data(), c.size()) == 0 &&
         c.size() == first.commitment.size();
}

// The next k-subset of {0..m-1} in lexicographic order; false after the last.
bool NextSubset(std::vector<size_t>& idx, size_t m) {
  size_t k = idx.size();
  for (size_t i = k; i-- > 0;) {
    if (idx[i] < m - k + i) {
      ++idx[i];
      for (size_t j = i + 1; j < k; ++j) idx[j] = idx[j - 1] + 1;
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::vector<SealedShare>> Split(const vault::UnlockedKeys& keys, const SplitRequest& r) {
  const size_t n = r.trustees.size();
  if (n < 2 || n > 255)
    return Status::InvalidInput("give between 2 and 255 trustees (--trustee FILE.pub each)");
  if (r.threshold < 2 || r.threshold > n)
    return Status::InvalidInput(
        "the threshold must be at least 2 and at most the number of "
        "trustees (" +
        std::to_string(n) +
        "); with 1, each trustee "
        "alone would hold the vault");
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      if (r.trustees[i].key == r.trustees[j].key)
        return Status::InvalidInput("trustees " + r.trustees[i].name + " and " +
                                    r.trustees[j].name +
                                    " have the same key: each share must "
                                    "go to a different person");
  if (r.include_witness && !keys.witness)
    return Status::PermissionDenied(
        "you do not hold the witness key, so cannot share it "
        "(use --no-witness to share the master key only)");
  UseSodiumRandom();
  const size_t size = r.include_witness ? 2 * kKey : kKey;
  ledger::SecretBytes secret(size);
  std::memcpy(secret.data(), keys.master.data(), kKey);
  if (r.include_witness) std::memcpy(secret.data() + kKey, keys.witness->data(), kKey);
  uint8_t split_id[16];
  randombytes_buf(split_id, sizeof split_id);
  const std::string split = Hex(split_id, sizeof split_id);
  const std::string commitment = Commitment(split, secret.data(), size);

  std::vector<unsigned char> xs(n);
  for (size_t i = 0; i < n; ++i) xs[i] = static_cast<unsigned char>(i + 1);
  gfshare_ctx* ctx =
      gfshare_ctx_init_enc(xs.data(), static_cast<unsigned>(n),
                           static_cast<unsigned char>(r.threshold), static_cast<unsigned>(size));
  if (!ctx) return Status::Io("libgfshare could not start");
  gfshare_ctx_enc_setsecret(ctx, secret.data());
  std::vector<SealedShare> out;
  ledger::SecretBytes piece(size);
  for (size_t i = 0; i < n; ++i) {
    gfshare_ctx_enc_getshare(ctx, static_cast<unsigned char>(i), piece.data());
    const auto& t = r.trustees[i];
    const std::string share_line = std::to_string(i + 1) + " of " + std::to_string(n) +
                                   " threshold " + std::to_string(r.threshold);
    std::string body = std::string(kShareHeader) + "\nvault " + r.origin + "\nsplit " + split +
                       "\nshare " + share_line + "\ntrustee " + t.name + "\nwitness " +
                       (r.include_witness ? "yes" : "no") + "\ncommitment " + commitment +
                       "\ndata " + Hex(piece.data(), size) + "\n";
    body += "check " + Blake(body) + "\n";
    std::vector<uint8_t> sealed(body.size() + crypto_box_SEALBYTES);
    crypto_box_seal(sealed.data(), reinterpret_cast<const uint8_t*>(body.data()), body.size(),
                    t.key.data());
    sodium_memzero(body.data(), body.size());
    SealedShare s;
    s.trustee = t.name;
    s.x = static_cast<unsigned>(i + 1);
    s.text = std::string(kSealedHeader) + "\nvault " + r.origin + "\ntrustee " + t.name +
             "\nshare " + share_line + "\nsealed " + ledger::Base64Encode(sealed) + "\n";
    out.push_back(std::move(s));
  }
  gfshare_ctx_free(ctx);
  return out;
}

Result<ledger::SecretBytes> OpenShare(std::string_view sealed_text, const TrusteeSecret& trustee,
                                      const std::string& what) {
  std::string_view t = sealed_text;
  if (t.substr(0, kSealedHeader.size()) != kSealedHeader)
    return Status::InvalidInput(what + " is not a sealed key share");
  size_t at = t.find("\nsealed ");
  if (at == std::string_view::npos) return Status::Corrupt(what + " has no sealed line");
  std::string_view b64 = t.substr(at + 8);
  while (!b64.empty() && (b64.back() == '\n' || b64.back() == '\r')) b64.remove_suffix(1);
  auto sealed = ledger::Base64Decode(b64);
  if (!sealed || sealed->size() <= crypto_box_SEALBYTES)
    return Status::Corrupt(what + ": the sealed line is damaged");
  ledger::SecretBytes out(sealed->size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(out.data(), sealed->data(), sealed->size(), trustee.pub.key.data(),
                           trustee.secret.data()) != 0)
    return Status::PermissionDenied(what + " does not open with the key of trustee '" +
                                    trustee.pub.name +
                                    "': it is sealed to another trustee, or it is damaged");
  return out;
}

Result<Recovered> Combine(const std::vector<ShareInput>& inputs) {
  Recovered r;
  std::vector<Share> parsed;
  for (const auto& in : inputs) {
    auto s = ParseShare(in);
    if (s.ok())
      parsed.push_back(std::move(s).value());
    else
      r.rejected.push_back(s.status().message());
  }
  // The split most shares belong to is the one recovered; the others are named.
  std::map<std::string, size_t> votes;
  for (const auto& s : parsed) ++votes[s.origin + " " + s.split + " " + s.commitment];
  std::string chosen;
  size_t best = 0;
  for (const auto& [key, count] : votes)
    if (count > best) chosen = key, best = count;
  std::vector<const Share*> good;
  std::map<unsigned, const Share*> by_x;
  for (const auto& s : parsed) {
    if (s.origin + " " + s.split + " " + s.commitment != chosen) {
      r.rejected.push_back(Describe(s) + " belongs to another " +
                           (chosen.rfind(s.origin + " ", 0) == 0 ? "split of this vault"
                                                                 : "vault (" + s.origin + ")"));
      continue;
    }
    const Share& ref = *std::find_if(parsed.begin(), parsed.end(), [&](const Share& p) {
      return p.origin + " " + p.split + " " + p.commitment == chosen;
    });
    if (s.n != ref.n || s.k != ref.k || s.witness != ref.witness) {
      r.rejected.push_back(Describe(s) + " disagrees with the other shares about the split");
      continue;
    }
    if (by_x.count(s.x)) {
      r.rejected.push_back(Describe(s) + " is a second copy of share " + std::to_string(s.x));
      continue;
    }
    by_x[s.x] = &s;
    good.push_back(&s);
  }
  auto failure = [&](const std::string& head) {
    std::string msg = head;
    for (const auto& why : r.rejected) msg += "\n  " + why;
    return Status::Corrupt(msg);
  };
  if (good.empty()) return failure("no usable share:");
  const unsigned k = good.front()->k;
  if (good.size() < k)
    return failure("recovery needs " + std::to_string(k) + " good shares of one split; " +
                   std::to_string(good.size()) + " given" +
                   (r.rejected.empty() ? "" : ", and these were rejected:"));
  const size_t size = good.front()->witness ? 2 * kKey : kKey;
  ledger::SecretBytes secret(size);
  // Any k honest shares give the secret its commitment names; find such a subset, then
  // test every other share against it.
  std::vector<size_t> idx(k);
  for (size_t i = 0; i < k; ++i) idx[i] = i;
  std::optional<std::vector<size_t>> found;
  size_t tries = 0;
  do {
    std::vector<const Share*> use;
    for (size_t i : idx) use.push_back(good[i]);
    if (TryCombine(use, secret)) found = idx;
  } while (!found && ++tries < 20000 && NextSubset(idx, good.size()));
  if (!found) {
    std::string names;
    for (const auto* s : good) names += "\n  " + Describe(*s);
    return failure("no " + std::to_string(k) +
                   " of these shares recover the key their "
                   "commitment names, so more than " +
                   std::to_string(good.size() - k) +
                   " of them are wrong; bring more shares. Shares tried:" + names +
                   (r.rejected.empty() ? "" : "\nRejected before that:"));
  }
  std::vector<bool> in_found(good.size(), false);
  for (size_t i : *found) in_found[i] = true;
  ledger::SecretBytes scratch(size);
  r.used = k;
  for (size_t j = 0; j < good.size(); ++j) {
    if (in_found[j]) continue;
    std::vector<const Share*> use;
    for (size_t i = 1; i < k; ++i) use.push_back(good[(*found)[i]]);
    use.push_back(good[j]);
    if (TryCombine(use, scratch))
      ++r.used;
    else
      r.rejected.push_back(Describe(*good[j]) +
                           " is wrong: it is well formed but does not agree with the others "
                           "(a mistaken or dishonest trustee?)");
  }
  r.origin = good.front()->origin;
  std::memcpy(r.keys.master.data(), secret.data(), kKey);
  if (size == 2 * kKey) {
    r.keys.witness.emplace();
    std::memcpy(r.keys.witness->data(), secret.data() + kKey, kKey);
  }
  return r;
}

}  // namespace izde::recovery
