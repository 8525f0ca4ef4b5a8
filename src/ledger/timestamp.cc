#include "ledger/timestamp.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <ctime>
#include <memory>

namespace izde::ledger {
namespace {

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Freer<T, Free>>;

using Pkcs7 = Owned<PKCS7, PKCS7_free>;
using TstInfo = Owned<TS_TST_INFO, TS_TST_INFO_free>;
using Bignum = Owned<BIGNUM, BN_free>;
using Bio = Owned<BIO, BIO_free_all>;
using Store = Owned<X509_STORE, X509_STORE_free>;
using Cert = Owned<X509, X509_free>;
using VerifyCtx = Owned<TS_VERIFY_CTX, TS_VERIFY_CTX_free>;

// The queued OpenSSL errors, oldest first, then cleared: for messages only.
std::string OpenSslErrors() {
  std::string out;
  for (unsigned long e; (e = ERR_get_error()) != 0;) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no detail" : out;
}

std::vector<std::uint8_t> BignumBytes(const BIGNUM* bn) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  return out;
}

Result<Store> TrustedStore(std::string_view pem, std::int64_t at_time) {
  Store store(X509_STORE_new());
  if (!store) return Status::Io("out of memory");
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  int count = 0;
  while (Cert cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (X509_STORE_add_cert(store.get(), cert.get()) != 1)
      return Status::Corrupt("a timestamp authority certificate was rejected: " + OpenSslErrors());
    ++count;
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (count == 0)
    return Status::InvalidInput("no PEM certificate of a timestamp authority was given");
  // A token stays valid after its authority's certificate expires: the chain is judged
  // at the time the token states (revocation is not checked; see ledger.md §5).
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()), static_cast<time_t>(at_time));
  return store;
}

bool NoOrNullParameters(const X509_ALGOR* a) {
  int type = V_ASN1_UNDEF;
  const void* value = nullptr;
  X509_ALGOR_get0(nullptr, &type, &value, a);
  return type == V_ASN1_UNDEF || type == V_ASN1_NULL;
}

// RFC 3161 §2.4.2 and RFC 5652 fix the fields OpenSSL's verification does not look at:
// SignedData version 3, one SignerInfo of version 1, digest algorithms that are the
// signer's own, no CRLs or unsigned attributes. Without these checks a flipped byte in
// them would go unnoticed; the carried certificates are checked after the chain is built.
Status CheckShape(const PKCS7* p7) {
  if (!PKCS7_type_is_signed(p7) || !p7->d.sign)
    return Status::Corrupt("the timestamp token is not CMS SignedData");
  const PKCS7_SIGNED* sd = p7->d.sign;
  if (ASN1_INTEGER_get(sd->version) != 3)
    return Status::Corrupt("the timestamp token's SignedData version is not 3");
  if (sk_PKCS7_SIGNER_INFO_num(sd->signer_info) != 1)
    return Status::Corrupt("the timestamp token does not have exactly one signer");
  const PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(sd->signer_info, 0);
  if (ASN1_INTEGER_get(si->version) != 1)
    return Status::Corrupt("the timestamp token's SignerInfo version is not 1");
  if (sk_X509_CRL_num(sd->crl) > 0 || sk_X509_ATTRIBUTE_num(si->unauth_attr) > 0)
    return Status::Corrupt("the timestamp token carries CRLs or unsigned attributes");
  if (!NoOrNullParameters(si->digest_alg) || !NoOrNullParameters(si->digest_enc_alg))
    return Status::Corrupt("the timestamp token's algorithm parameters are not empty");
  if (sk_X509_ALGOR_num(sd->md_algs) != 1 ||
      X509_ALGOR_cmp(sk_X509_ALGOR_value(sd->md_algs, 0), si->digest_alg) != 0)
    return Status::Corrupt("the timestamp token's digest algorithms are not its signer's");
  const ASN1_OBJECT* digest_alg = nullptr;
  const ASN1_OBJECT* sig_alg = nullptr;
  X509_ALGOR_get0(&digest_alg, nullptr, nullptr, si->digest_alg);
  X509_ALGOR_get0(&sig_alg, nullptr, nullptr, si->digest_enc_alg);
  const int digest = OBJ_obj2nid(digest_alg), sig = OBJ_obj2nid(sig_alg);
  if (digest != NID_sha256 && digest != NID_sha384 && digest != NID_sha512)
    return Status::Corrupt("the timestamp token is signed over a digest izde does not accept");
  // A bare key algorithm, or a signature algorithm over the signer's own digest.
  int sig_digest = NID_undef, sig_key = NID_undef;
  const bool bare_key = sig == NID_X9_62_id_ecPublicKey || sig == NID_rsaEncryption;
  if (!bare_key && (OBJ_find_sigid_algs(sig, &sig_digest, &sig_key) != 1 || sig_digest != digest ||
                    (sig_key != NID_X9_62_id_ecPublicKey && sig_key != NID_rsaEncryption)))
    return Status::Corrupt("the timestamp token's signature algorithm is not one izde accepts");
  return Status::Ok();
}

// Every certificate the token carries must be part of the chain that verified: a
// certificate riding along unchecked could be altered without anyone noticing.
Status CheckCarriedCertificates(PKCS7* p7, std::string_view trusted_pem, std::int64_t when) {
  STACK_OF(X509)* carried = p7->d.sign->cert;
  STACK_OF(X509)* signers = PKCS7_get0_signers(p7, nullptr, 0);
  if (!signers || sk_X509_num(signers) != 1) {
    sk_X509_free(signers);
    ERR_clear_error();
    return Status::Corrupt("the timestamp token does not carry its signer's certificate");
  }
  X509* signer = sk_X509_value(signers, 0);
  sk_X509_free(signers);
  IZDE_ASSIGN_OR_RETURN(Store store, TrustedStore(trusted_pem, when));
  Owned<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), signer, carried) != 1 ||
      X509_verify_cert(ctx.get()) != 1) {
    ERR_clear_error();
    return Status::Corrupt("the timestamp authority's certificate chain does not verify");
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(carried); ++i) {
    bool in_chain = false;
    for (int j = 0; j < sk_X509_num(chain) && !in_chain; ++j)
      in_chain = X509_cmp(sk_X509_value(carried, i), sk_X509_value(chain, j)) == 0;
    if (!in_chain)
      return Status::Corrupt("the timestamp token carries a certificate (number " +
                             std::to_string(i + 1) + ") outside its authority's chain");
  }
  return Status::Ok();
}

Result<std::int64_t> GenTime(const TS_TST_INFO* info) {
  const ASN1_GENERALIZEDTIME* t = TS_TST_INFO_get_time(info);
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
    return Status::Corrupt("the timestamp token has no readable time");
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string IsoTime(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<VerifiedTimestamp> Verify(std::span<const std::uint8_t> token, const Hash& imprint,
                                 std::string_view trusted_pem,
                                 const std::vector<std::uint8_t>* nonce) {
  if (token.empty() || token.size() > kMaxTimestampTokenBytes)
    return Status::Corrupt("the timestamp token is empty or larger than 64 KiB");
  const unsigned char* p = token.data();
  Pkcs7 p7(d2i_PKCS7(nullptr, &p, static_cast<long>(token.size())));
  if (!p7 || p != token.data() + token.size()) {
    ERR_clear_error();
    return Status::Corrupt("the timestamp token is not DER CMS SignedData");
  }
  // BER leniency would let bytes of the token change without changing its meaning.
  const int der_len = i2d_PKCS7(p7.get(), nullptr);
  std::vector<std::uint8_t> der(der_len > 0 ? static_cast<std::size_t>(der_len) : 0);
  unsigned char* q = der.data();
  if (der_len <= 0 || i2d_PKCS7(p7.get(), &q) != der_len ||
      !std::equal(der.begin(), der.end(), token.begin(), token.end()))
    return Status::Corrupt("the timestamp token is not in canonical DER");
  IZDE_RETURN_IF_ERROR(CheckShape(p7.get()));
  TstInfo info(PKCS7_to_TS_TST_INFO(p7.get()));
  if (!info) {
    ERR_clear_error();
    return Status::Corrupt("the timestamp token carries no RFC 3161 TSTInfo");
  }
  TS_MSG_IMPRINT* mi = TS_TST_INFO_get_msg_imprint(info.get());
  const ASN1_OBJECT* alg = nullptr;
  X509_ALGOR_get0(&alg, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(mi));
  if (OBJ_obj2nid(alg) != NID_sha256)
    return Status::Corrupt("the timestamp token's imprint is not SHA-256");
  const ASN1_OCTET_STRING* digest = TS_MSG_IMPRINT_get_msg(mi);
  if (ASN1_STRING_length(digest) != static_cast<int>(kHashSize) ||
      !std::equal(imprint.begin(), imprint.end(), ASN1_STRING_get0_data(digest)))
    return Status::Corrupt("the timestamp token is for other data than this checkpoint");
  if (nonce) {
    const ASN1_INTEGER* n = TS_TST_INFO_get_nonce(info.get());
    Bignum bn(n ? ASN1_INTEGER_to_BN(n, nullptr) : nullptr);
    if (!bn || BignumBytes(bn.get()) != *nonce)
      return Status::Corrupt("the timestamp answers another request (its nonce differs)");
  }
  IZDE_ASSIGN_OR_RETURN(std::int64_t when, GenTime(info.get()));
  IZDE_ASSIGN_OR_RETURN(Store store, TrustedStore(trusted_pem, when));
  VerifyCtx ctx(TS_VERIFY_CTX_new());
  if (!ctx) return Status::Io("out of memory");
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE);
  TS_VERIFY_CTX_set_store(ctx.get(), store.release());  // the context owns it now
  if (TS_RESP_verify_token(ctx.get(), p7.get()) != 1)
    return Status::Corrupt(
        "the timestamp token's signature or its authority's certificate does not verify "
        "against the trusted certificates (" +
        OpenSslErrors() + ")");
  IZDE_RETURN_IF_ERROR(CheckCarriedCertificates(p7.get(), trusted_pem, when));

  VerifiedTimestamp out;
  out.time = when;
  out.time_text = IsoTime(when);
  Bignum serial(ASN1_INTEGER_to_BN(TS_TST_INFO_get_serial(info.get()), nullptr));
  if (serial) {
    char* hex = BN_bn2hex(serial.get());
    out.serial = hex ? hex : "";
    OPENSSL_free(hex);
  }
  STACK_OF(X509)* signers = PKCS7_get0_signers(p7.get(), nullptr, 0);
  if (signers && sk_X509_num(signers) > 0) {
    char name[256];
    X509_NAME_oneline(X509_get_subject_name(sk_X509_value(signers, 0)), name, sizeof name);
    out.authority = name;
  }
  sk_X509_free(signers);
  ERR_clear_error();
  return out;
}

}  // namespace

Result<TimestampRequest> MakeTimestampRequest(std::string_view message) {
  TimestampRequest out;
  out.imprint = Sha256Of(message);
  Owned<TS_REQ, TS_REQ_free> req(TS_REQ_new());
  Owned<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free> mi(TS_MSG_IMPRINT_new());
  Owned<X509_ALGOR, X509_ALGOR_free> alg(X509_ALGOR_new());
  std::uint8_t raw_nonce[8];
  if (!req || !mi || !alg || RAND_bytes(raw_nonce, sizeof raw_nonce) != 1)
    return Status::Io("cannot make a timestamp request: " + OpenSslErrors());
  raw_nonce[0] |= 0x01;  // never a zero nonce
  Bignum bn(BN_bin2bn(raw_nonce, sizeof raw_nonce, nullptr));
  Owned<ASN1_INTEGER, ASN1_INTEGER_free> nonce(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr)
                                                  : nullptr);
  if (!nonce || X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
      TS_MSG_IMPRINT_set_algo(mi.get(), alg.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(mi.get(), out.imprint.data(), static_cast<int>(kHashSize)) != 1 ||
      TS_REQ_set_version(req.get(), 1) != 1 || TS_REQ_set_msg_imprint(req.get(), mi.get()) != 1 ||
      TS_REQ_set_nonce(req.get(), nonce.get()) != 1 || TS_REQ_set_cert_req(req.get(), 1) != 1)
    return Status::Io("cannot make a timestamp request: " + OpenSslErrors());
  out.nonce = BignumBytes(bn.get());
  const int len = i2d_TS_REQ(req.get(), nullptr);
  if (len <= 0) return Status::Io("cannot encode a timestamp request: " + OpenSslErrors());
  out.der.resize(static_cast<std::size_t>(len));
  unsigned char* p = out.der.data();
  i2d_TS_REQ(req.get(), &p);
  return out;
}

Result<std::vector<std::uint8_t>> AcceptTimestampResponse(std::span<const std::uint8_t> response,
                                                          const TimestampRequest& request,
                                                          std::string_view trusted_pem) {
  const unsigned char* p = response.data();
  Owned<TS_RESP, TS_RESP_free> resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response.size())));
  if (!resp || p != response.data() + response.size()) {
    ERR_clear_error();
    return Status::Corrupt("the timestamp authority's answer is not a DER TimeStampResp");
  }
  TS_STATUS_INFO* si = TS_RESP_get_status_info(resp.get());
  const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si));
  if (status != 0 && status != 1) {  // granted, grantedWithMods
    std::string text;
    if (const auto* texts = TS_STATUS_INFO_get0_text(si))
      for (int i = 0; i < sk_ASN1_UTF8STRING_num(texts); ++i) {
        const ASN1_UTF8STRING* s = sk_ASN1_UTF8STRING_value(texts, i);
        text += " " + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                  static_cast<std::size_t>(ASN1_STRING_length(s)));
      }
    return Status::Corrupt("the timestamp authority refused the request (status " +
                           std::to_string(status) + ")" + text);
  }
  PKCS7* token = TS_RESP_get_token(resp.get());
  if (!token) return Status::Corrupt("the timestamp authority granted but sent no token");
  const int len = i2d_PKCS7(token, nullptr);
  if (len <= 0) return Status::Corrupt("the timestamp token cannot be encoded");
  std::vector<std::uint8_t> der(static_cast<std::size_t>(len));
  unsigned char* q = der.data();
  i2d_PKCS7(token, &q);
  IZDE_RETURN_IF_ERROR(Verify(der, request.imprint, trusted_pem, &request.nonce).status());
  return der;
}

Result<VerifiedTimestamp> VerifyTimestampToken(std::span<const std::uint8_t> token,
                                               std::string_view message,
                                               std::string_view trusted_pem) {
  return Verify(token, Sha256Of(message), trusted_pem, nullptr);
}

Result<std::string> CarriedRootsPem(std::span<const std::uint8_t> token) {
  const unsigned char* p = token.data();
  Pkcs7 p7(d2i_PKCS7(nullptr, &p, static_cast<long>(token.size())));
  if (!p7 || !PKCS7_type_is_signed(p7.get()) || !p7->d.sign) {
    ERR_clear_error();
    return Status::Corrupt("the timestamp token is not DER CMS SignedData");
  }
  std::string pem;
  STACK_OF(X509)* certs = p7->d.sign->cert;
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    X509* c = sk_X509_value(certs, i);
    if (X509_check_issued(c, c) != X509_V_OK) continue;
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), c) != 1) continue;
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    pem.append(data, static_cast<std::size_t>(n));
  }
  ERR_clear_error();
  if (pem.empty())
    return Status::InvalidInput(
        "the timestamp token carries no root certificate: give the authority's certificate");
  return pem;
}

}  // namespace izde::ledger
