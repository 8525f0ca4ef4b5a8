// End-to-end tests of `izde link`, `izde review` and `izde inquiries` through the built
// binary: link → queue → accept → cluster → undo → split, the hard constraints, who and
// when in the history, and inquiry notices.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"

namespace izde::cli {
namespace {

using nlohmann::json;

class ReviewCli : public IzdeBinaryTest {
 protected:
  void SetUp() override {
    IzdeBinaryTest::SetUp();
    Write("pass", "a test passphrase\n");
    Ran r = Izde("init --kdf-cost test-only-minimum");
    ASSERT_EQ(r.code, 0) << r.err;
    // Synthetic people: one woman in two scripts, namesakes with two different valid
    // PRC IDs, a father and son of one name, and a relative's inquiry for the woman.
    std::string people = R"({"records": [
      {"type": "person", "id": "P-1", "names": [{"text": "Қалида Ақытхан"}],
       "birth_date": "1975-03-02", "hometown": "Құлжа", "gender": "female"},
      {"type": "person", "id": "P-2", "names": [{"text": "Qalida Akytkhan"}],
       "birth_date": "1975-03-02", "hometown": "Ghulja", "gender": "female"},
      {"type": "person", "id": "P-3", "names": [{"text": "Memet Tursun"}], "birth_date": "1960-04-12",
       "identifiers": [{"kind": "prc_id", "value": "653101196004120353"}]},
      {"type": "person", "id": "P-4", "names": [{"text": "Memet Tursun"}], "birth_date": "1960-04-12",
       "identifiers": [{"kind": "prc_id", "value": "65310119600412037X"}]},
      {"type": "person", "id": "P-5", "names": [{"text": "Erkin Yasin"}], "birth_date": "1980"},
      {"type": "person", "id": "P-6", "names": [{"text": "Erkin Yasin"}], "birth_date": "1980"},
      {"type": "person", "id": "S-1", "kind": "sought", "names": [{"text": "Kalida Akytkan"}],
       "birth_date": "1975", "hometown": "Ghulja", "gender": "female"},
      {"type": "relation", "id": "R-1", "from": "P-5", "to": "P-6", "kind": "parent"},
      {"type": "event", "id": "E-1", "person": "P-2", "kind": "detained", "date": "2018",
       "place": "Ghulja"}
    ]})";
    r = Izde("import " + Write("people.json", people));
    ASSERT_EQ(r.code, 0) << r.err;
  }
  Ran Izde(const std::string& args) {
    return RunIzde("IZDE_PASSPHRASE_FILE=" + Path("pass"), "--vault " + Path("vault") + " " + args);
  }
  json Json(const std::string& args) {
    Ran r = Izde("--json " + args);
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }
};

TEST_F(ReviewCli, LinkQueueAcceptClusterUndoSplit) {
  json link = Json("link --threads 2");
  EXPECT_EQ(link["people"], 7);
  EXPECT_GE(link["held_apart"].get<int>(), 2);
  EXPECT_GE(link["pending"].get<int>(), 1);

  json queue = Json("review --list");
  std::vector<std::string> pairs;
  for (const auto& q : queue["queue"]) pairs.push_back(q["pair"]);
  EXPECT_NE(std::find(pairs.begin(), pairs.end(), "P-1+P-2"), pairs.end());
  EXPECT_EQ(std::find(pairs.begin(), pairs.end(), "P-3+P-4"), pairs.end());
  EXPECT_EQ(std::find(pairs.begin(), pairs.end(), "P-5+P-6"), pairs.end());
  // Every queued pair is explained field by field.
  ASSERT_FALSE(queue["queue"].empty());
  EXPECT_EQ(queue["queue"][0]["fields"].size(), 5u);

  // Side by side, as text.
  Ran show = Izde("review --show P-2+P-1");
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("Қалида Ақытхан"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("birth_date"), std::string::npos);
  EXPECT_NE(show.out.find("exact"), std::string::npos);

  json accepted = Json("review --accept P-2+P-1 --note checked-photo");
  ASSERT_EQ(accepted["decisions"].size(), 1u);
  const std::string link_id = accepted["decisions"][0]["id"];
  json cluster = Json("review --cluster P-2");
  EXPECT_EQ(cluster["cluster"]["id"], "P-1");
  EXPECT_EQ(cluster["cluster"]["members"], json({"P-1", "P-2"}));
  // Accepted pairs leave the queue.
  const auto listed = Json("review --list");  // a range-for over a temporary's member dangles
  for (const auto& q : listed["queue"]) EXPECT_NE(q["pair"], "P-1+P-2");

  // The decision is a record with who and when; undo is a new version.
  json undone = Json("review --undo");
  EXPECT_EQ(undone["decisions"][0]["decision"], "undecided");
  json history = Json("history " + link_id);
  ASSERT_EQ(history["versions"].size(), 2u);
  EXPECT_EQ(history["versions"][0]["decision"], "same");
  EXPECT_EQ(history["versions"][0]["saved_by"], "admin");
  EXPECT_EQ(history["versions"][1]["decision"], "undecided");
  EXPECT_EQ(Json("review --cluster P-2")["cluster"]["members"].size(), 1u);

  // Accept again, add the inquiry to the cluster, then split P-2 off.
  Json("review --accept P-1+P-2 --accept S-1+P-2");
  EXPECT_EQ(Json("review --cluster S-1")["cluster"]["members"].size(), 3u);
  json split = Json("review --split P-2");
  EXPECT_EQ(split["decisions"].size(), 2u);
  EXPECT_EQ(Json("review --cluster P-1")["cluster"]["members"].size(), 1u);
  EXPECT_EQ(Json("review --cluster S-1")["cluster"]["members"].size(), 1u);
}

TEST_F(ReviewCli, HardConstraintsRefuseWithAReasonAndChangeNothing) {
  ASSERT_EQ(Izde("link").code, 0);
  const std::string before = Izde("--json export --format json").out;
  Ran ids = Izde("review --accept P-3+P-4");
  EXPECT_EQ(ids.code, 2);
  EXPECT_NE(ids.err.find("two different valid identity numbers"), std::string::npos) << ids.err;
  Ran relatives = Izde("review --accept P-5+P-6");
  EXPECT_NE(relatives.err.find("relatives"), std::string::npos) << relatives.err;
  Ran self = Izde("review --accept P-1+P-1");
  EXPECT_NE(self.err.find("same person twice"), std::string::npos) << self.err;
  Ran missing = Izde("review --accept P-1+P-404");
  EXPECT_NE(missing.err.find("no person P-404"), std::string::npos) << missing.err;
  Ran garbage = Izde("review --accept P-1");
  EXPECT_NE(garbage.err.find("joined by '+'"), std::string::npos) << garbage.err;
  EXPECT_EQ(Izde("--json export --format json").out, before);
}

TEST_F(ReviewCli, ReviewBeforeLinkSaysWhatToDo) {
  Ran r = Izde("review");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("run izde link first"), std::string::npos) << r.out;
}

TEST_F(ReviewCli, InquiryNoticeNamesWhatIsNew) {
  ASSERT_EQ(Izde("review --accept S-1+P-2").code, 0);
  ASSERT_EQ(Izde("link").code, 0);
  json notices = Json("inquiries");
  // P-2 as accepted; P-1 too, as the engine suggests P-1 is P-2.
  ASSERT_EQ(notices["notices"].size(), 2u) << notices.dump();
  json n;
  for (const auto& x : notices["notices"])
    if (x["person"] == "P-2") n = x;
  ASSERT_TRUE(n.is_object()) << notices.dump();
  EXPECT_EQ(n["sought"], "S-1");
  EXPECT_EQ(n["person"], "P-2");
  EXPECT_EQ(n["accepted"], true);
  EXPECT_EQ(n["new_records"], json({"E-1", "P-2"}));
  Ran text = Izde("inquiries");
  EXPECT_NE(text.out.find("detained"), std::string::npos) << text.out;
  ASSERT_EQ(Izde("inquiries --seen " + n["id"].get<std::string>()).code, 0);
  EXPECT_EQ(Json("inquiries")["notices"].size(), 1u);
  EXPECT_EQ(Json("inquiries --all")["notices"].size(), 2u);
}

TEST_F(ReviewCli, EstimateFromTheVaultCountsClustersOnItsLists) {
  // Three lists; P-1 (list A) and P-2 (list B) are one person once a reviewer says so.
  std::string more = R"({"records": [
    {"type": "source", "id": "SA", "kind": "leaked_list", "list": "A"},
    {"type": "source", "id": "SB", "kind": "media_report", "list": "B"},
    {"type": "source", "id": "SC", "kind": "other", "list": "C"},
    {"type": "event", "id": "E-2", "person": "P-1", "kind": "detained", "sources": ["SA"]},
    {"type": "event", "id": "E-3", "person": "P-2", "kind": "detained", "sources": ["SB"]},
    {"type": "event", "id": "E-4", "person": "P-3", "kind": "detained", "sources": ["SA", "SC"]},
    {"type": "event", "id": "E-5", "person": "P-5", "kind": "detained", "sources": ["SB", "SC"]}
  ]})";
  ASSERT_EQ(Izde("import " + Write("more.json", more)).code, 0);
  json before = Json("estimate --lists A,B,C");
  std::vector<std::string> keys;
  for (auto it = before.begin(); it != before.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ci_high", "ci_low", "details", "estimate", "lists",
                                            "method", "model", "n_observed", "warnings"}));
  EXPECT_EQ(before["n_observed"], 4);
  EXPECT_FALSE(before["warnings"].empty());
  ASSERT_EQ(Izde("review --accept P-1+P-2").code, 0);
  EXPECT_EQ(Json("estimate --lists A,B,C")["n_observed"], 3);
  EXPECT_EQ(Json("estimate --lists A,B,C --where event=detained --stratify gender")["n_observed"],
            3);
  Ran bad = Izde("estimate --lists A,Z");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("no list 'Z'"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace izde::cli
