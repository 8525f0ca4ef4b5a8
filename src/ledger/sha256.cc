#include "ledger/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace izde::ledger {
namespace {

// Fetching the algorithm once avoids OpenSSL 3's per-call provider lookup.
const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MD_CTX* Ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }

// OpenSSL only fails here on allocation failure or a broken install; the ledger cannot
// produce a trustworthy hash then, so stopping is the only honest answer.
void Require(int ok) {
  if (ok != 1) std::abort();
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) std::abort();
  Require(EVP_DigestInit_ex2(Ctx(ctx_), Sha256Algorithm(), nullptr));
}

Sha256::~Sha256() { EVP_MD_CTX_free(Ctx(ctx_)); }

Sha256& Sha256::Update(Bytes data) {
  Require(EVP_DigestUpdate(Ctx(ctx_), data.data(), data.size()));
  return *this;
}

Hash Sha256::Finish() {
  Hash out;
  unsigned int len = 0;
  Require(EVP_DigestFinal_ex(Ctx(ctx_), out.data(), &len));
  Require(EVP_DigestInit_ex2(Ctx(ctx_), nullptr, nullptr));
  return out;
}

namespace {
Sha256& ThreadHasher() {
  thread_local Sha256 hasher;
  return hasher;
}
}  // namespace

Hash Sha256Of(Bytes data) { return ThreadHasher().Update(data).Finish(); }

Hash Sha256Of(std::string_view data) { return Sha256Of(AsBytes(data)); }

Hash Sha256OfParts(std::initializer_list<Bytes> parts) {
  Sha256& h = ThreadHasher();
  for (Bytes p : parts) h.Update(p);
  return h.Finish();
}

std::string HexOf(Bytes data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t b : data) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

}  // namespace izde::ledger
