// Bundle::Format writes the bundle member by member; its bytes must be exactly what
// nlohmann::json::dump(1) of the bundle's object gives (the format before it was
// streamed), for every kind of text a record can carry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ledger/base64.h"
#include "ledger/bundle.h"

namespace izde::ledger {
namespace {

using nlohmann::json;

// The former Bundle::Format, kept as the reference.
std::string ReferenceFormat(const Bundle& b) {
  json out = {{"format", kBundleFormat},    {"log_key", b.log_key},
              {"checkpoint", b.checkpoint}, {"cosigner_keys", b.cosigner_keys},
              {"records", json::array()},   {"evidence", json::array()}};
  for (const auto& r : b.records) {
    json fields = json::array();
    for (const auto& f : r.revealed)
      fields.push_back({{"name", f.name}, {"value", f.value}, {"salt", Base64Encode(f.salt)}});
    out["records"].push_back({{"id", r.id},
                              {"type", r.type},
                              {"version", r.version},
                              {"revealed", fields},
                              {"proof", r.proof}});
  }
  for (const auto& e : b.evidence) {
    json item = {{"id", e.id}};
    if (!e.sha256.empty()) item["sha256"] = e.sha256;
    if (e.size) item["size"] = *e.size;
    if (e.file) item["file"] = e.sha256;
    item["proof"] = e.proof;
    out["evidence"].push_back(std::move(item));
  }
  if (!b.timestamp.empty()) out["timestamp"] = Base64Encode(b.timestamp);
  return out.dump(1) + "\n";
}

TEST(BundleFormat, IsByteForByteTheJsonDumpOfTheBundle) {
  Bundle empty;
  EXPECT_EQ(empty.Format(), ReferenceFormat(empty));

  Bundle b;
  b.log_key = "example.org/log+1234abcd+AbCd/=";
  b.checkpoint = "example.org/log\n42\nroot=\n\n— sig\n";
  b.cosigner_keys = {"partner+00+key", "other \"quoted\" \\ key"};
  Salt salt{};
  for (size_t i = 0; i < salt.size(); ++i) salt[i] = static_cast<uint8_t>(i * 7);
  b.records.push_back({"P-1",
                       "person",
                       3,
                       "c2sp.org/tlog-proof@v1\nextra AAA=\nindex 7\nqq==\n",
                       {{"names", R"([{"text":"Айгүл \"Ай\" Турсунова"}])", salt},
                        {"hometown", "Ghulja\t<tab>\u0001\u007f\u202E", salt},
                        {"birth_date", "about 1980\r\n", salt}}});
  b.records.push_back({"E-1", "event", 18446744073709551615ull, "proof\n", {}});
  b.records.push_back({"T-1", "testimony", 1, "", {{"summary", "阿依古丽 ئايگۈل", salt}}});
  b.evidence.push_back({"EV-1", "evproof\n", std::string(64, 'a'), 1234, true});
  b.evidence.push_back({"EV-2", "evproof2\n", "", std::nullopt, false});
  b.evidence.push_back({"EV-3", "evproof3\n", std::string(64, 'b'), std::nullopt, false});
  b.timestamp = {1, 2, 3, 250};
  EXPECT_EQ(b.Format(), ReferenceFormat(b));

  b.timestamp.clear();
  b.cosigner_keys.clear();
  EXPECT_EQ(b.Format(), ReferenceFormat(b));
}

}  // namespace
}  // namespace izde::ledger
