#include "report/stats.h"

#include <gtest/gtest.h>

#include "demo/synthetic_people.h"
#include "report/person_facts.h"

namespace izde::report {
namespace {

using model::Record;
using model::RecordType;

Record Person(const std::string& id, nlohmann::json doc) {
  doc["names"] = {{{"text", "Synthetic " + id}}};
  return {id, RecordType::kPerson, std::move(doc)};
}
Record Event(const std::string& id, const std::string& person, const std::string& kind,
             const std::string& date, nlohmann::json extra = nlohmann::json::object()) {
  extra["person"] = person;
  extra["kind"] = kind;
  if (!date.empty()) extra["date"] = date;
  return {id, RecordType::kEvent, std::move(extra)};
}

// Three people written in three scripts: two from Kashgar (one in Kazakh Cyrillic, one
// known only by the region code of his ID number), one from Ghulja.
std::vector<Record> SmallVault() {
  return {
      Person("P-1", {{"gender", "female"}, {"birth_date", "1980-06-15"}, {"hometown", "Қашқар"}}),
      Person(
          "P-2",
          {{"gender", "male"},
           {"identifiers",
            {{{"kind", "prc_id"}, {"value", demo::SyntheticPrcId(653101, 1970, 1, 2, true, 7)}}}}}),
      Person("P-3", {{"hometown", "Ghulja"}, {"birth_date", "about 1950"}}),
      Person("P-4", {{"hometown", "Almaty"}}),
      {"F-1", RecordType::kFacility, {{"names", {{{"text", "Camp No. 1 (synthetic)"}}}}}},
      Event("E-1", "P-1", "detained", "2018-03"),
      Event("E-2", "P-1", "held_at_facility", "2018-04", {{"facility", "F-1"}}),
      Event("E-3", "P-1", "sentenced", "2019", {{"term_months", 120}}),
      Event("E-4", "P-2", "detained", "spring 2018"),
      Event("E-5", "P-2", "held_at_facility", "", {{"facility", "F-1"}}),
      Event("E-6", "P-2", "released", "2020-01"),
      Event("E-7", "P-3", "detained", "2017-11-20"),
      Event("E-8", "P-3", "sentenced", "2018", {{"term_months", 6}}),
      Event("E-9", "P-3", "detained", "2019-05"),
  };
}

const TallyRow* Row(const Tally& t, const std::string& key) {
  for (const auto& r : t.rows) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

// The row's count, or -1 when there is no such row.
int64_t N(const Tally& t, const std::string& key) {
  const TallyRow* r = Row(t, key);
  return r ? r->people : -1;
}

int64_t Sum(const Tally& t) {
  int64_t n = 0;
  for (const auto& r : t.rows) n += r.people;
  return n;
}

class StatsTest : public ::testing::Test {
 protected:
  Holdings h = HoldingsOf(SmallVault());
  std::vector<PersonFacts> facts = AllFacts(h);
  Tally By(Dimension d) { return Count(h, facts, d); }
};

TEST_F(StatsTest, StatusIsTheMostRecentDatedEvent) {
  Tally t = By(Dimension::kStatus);
  EXPECT_EQ(t.people_total, 4);
  ASSERT_NE(Row(t, "sentenced"), nullptr);
  EXPECT_EQ(N(t, "sentenced"), 1);  // P-1
  EXPECT_EQ(N(t, "released"), 1);   // P-2: the undated event does not win
  EXPECT_EQ(N(t, "detained"), 1);   // P-3: detained again in 2019
  EXPECT_EQ(N(t, "no_events"), 1);
  EXPECT_EQ(t.rows.back().key, "no_events");
  EXPECT_EQ(Sum(t), 4);
}

TEST_F(StatsTest, PrefectureFromHometownInAnyScriptOrFromTheIdNumber) {
  Tally t = By(Dimension::kPrefecture);
  ASSERT_NE(Row(t, "653100"), nullptr);
  EXPECT_EQ(N(t, "653100"), 2);
  EXPECT_EQ(Row(t, "653100") ? Row(t, "653100")->label : "", "Kashgar");
  ASSERT_NE(Row(t, "654000"), nullptr);  // Ghulja = Yining, in Ili
  EXPECT_EQ(N(t, "unknown"), 1);         // Almaty is not in Xinjiang
  EXPECT_EQ(Sum(t), 4);
}

TEST(StatsHometown, OnePlaceWhateverTheScript) {
  Holdings h = HoldingsOf(
      {Person("P-1", {{"hometown", "Қашқар"}}), Person("P-2", {{"hometown", "Kashgar"}}),
       Person("P-3", {{"hometown", "قەشقەر"}}), Person("P-4", {{"hometown", "Atlantis"}})});
  Tally t = Count(h, AllFacts(h), Dimension::kHometown);
  ASSERT_EQ(t.rows.size(), 2u) << ToText(t);
  EXPECT_EQ(t.rows[0].key, "653100");
  EXPECT_EQ(t.rows[0].people, 3);
  EXPECT_EQ(t.rows[1].key, "as_written:Atlantis");
}

TEST_F(StatsTest, YearAndMonthOfFirstDetention) {
  Tally year = By(Dimension::kYear);
  EXPECT_EQ(N(year, "2018"), 2);
  EXPECT_EQ(N(year, "2017"), 1);
  EXPECT_EQ(N(year, "none"), 1);
  Tally month = By(Dimension::kMonth);
  EXPECT_EQ(N(month, "2018-03"), 1);
  EXPECT_EQ(N(month, "2017-11"), 1);
  EXPECT_EQ(N(month, "unknown"), 1);          // spring 2018
  ASSERT_NE(Row(month, "2017-12"), nullptr);  // empty months are rows too
  EXPECT_EQ(N(month, "2017-12"), 0);
  EXPECT_EQ(month.rows.front().key, "2017-11");
}

TEST_F(StatsTest, AgeGenderFacilityEventSentence) {
  Tally age = By(Dimension::kAge);
  EXPECT_EQ(N(age, "30-44"), 1);    // born mid-1980, detained March 2018: 37
  EXPECT_EQ(N(age, "60+"), 1);      // about 1950, detained 2017: 67
  EXPECT_EQ(N(age, "unknown"), 2);  // P-2 has no birth date, P-4 no detention
  EXPECT_EQ(N(By(Dimension::kGender), "unknown"), 2);
  Tally fac = By(Dimension::kFacility);
  ASSERT_EQ(fac.rows.size(), 1u);
  EXPECT_EQ(fac.rows[0].people, 2);
  EXPECT_EQ(fac.rows[0].label, "Camp No. 1 (synthetic)");
  Tally ev = By(Dimension::kEvent);
  EXPECT_EQ(N(ev, "detained"), 3);  // P-3 twice detained, counted once
  Tally sentence = By(Dimension::kSentence);
  EXPECT_EQ(N(sentence, "d_10_14"), 1);
  EXPECT_EQ(N(sentence, "a_under_1"), 1);
}

TEST_F(StatsTest, PeopleNotRecordsIsOneFunction) {
  std::vector<IdentityCluster> clusters = CountedPeople(h);
  ASSERT_EQ(clusters.size(), 4u);
  for (const auto& c : clusters) EXPECT_EQ(c.person_ids, std::vector<std::string>{c.id});
  EXPECT_NE(By(Dimension::kStatus).definition.find("identity cluster"), std::string::npos);
}

Record Link(const std::string& a, const std::string& b, const std::string& decision, int sequence) {
  return {"L-" + a + "+" + b,
          RecordType::kLink,
          {{"a", a}, {"b", b}, {"decision", decision}, {"sequence", sequence}}};
}

TEST(StatsClusters, LinkedRecordsOfOnePersonCountOnceAndApartAgainWhenUndone) {
  std::vector<Record> records = SmallVault();
  // P-1 and P-3 accepted as one person: her events are the union of both records'.
  records.push_back(Link("P-1", "P-3", "same", 1));
  Holdings linked = HoldingsOf(records);
  std::vector<IdentityCluster> clusters = CountedPeople(linked);
  ASSERT_EQ(clusters.size(), 3u);
  EXPECT_EQ(clusters[0].id, "P-1");
  EXPECT_EQ(clusters[0].person_ids, (std::vector<std::string>{"P-1", "P-3"}));
  std::vector<PersonFacts> facts = AllFacts(linked);
  Tally status = Count(linked, facts, Dimension::kStatus);
  EXPECT_EQ(status.people_total, 3);
  EXPECT_EQ(Sum(status), 3);
  Tally ev = Count(linked, facts, Dimension::kEvent);
  EXPECT_EQ(N(ev, "detained"), 2);  // P-1 and P-3 are one detained person
  EXPECT_EQ(N(ev, "sentenced"), 1);
  // Her first detention is the earliest of either record's (P-3's 2017-11-20).
  EXPECT_EQ(N(Count(linked, facts, Dimension::kYear), "2017"), 1);
  EXPECT_EQ(N(Count(linked, facts, Dimension::kYear), "2018"), 1);

  // The link undone (a later decision on the pair): two people again.
  records.push_back(Link("P-1", "P-3", "undecided", 2));
  Holdings undone = HoldingsOf(records);
  EXPECT_EQ(CountedPeople(undone).size(), 4u);
  EXPECT_EQ(N(Count(undone, AllFacts(undone), Dimension::kEvent), "detained"), 3);
  // A rejection separates them too; a decision naming a person not in the vault is
  // ignored.
  records.push_back(Link("P-1", "P-3", "different", 3));
  records.push_back(Link("P-2", "P-404", "same", 4));
  EXPECT_EQ(CountedPeople(HoldingsOf(records)).size(), 4u);
}

TEST_F(StatsTest, OutputFormats) {
  Tally t = By(Dimension::kPrefecture);
  nlohmann::json j = ToJson(t);
  EXPECT_EQ(j["by"], "prefecture");
  EXPECT_EQ(j["people_total"], 4);
  EXPECT_EQ(j["rows"][0]["key"], "653100");
  const std::string csv = ToCsv(t);
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1), "key,label,people\r\n");
  EXPECT_NE(csv.find("653100,Kashgar,2\r\n"), std::string::npos) << csv;
  EXPECT_NE(ToText(t).find("Counted: "), std::string::npos);
  EXPECT_FALSE(ParseDimension("shoe size").ok());
  EXPECT_EQ(*ParseDimension("facility"), Dimension::kFacility);
}

TEST(StatsDemo, EveryPersonIsInExactlyOneRowOfThePartitions) {
  Holdings h = HoldingsOf(demo::SyntheticVault({.people = 200, .seed = 3}));
  std::vector<PersonFacts> facts = AllFacts(h);
  ASSERT_EQ(facts.size(), 200u);
  for (Dimension d : {Dimension::kStatus, Dimension::kHometown, Dimension::kPrefecture,
                      Dimension::kYear, Dimension::kAge, Dimension::kGender}) {
    EXPECT_EQ(Sum(Count(h, facts, d)), 200) << DimensionName(d);
  }
  // The demo's hometowns are all in the gazetteer.
  EXPECT_EQ(Row(Count(h, facts, Dimension::kPrefecture), "unknown"), nullptr);
}

}  // namespace
}  // namespace izde::report
