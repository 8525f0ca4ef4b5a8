#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "ids/id_check.h"
#include "link/cluster.h"
#include "link/linker.h"
#include "link/person_records.h"
#include "link/rules_fingerprint.h"
#include "link/string_metrics.h"

namespace izde::link {
namespace {

TEST(StringMetrics, JaroWinklerKnownValues) {
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 0.001);
  EXPECT_EQ(JaroWinkler("abc", "abc"), 1);
  EXPECT_EQ(JaroWinkler("abc", "xyz"), 0);
}

TEST(StringMetrics, WithinOneEdit) {
  EXPECT_TRUE(WithinOneEdit("4223", "4233"));
  EXPECT_TRUE(WithinOneEdit("4223", "2423"));  // swapped neighbours
  EXPECT_TRUE(WithinOneEdit("4223", "423"));
  EXPECT_FALSE(WithinOneEdit("4223", "3224X"));
  EXPECT_FALSE(WithinOneEdit("1234", "4321"));
}

Schema PersonLike() {
  return {{{"name", Comparator::kName, true},
           {"birth_date", Comparator::kDate, false},
           {"hometown", Comparator::kPlace, false},
           {"id_number", Comparator::kIdNumber, false},
           {"gender", Comparator::kCategory, false}}};
}

uint8_t Level(Comparator c, const char* a, const char* b) {
  FieldSpec spec{"f", c, false};
  return CompareValues(c, PrepareValue(spec, a), PrepareValue(spec, b));
}

TEST(Comparators, NamesAcrossScripts) {
  EXPECT_EQ(Level(Comparator::kName, "Қалида Ақытхан", "Qalida Akytkhan"), 1);
  EXPECT_LE(Level(Comparator::kName, "买买提·吐尔逊", "Memet Tursun"), 3);
  EXPECT_EQ(Level(Comparator::kName, "Memet Tursun", "Wang Fang"), 5);
  EXPECT_EQ(Level(Comparator::kName, "", "Wang Fang"), kMissing);
}

TEST(Comparators, DatesAreCompatibleWhenPartial) {
  EXPECT_EQ(Level(Comparator::kDate, "1975-03-02", "19750302"), 1);
  EXPECT_EQ(Level(Comparator::kDate, "1975-03-02", "1975-02-03"), 2);  // day and month swapped
  EXPECT_EQ(Level(Comparator::kDate, "about 1975", "1976-05-01"), 3);
  EXPECT_EQ(Level(Comparator::kDate, "1975", "1976"), 4);
  EXPECT_EQ(Level(Comparator::kDate, "1975", "1990"), 5);
}

// "About 1965" is 1963-1967: the uncertainty of whoever gave it is already in the
// interval, so a date outside it is another person's, however near; only dates
// given as a year are "within a year" of each other (a year worked back from an
// age). The comparison from summaries says the same.
TEST(Comparators, ADateOutsideAnApproximateDateConflicts) {
  auto both = [](const char* a, const char* b) {
    FieldSpec spec{"f", Comparator::kDate, false};
    const FieldValue va = PrepareValue(spec, a), vb = PrepareValue(spec, b);
    const uint8_t level = CompareValues(Comparator::kDate, va, vb);
    EXPECT_EQ(CompareSummarized(Comparator::kDate, Summarize(Comparator::kDate, va),
                                Summarize(Comparator::kDate, vb), va, vb),
              level)
        << a << " / " << b;
    return level;
  };
  EXPECT_EQ(both("about 1965", "1963-06-01"), 3);
  EXPECT_EQ(both("about 1965", "1962-03-12"), 5);
  EXPECT_EQ(both("1962", "about 1965"), 5);
  EXPECT_EQ(both("1962", "1963-03-12"), 4);
  EXPECT_EQ(both("1962", "1963"), 4);
  EXPECT_EQ(both("1962", "1975"), 5);
}

TEST(Comparators, AValidIdNumberStatesBirthDateSexAndCounty) {
  RawRecords raw{PersonLike(), {"a", "b", "c"}, {}};
  // 654002: Ghulja (Yining) city; born 1975-03-02; sequence 021, odd: male.
  raw.values = {{"Memet Tursun", "", "", "654002197503020214", ""},
                {"Memet Tursun", "1975-03-02", "Ghulja", "", "m"},
                {"Memet Tursun", "", "", "654002197503020214", ""}};
  ASSERT_TRUE(ids::Check(raw.values[0][3]).valid);
  Prepared p = Prepare(raw);
  Levels ab = CompareRecords(p, 0, 1);
  EXPECT_EQ(ab[1], 1);  // birth date from the number
  EXPECT_EQ(ab[2], 1);  // county from the region code
  EXPECT_EQ(ab[4], 1);  // sex from the sequence
  // Two numbers are compared as numbers; what they state is not counted again.
  Levels ac = CompareRecords(p, 0, 2);
  EXPECT_EQ(ac[3], 1);
  EXPECT_EQ(ac[1], kMissing);
  EXPECT_EQ(ac[2], kMissing);
}

TEST(Comparators, PlacesThroughTheGazetteer) {
  EXPECT_EQ(Level(Comparator::kPlace, "Ghulja", "伊宁市"), 1);
  EXPECT_EQ(Level(Comparator::kPlace, "Kashgar", "Urumqi"), 3);
}

// A PRC ID with its ISO 7064 MOD 11-2 check character appended.
std::string WithCheck(const std::string& first17) {
  int sum = 0, weight = 1;
  for (int i = 16; i >= 0; --i) {
    weight = weight * 2 % 11;
    sum += (first17[static_cast<size_t>(i)] - '0') * weight;
  }
  const int check = (12 - sum % 11) % 11;
  return first17 + (check == 10 ? 'X' : static_cast<char>('0' + check));
}

// Blocking on the birth year gives the calendar years a date allows: one for a year
// or a day (31 December included), none for a span wider than three years.
TEST(Blocking, YearKeysAreCalendarYears) {
  EXPECT_EQ(CalendarYear(0), 1900);
  EXPECT_EQ(CalendarYear(-1), 1899);
  RawRecords raw;
  raw.schema = {{{"birth_date", Comparator::kDate, false}}};
  for (const char* d :
       {"1962", "1962-12-31", "1963-01-01", "about 1962", "1962..1964", "2000-02-29"}) {
    raw.ids.push_back(d);
    raw.values.push_back({d});
  }
  const Prepared p = Prepare(raw);
  const BlockingRule year{"year", {{0, KeyKind::kYear}}};
  auto keys = [&](size_t r) {
    std::vector<uint64_t> out;
    RuleKeys(p, r, year, 0, out);
    return out;
  };
  EXPECT_EQ(keys(0).size(), 1u);
  EXPECT_EQ(keys(1), keys(0));  // the last day of 1962 is in 1962
  EXPECT_NE(keys(2), keys(0));
  EXPECT_TRUE(keys(3).empty());   // 1960-1964: too broad to block on
  ASSERT_EQ(keys(4).size(), 3u);  // 1962-1964
  EXPECT_NE(std::find(keys(4).begin(), keys(4).end(), keys(0)[0]), keys(4).end());
  EXPECT_EQ(keys(5).size(), 1u);
}

TEST(Constraints, DifferentValidIdsNeverMerge) {
  RawRecords raw{PersonLike(), {"a", "b", "c", "d"}, {}};
  const std::string id1 = WithCheck("65010219750302123"), id2 = WithCheck("65010219750302001");
  std::string typo = id1;
  typo[3] = typo[3] == '9' ? '8' : '9';  // fails its check: a mistyped copy of id1
  raw.values = {{"Memet Tursun", "1975", "", id1, ""},
                {"Memet Tursun", "1975", "", id2, ""},
                {"Memet Tursun", "1975", "", "", ""},
                {"Memet Tursun", "1975", "", typo, ""}};
  Prepared p = Prepare(raw);
  ASSERT_TRUE(p.at(0, 3).id_valid && p.at(1, 3).id_valid);
  ASSERT_FALSE(p.at(3, 3).id_valid);
  Constraints c;
  EXPECT_TRUE(c.Forbidden(p, 0, 1));
  EXPECT_FALSE(c.Forbidden(p, 0, 2));
  EXPECT_FALSE(c.Forbidden(p, 0, 3));
  EXPECT_EQ(CompareRecords(p, 0, 3)[3], 2);  // one typo
  c.AddCannotLink(0, 2);
  EXPECT_TRUE(c.Forbidden(p, 2, 0));
}

TEST(Clusters, ResistChaining) {
  // A≈B and B≈C strongly, but A and C are clearly different: single linkage
  // would give one cluster of three.
  double s[3][3] = {{0, 20, -30}, {20, 0, 18}, {-30, 18, 0}};
  Clusters c(3);
  c.Apply({{0, 1, 20}, {1, 2, 18}}, [&](uint32_t a, uint32_t b) { return s[a][b]; }, {});
  EXPECT_EQ(c.Find(0), c.Find(1));
  EXPECT_NE(c.Find(1), c.Find(2));
  EXPECT_EQ(c.refused_merges(), 1u);
}

TEST(Clusters, MergesWhenEveryPairAgrees) {
  Clusters c(3);
  c.Apply({{0, 1, 20}, {1, 2, 18}}, [](uint32_t, uint32_t) { return 10.0; }, {});
  EXPECT_EQ(c.Find(0), c.Find(2));
}

// The line between "same person" and "two people" is the pairwise-F1 optimum, not
// one half: a merge at p = 0.4 is made by default (a link right more than F1/2 of
// the time adds to F1), one at p = 0.3 is not, and a caller can still ask for 0.5.
TEST(Clusters, TheDefaultLineIsBelowOneHalf) {
  const double at_04 = std::log2(0.4 / 0.6), at_03 = std::log2(0.3 / 0.7);
  auto group = [&](double score) {
    return [score](std::span<const uint32_t>, std::span<const uint32_t>) {
      return GroupScore{score, score};
    };
  };
  Clusters c(2);
  c.Apply({{0, 1, static_cast<float>(at_04)}}, group(at_04), ClusterOptions{});
  EXPECT_EQ(c.Find(0), c.Find(1));
  Clusters d(2);
  d.Apply({{0, 1, static_cast<float>(at_03)}}, group(at_03), ClusterOptions{});
  EXPECT_NE(d.Find(0), d.Find(1));
  ClusterOptions half;
  half.min_mean_probability = 0.5;
  Clusters e(2);
  e.Apply({{0, 1, static_cast<float>(at_04)}}, group(at_04), half);
  EXPECT_NE(e.Find(0), e.Find(1));
  // The linker proposes pairs from the same line.
  EXPECT_DOUBLE_EQ(LinkOptions{}.match_probability, ClusterOptions{}.min_mean_probability);
  EXPECT_LT(LinkOptions{}.match_probability, 0.4);
}

// Clusters compared as one person: what their records carry adds up, and a
// contradiction between any two of their records counts.
TEST(Model, GroupsAddUpWhatTheirRecordsCarry) {
  RawRecords raw{PersonLike(), {"a1", "a2", "b", "c"}, {}};
  raw.values = {{"Memet Tursun", "1975-03-02", "", "", ""},         // a1: name and date
                {"Memet Tursun", "", "Ghulja", "", ""},             // a2: name and place
                {"买买提·吐尔逊", "1975-03-02", "伊宁市", "", ""},  // b: both, in Chinese
                {"Memet Tursun", "1981", "Ghulja", "", ""}};        // c: another birth year
  Prepared p = Prepare(raw);
  Model model = InitialModel(p.schema);
  model.prior = 1e-4;
  const uint32_t a[] = {0, 1}, b[] = {2}, c[] = {3};
  double weakest = 0;
  const double group = ScoreGroups(model, p, a, b, nullptr, &weakest);
  // Pair by pair, b shares the date with a1 only and the place with a2 only.
  EXPECT_GT(group, model.Score(p.schema, CompareRecords(p, 0, 2), &p.values[0], &p.values[2 * 5]));
  EXPECT_GT(group, model.Score(p.schema, CompareRecords(p, 1, 2), &p.values[5], &p.values[2 * 5]));
  // c agrees with a2 on name and place but was born in another year than a1.
  const double with_c = ScoreGroups(model, p, a, c, nullptr, &weakest);
  EXPECT_LT(with_c, model.Score(p.schema, CompareRecords(p, 1, 3), &p.values[5], &p.values[3 * 5]));
  EXPECT_EQ(CompareRecords(p, 0, 3)[1], LevelCount(Comparator::kDate) - 1);
  // A hard constraint between any two members forbids the merge.
  ScoreGroups(
      model, p, a, b, [](uint32_t x, uint32_t) { return x == 1; }, &weakest);
  EXPECT_EQ(weakest, -INFINITY);
}

TEST(Clusters, GroupScorerDecidesMerges) {
  Clusters c(3);
  // Every pair is weak alone, but the groups together are strong: merged.
  c.Apply({{0, 1, 1}, {1, 2, 1}},
          [](std::span<const uint32_t> a, std::span<const uint32_t> b) {
            return GroupScore{static_cast<double>(a.size() + b.size()), 0};
          },
          {});
  EXPECT_EQ(c.Find(0), c.Find(2));
  // A vetoed member pair refuses the merge, however strong the groups.
  Clusters d(3);
  d.Apply({{0, 1, 1}, {1, 2, 1}},
          [](std::span<const uint32_t> a, std::span<const uint32_t> b) {
            return GroupScore{20, a.size() + b.size() > 2 ? -40.0 : 0.0};
          },
          {});
  EXPECT_EQ(d.Find(0), d.Find(1));
  EXPECT_NE(d.Find(1), d.Find(2));
}

TEST(Clusters, ANameOnlyRecordJoinsTheOneClusterHoldingItsName) {
  auto all = [](uint32_t) { return true; };
  auto yes = [](uint32_t, std::span<const uint32_t>) { return true; };
  // Records 0-2 are one cluster; 3 agrees on the name with 0 and 1 only.
  Clusters c(6);
  c.Apply({{0, 1, 10}, {1, 2, 10}}, [](uint32_t, uint32_t) { return 10.0; }, {});
  EXPECT_EQ(c.AttachByUniqueName({{3, 0}, {1, 3}}, all, yes), 1u);
  EXPECT_EQ(c.Find(3), c.Find(0));
  // 4 agrees with that cluster and with record 5, another holder of the name: no.
  EXPECT_EQ(c.AttachByUniqueName(
                {{4, 0}, {4, 5}}, [](uint32_t r) { return r != 5; }, yes),
            0u);
  EXPECT_NE(c.Find(4), c.Find(0));
  // Not when the record carries what could tell (`eligible`) or the check refuses.
  Clusters d(4);
  d.Apply({{0, 1, 10}}, [](uint32_t, uint32_t) { return 10.0; }, {});
  EXPECT_EQ(d.AttachByUniqueName(
                {{3, 0}}, [](uint32_t r) { return r != 3; }, yes),
            0u);
  EXPECT_EQ(d.AttachByUniqueName({{3, 0}}, all,
                                 [](uint32_t, std::span<const uint32_t>) { return false; }),
            0u);
  EXPECT_NE(d.Find(3), d.Find(0));
}

TEST(Clusters, TwoClustersThatAloneHoldEachOthersNameMerge) {
  auto yes = [](std::span<const uint32_t>, std::span<const uint32_t>) { return true; };
  Clusters c(7);
  c.Apply({{0, 1, 10}, {2, 3, 10}, {4, 5, 10}}, [](uint32_t, uint32_t) { return 10.0; }, {});
  // {0,1} and {2,3} hold each other's name and no one else's: merged. {4,5} and
  // record 6 too (a singleton counts as a cluster).
  EXPECT_EQ(c.MergeMutualNameHolders({{0, 2}, {1, 3}, {4, 6}}, yes), 2u);
  EXPECT_EQ(c.Find(0), c.Find(3));
  Clusters d(6);
  d.Apply({{0, 1, 10}, {2, 3, 10}}, [](uint32_t, uint32_t) { return 10.0; }, {});
  // {2,3} also shares its name with record 4: not mutual, nothing merged.
  EXPECT_EQ(d.MergeMutualNameHolders({{0, 2}, {3, 4}}, yes), 0u);
  // And `accept` can refuse.
  EXPECT_EQ(d.MergeMutualNameHolders({{0, 2}}, [](std::span<const uint32_t>,
                                                  std::span<const uint32_t>) { return false; }),
            0u);
  EXPECT_NE(d.Find(0), d.Find(2));
}

TEST(Model, EmRecoversParametersWithoutLabels) {
  // Two binary fields, 10% matches: m = (0.9, 0.1), u = (0.05, 0.95).
  Schema schema{{{"x", Comparator::kCategory, false},
                 {"y", Comparator::kCategory, false},
                 {"z", Comparator::kCategory, false}}};
  PatternCounts pc;
  std::mt19937 rng(3);
  std::bernoulli_distribution is_match(0.1), agree_m(0.9), agree_u(0.05);
  for (int i = 0; i < 200000; ++i) {
    bool m = is_match(rng);
    Levels l{};
    for (int f = 0; f < 3; ++f) l[f] = (m ? agree_m(rng) : agree_u(rng)) ? 1 : 2;
    pc.Add(l);
  }
  Model model = InitialModel(schema);
  EstimateByEm(model, schema, pc, false);
  EXPECT_NEAR(model.prior, 0.1, 0.01);
  EXPECT_NEAR(model.fields[0].m[1], 0.9, 0.02);
  EXPECT_NEAR(model.fields[0].u[1], 0.05, 0.01);
}

// The prior from a session is P(match | agree) P(agree) / P(agree | match); when the
// session's field is present on only some records, matches can agree on it only
// when both carry it, and the prior must not shrink with the field's absence.
TEST(Model, SessionPriorAllowsForAFieldMissingOnMostRecords) {
  Schema schema{{{"id", Comparator::kCode, false}, {"x", Comparator::kCategory, false}}};
  PatternCounts pc;
  std::mt19937 rng(5);
  std::bernoulli_distribution agree_m(0.9), agree_u(0.05);
  for (int i = 0; i < 20000; ++i) {
    const bool match = i < 2000;
    Levels l{};
    l[0] = match ? 1 : static_cast<uint8_t>(std::uniform_int_distribution<int>(2, 3)(rng));
    l[1] = (match ? agree_m(rng) : agree_u(rng)) ? 1 : 2;
    pc.Add(l);
  }
  auto prior = [&](std::vector<double> present) {
    Model model = InitialModel(schema);
    model.fields[0].u = {0, 0.001, 0.01, 0.989};
    model.fields[1].u = {0, 0.05, 0.95};
    EstimateBySessions(model, schema, pc, true, 1e8, 1, present);
    return model.prior;
  };
  const double all_present = prior({});
  ASSERT_GT(all_present, 0);
  EXPECT_NEAR(prior({0.25, 1}) / all_present, 4.0, 1e-6);
}

// When fields go missing by source, two records of one person carry a field less
// (or more) often than its share of records says, and a session on such a field
// misjudges the prior; the prior comes from the sessions on the field every record
// carries.
TEST(Model, SessionPriorComesFromTheFieldEveryRecordCarries) {
  Schema schema{{{"a", Comparator::kCode, false},
                 {"id", Comparator::kCode, false},
                 {"x", Comparator::kCategory, false}}};
  PatternCounts pc;
  std::mt19937 rng(7);
  std::bernoulli_distribution agree_m(0.9), agree_u(0.05), id_shared(0.125), id_present(0.25);
  for (int i = 0; i < 20000; ++i) {
    const bool match = i < 2000;
    Levels l{};
    l[0] = match ? (agree_m(rng) ? 1 : 3) : (i % 50 == 0 ? 1 : 3);
    // Matches carry the number together on one pair in eight.
    l[1] = match ? (id_shared(rng) ? 1 : 0) : (id_present(rng) ? 3 : 0);
    l[2] = (match ? agree_m(rng) : agree_u(rng)) ? 1 : 2;
    pc.Add(l);
  }
  Model model = InitialModel(schema);
  model.fields[0].u = {0, 0.005, 0.005, 0.99};
  model.fields[1].u = {0, 0.001, 0.01, 0.989};
  model.fields[2].u = {0, 0.05, 0.95};
  // The product of shares says one pair in sixteen carries the number: the ID
  // session alone would double the prior.
  EstimateBySessions(model, schema, pc, true, 20000, 1, {1.0, 0.0625, 1.0});
  EXPECT_NEAR(model.prior, 0.1, 0.015);
}

TEST(Model, ReviewerDecisionsMoveM) {
  Schema schema{{{"x", Comparator::kCategory, false}}};
  Model model = InitialModel(schema);
  const double before = model.fields[0].m[2];
  // Reviewers confirmed 100 matches that disagree on x: disagreement is common
  // among matches after all, so its m must rise.
  Levels disagree{};
  disagree[0] = 2;
  UpdateFromDecisions(model, schema, std::vector<Levels>(100, disagree), {});
  EXPECT_GT(model.fields[0].m[2], before + 0.5);
  EXPECT_NEAR(model.fields[0].m[1] + model.fields[0].m[2], 1.0, 1e-9);
}

TEST(Model, TermFrequencyWeakensCommonNames) {
  Model model = InitialModel(PersonLike());
  FieldSpec spec{"name", Comparator::kName, true};
  EXPECT_LT(model.TermAdjustment(0, 1, spec, 0.05f, 0.05f),
            model.TermAdjustment(0, 1, spec, 0.0001f, 0.0001f));
  EXPECT_EQ(model.TermAdjustment(0, 5, spec, 0.05f, 0.05f), 0);  // disagreement: no adjustment
}

// A name given as one part ("Madina", as a cellmate knew her) is as common as the
// records whose name has that part, not as the few that give it alone.
TEST(Model, ANameOfOnePartIsAsCommonAsThePart) {
  RawRecords raw{PersonLike(), {}, {}};
  const char* fathers[] = {"Tursun", "Osman", "Qadir", "Yasin", "Ilham", "Erkin", "Memet", "Adil"};
  for (int i = 0; i < 8; ++i) {
    raw.ids.push_back("full-" + std::to_string(i));
    raw.values.push_back({std::string("Madina ") + fathers[i], "", "", "", "f"});
  }
  for (int i = 0; i < 12; ++i) {
    raw.ids.push_back("other-" + std::to_string(i));
    raw.values.push_back({std::string("Zulpiye ") + fathers[i % 8], "", "", "", "f"});
  }
  raw.ids.push_back("alone");
  raw.values.push_back({"Madina", "", "", "", "f"});
  raw.ids.push_back("han");
  raw.values.push_back({"王伟", "", "", "", "m"});
  const Prepared p = Prepare(raw);
  const size_t alone = 20, han = 21;
  // Nine of the 22 records have the part Madina; one gives it alone.
  EXPECT_NEAR(p.at(alone, 0).tf, 9.0 / 22, 1e-6);
  EXPECT_NEAR(p.at(0, 0).tf, 1.0 / 22, 1e-6);    // a full name: its own count
  EXPECT_NEAR(p.at(han, 0).tf, 1.0 / 22, 1e-6);  // a Chinese name in one part is whole
  Model model = InitialModel(PersonLike());
  const FieldSpec& spec = raw.schema.fields[0];
  EXPECT_LT(model.TermAdjustment(0, 1, spec, p.at(alone, 0).tf, p.at(alone, 0).tf),
            model.TermAdjustment(0, 1, spec, p.at(0, 0).tf, p.at(0, 0).tf));
}

RawRecords People(int n, int offset) {
  RawRecords raw{PersonLike(), {}, {}};
  const char* given[] = {"Memet", "Nurlan", "Gulnar", "Aigul", "Erkin", "Serik"};
  const char* family[] = {"Tursun", "Akytkhan", "Osman", "Qadir", "Yasin", "Ilham", "Erlan"};
  for (int i = offset; i < offset + n; ++i) {
    std::string name = std::string(given[i % 6]) + " " + family[(i / 6) % 7] + "bek" +
                       std::string(1, static_cast<char>('a' + i % 23));
    std::string date = std::to_string(1950 + i % 50) + "-0" + std::to_string(1 + i % 9) + "-1" +
                       std::to_string(i % 10);
    raw.ids.push_back("P-" + std::to_string(i));
    raw.values.push_back({name, date, i % 2 ? "Ghulja" : "Kashgar", "", i % 2 ? "m" : "f"});
  }
  return raw;
}

TEST(Linker, IncrementalKeepsClusterIds) {
  RawRecords base = People(300, 0);
  // Duplicate of P-5 and of P-7, spelled differently.
  base.ids.push_back("P-dup-5");
  base.values.push_back(base.values[5]);
  LinkOptions o;
  o.u_samples = 20000;
  Linker l = Linker::Build(base, o);
  const std::string id5 = l.ClusterId(5);
  EXPECT_EQ(l.ClusterId(300), id5);
  std::vector<std::string> before;
  for (uint32_t r = 0; r < 301; ++r) before.push_back(l.ClusterId(r));
  RawRecords more = People(0, 0);
  more.ids = {"A-new-7", "A-fresh"};
  more.values = {base.values[7], {"Zhanar Botagozova", "1999-01-01", "Urumqi", "", "f"}};
  auto added = l.Add(more);
  ASSERT_EQ(added.size(), 2u);
  for (uint32_t r = 0; r < 301; ++r) EXPECT_EQ(l.ClusterId(r), before[r]);
  EXPECT_EQ(l.ClusterId(added[0]), l.ClusterId(7));
  EXPECT_EQ(l.ClusterId(added[1]), "A-fresh");
}

// Cluster membership as "same cluster" between every pair of records: compares
// two clusterings whatever their names.
std::vector<bool> Together(Linker& l) {
  const uint32_t n = static_cast<uint32_t>(l.prepared().size());
  std::vector<bool> out;
  for (uint32_t a = 0; a < n; ++a)
    for (uint32_t b = a + 1; b < n; ++b) out.push_back(l.ClusterId(a) == l.ClusterId(b));
  return out;
}

// The number of threads is how fast, never what: the model, the clusters and the
// whole saved state are the same on one thread or three (the random pairs that
// estimate u used to be drawn per thread).
TEST(Linker, ResultsDoNotDependOnTheNumberOfThreads) {
  RawRecords base = People(400, 0);
  base.ids.push_back("P-dup-5");
  base.values.push_back(base.values[5]);
  base.values.back()[0] = "Mamet Tursunbekf";
  LinkOptions o;
  o.u_samples = 50000;  // several chunks of random pairs
  o.threads = 1;
  const std::string one = Linker::Build(base, o).SaveState();
  o.threads = 3;
  const std::string three = Linker::Build(base, o).SaveState();
  EXPECT_TRUE(one == three) << "the saved states differ";
}

RawRecords Base() {
  RawRecords base = People(300, 0);
  base.ids.push_back("P-dup-5");
  base.values.push_back(base.values[5]);
  base.values.back()[0] = "Mamet Tursunbekf";  // P-5 "Memet Tursunbekf", spelled differently
  base.ids.push_back("P-roles");               // a name that says which part is the father's
  base.values.push_back({"Nurlan Bekxanuly", "1970", "", "", "m"});
  return base;
}

RawRecords More(const RawRecords& base) {
  RawRecords more = People(0, 0);
  more.ids = {"A-new-7", "A-fresh", "A-new-dup-5"};
  more.values = {
      base.values[7], {"Zhanar Botagozova", "1999-01-01", "Urumqi", "", "f"}, base.values[5]};
  return more;
}

TEST(LinkState, RoundTripThenAddMatchesAddInMemory) {
  LinkOptions o;
  o.u_samples = 20000;
  const RawRecords base = Base();
  Linker kept = Linker::Build(base, o);
  const std::string bytes = kept.SaveState();
  auto loaded = Linker::LoadState(bytes, 2, "state.bin");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->prepared().size(), kept.prepared().size());
  for (uint32_t r = 0; r < kept.prepared().size(); ++r) {
    EXPECT_EQ(loaded->prepared().ids[r], kept.prepared().ids[r]);
    EXPECT_EQ(loaded->ClusterId(r), kept.ClusterId(r));
    EXPECT_EQ(loaded->fingerprint(r), Linker::RawFingerprint(base.values[r]));
  }
  EXPECT_EQ(loaded->model().prior, kept.model().prior);
  for (size_t v = 0; v < kept.prepared().values.size(); ++v)  // which part is the father's
    EXPECT_EQ(loaded->prepared().values[v].name.father, kept.prepared().values[v].name.father);
  EXPECT_DOUBLE_EQ(loaded->PairScore(5, 300), kept.PairScore(5, 300));
  EXPECT_DOUBLE_EQ(loaded->PairScore(1, 2), kept.PairScore(1, 2));

  const RawRecords more = More(base);
  auto a = kept.Add(more);
  auto b = loaded->Add(more);
  ASSERT_EQ(a, b);
  for (uint32_t r = 0; r < kept.prepared().size(); ++r)
    EXPECT_EQ(loaded->ClusterId(r), kept.ClusterId(r)) << kept.prepared().ids[r];
  EXPECT_EQ(loaded->ClusterId(a[0]), loaded->ClusterId(7));
  EXPECT_EQ(loaded->ClusterId(a[1]), "A-fresh");
  EXPECT_EQ(loaded->ClusterId(a[2]), loaded->ClusterId(5));
  // Only new-vs-existing and new-vs-new pairs were scored.
  EXPECT_LT(loaded->stats().comparisons, 3u * kept.prepared().size());
}

TEST(Linker, SettledBySummariesAgreesWithCompareSummarized) {
  // Whenever the linker skips fetching the values, CompareSummarized must give the
  // same level without them.
  RawRecords raw{PersonSchema(), {}, {}};
  const char* names[] = {"Memet Tursun", "Mamet Tursun", "", "古丽娜尔"};
  const char* genders[] = {"m", "f", "", "?"};
  // Exact days equal, one typo apart, swapped neighbours, day and month swapped,
  // two birthdays; years and ranges; an impossible day compared digit by digit.
  const char* dates[] = {"1975-05-01", "1975-01-05", "1975",       "about 1975", "",
                         "19750501",   "1976-05-01", "1975-05-02", "19751301",   "1975-05-10",
                         "1957-05-01", "1981-11-23", "19751310"};
  const char* places[] = {"Ghulja", "Kashgar", "Nowhere Town", "", "Ili", "Yining"};
  // Valid and invalid numbers: equal, one typo, swapped, another length, two people.
  const char* ids[] = {"",        "650102197505013214", "650102197505013215",
                       "X123456", "650102197505013241", "65010219750501321",
                       "X123465", "654101198111230027"};
  int i = 0;
  for (const char* d : dates)
    for (const char* pl : places)
      for (const char* id : ids) {
        raw.ids.push_back("R" + std::to_string(i));
        raw.values.push_back({names[i % 4], genders[i % 4], d, pl, id});
        ++i;
      }
  const Prepared p = Prepare(raw);
  const size_t nf = p.schema.fields.size();
  const FieldValue none;
  size_t settled = 0, date_typos = 0, other_ids = 0;
  for (size_t a = 0; a < p.size(); ++a)
    for (size_t b = 0; b < p.size(); ++b)
      for (size_t f = 0; f < nf; ++f) {
        const Comparator c = p.schema.fields[f].comparator;
        const FieldSummary &sa = p.summaries[a * nf + f], &sb = p.summaries[b * nf + f];
        if (!SettledBySummaries(c, sa, sb)) continue;
        ++settled;
        const uint8_t level =
            CompareSummarized(c, sa, sb, p.values[a * nf + f], p.values[b * nf + f]);
        ASSERT_EQ(CompareSummarized(c, sa, sb, none, none), level)
            << p.schema.fields[f].name << " " << a << " " << b;
        date_typos += c == Comparator::kDate && level == 2;
        other_ids += c == Comparator::kIdNumber && level == 3;
      }
  EXPECT_GT(settled, p.size() * p.size());
  // Typos in exact days and different ID numbers are settled without the values too.
  EXPECT_GT(date_typos, 0u);
  EXPECT_GT(other_ids, 0u);
}

TEST(LinkState, ValuesAreDecodedWhenUsedAndSaveAgainUnchanged) {
  LinkOptions o;
  o.u_samples = 20000;
  const RawRecords base = Base();
  Linker kept = Linker::Build(base, o);
  const std::string bytes = kept.SaveState();
  auto loaded = Linker::LoadState(bytes, 2, "state.bin");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Prepared& p = loaded->prepared();
  EXPECT_EQ(p.values.decoded_records(), 0u);  // nothing read yet
  // A state read and saved again without changes is the same bytes.
  EXPECT_EQ(loaded->SaveState(), bytes);
  const size_t nf = p.schema.fields.size();
  for (uint32_t r = 0; r < p.size(); ++r)
    for (size_t f = 0; f < nf; ++f) {
      const FieldValue& a = kept.prepared().values[r * nf + f];
      const FieldValue& b = p.values[r * nf + f];
      EXPECT_EQ(a.missing, b.missing);
      EXPECT_EQ(a.text, b.text);
      ASSERT_EQ(a.name.tokens.size(), b.name.tokens.size());
      for (size_t t = 0; t < a.name.tokens.size(); ++t) {
        EXPECT_EQ(a.name.tokens[t].stem, b.name.tokens[t].stem);
        EXPECT_EQ(a.name.tokens[t].alt_stem, b.name.tokens[t].alt_stem);
        EXPECT_EQ(a.name.tokens[t].role, b.name.tokens[t].role);
        EXPECT_EQ(a.name.tokens[t].han, b.name.tokens[t].han);
      }
      EXPECT_EQ(a.name.father, b.name.father);
      EXPECT_EQ(a.term, b.term);
      EXPECT_EQ(a.tf, b.tf);
      EXPECT_EQ(a.day_lo, b.day_lo);
      EXPECT_EQ(a.day_hi, b.day_hi);
      EXPECT_EQ(a.exact_day, b.exact_day);
      EXPECT_EQ(a.place, b.place);
      EXPECT_EQ(a.prefecture, b.prefecture);
      EXPECT_EQ(a.id_valid, b.id_valid);
      EXPECT_EQ(a.id_kind, b.id_kind);
      EXPECT_EQ(a.derived, b.derived);
      EXPECT_EQ(b.name_id, 0u);  // name numbers belong to the process that made them
    }
  EXPECT_EQ(p.values.decoded_records(), p.size());
  // A copy decodes again from the same bytes.
  Prepared copy = p;
  EXPECT_EQ(copy.values.decoded_records(), 0u);
  EXPECT_EQ(copy.values[5 * nf].name.tokens.size(), p.values[5 * nf].name.tokens.size());
}

TEST(LinkState, AddDecodesOnlyTheRecordsItMeets) {
  LinkOptions o;
  o.u_samples = 20000;
  auto loaded = Linker::LoadState(Linker::Build(People(1200, 0), o).SaveState(), 2, "state.bin");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  RawRecords one = People(1, 5);  // P-5 again, under another id
  one.ids = {"N-1"};
  loaded->Add(one);
  EXPECT_GT(loaded->prepared().values.decoded_records(), 0u);
  EXPECT_LT(loaded->prepared().values.decoded_records(), 600u);
}

TEST(LinkState, ClusterIdsStayStableAcrossSavedRuns) {
  LinkOptions o;
  o.u_samples = 20000;
  const RawRecords base = Base();
  Linker first = Linker::Build(base, o);
  std::vector<std::string> ids;
  for (uint32_t r = 0; r < first.prepared().size(); ++r) ids.push_back(first.ClusterId(r));
  const std::string name5 = first.ClusterId(5);
  // Run 2: a new record of P-7's person; run 3: one of P-5's. Each run starts from
  // the state the previous one saved.
  std::string state = first.SaveState();
  RawRecords more = More(base);
  for (size_t i = 0; i < more.ids.size(); ++i) {
    auto l = Linker::LoadState(state, 1, "state.bin");
    ASSERT_TRUE(l.ok()) << l.status().message();
    RawRecords one{more.schema, {more.ids[i]}, {more.values[i]}};
    const uint32_t r = l->Add(one).front();
    for (uint32_t old = 0; old < ids.size(); ++old)
      EXPECT_EQ(l->ClusterId(old), ids[old]) << "run " << i + 2 << ", record " << old;
    ids.push_back(l->ClusterId(r));
    state = l->SaveState();
  }
  EXPECT_EQ(ids[base.ids.size()], first.ClusterId(7));
  EXPECT_EQ(ids[base.ids.size() + 1], "A-fresh");
  EXPECT_EQ(ids[base.ids.size() + 2], name5);
}

TEST(LinkState, IncrementalRunAgreesWithAFullRun) {
  LinkOptions o;
  o.u_samples = 20000;
  const RawRecords base = Base();
  const RawRecords more = More(base);
  RawRecords all = base;
  all.ids.insert(all.ids.end(), more.ids.begin(), more.ids.end());
  all.values.insert(all.values.end(), more.values.begin(), more.values.end());
  Linker full = Linker::Build(all, o);
  o.fixed_model = full.model();  // the same model, so only the incremental path differs
  Linker full_fixed = Linker::Build(all, o);
  auto part = Linker::LoadState(Linker::Build(base, o).SaveState(), 2, "state.bin");
  ASSERT_TRUE(part.ok()) << part.status().message();
  part->Add(more);
  EXPECT_EQ(Together(*part), Together(full_fixed));
  EXPECT_EQ(Together(full), Together(full_fixed));
}

TEST(LinkState, DamagedStateGivesAClearError) {
  LinkOptions o;
  o.u_samples = 20000;
  const std::string bytes = Linker::Build(People(60, 0), o).SaveState();
  auto expect_corrupt = [](std::string_view b, const std::string& why) {
    auto l = Linker::LoadState(b, 1, "state.bin");
    ASSERT_FALSE(l.ok()) << why;
    EXPECT_EQ(l.status().code(), Status::Code::kCorrupt) << why;
    EXPECT_NE(l.status().message().find("state.bin"), std::string::npos) << why;
  };
  expect_corrupt("", "empty");
  expect_corrupt("id,name\nP-1,Memet\n", "a CSV file");
  for (size_t cut = 1; cut < bytes.size(); cut += 1 + cut / 3)
    expect_corrupt(std::string_view(bytes).substr(0, cut), "cut at " + std::to_string(cut));
  expect_corrupt(bytes + "x", "a byte after the end");
  std::string version = bytes;
  version[8] = 9;
  expect_corrupt(version, "another version");
  // Flipped bytes anywhere: an error or a state, never a crash.
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {
    std::string b = bytes;
    b[rng() % b.size()] ^= static_cast<char>(1 + rng() % 255);
    auto l = Linker::LoadState(b, 1, "state.bin");
    if (!l.ok()) {
      EXPECT_EQ(l.status().code(), Status::Code::kCorrupt);
    }
  }
}

// A state keeps block keys and name keys made by the rules of the izde that saved it;
// an izde with other rules would make other keys for new records, which would silently
// miss the old ones. Such a state is refused with what to do.
TEST(LinkState, AStateMadeUnderOtherRulesIsRefused) {
  LinkOptions o;
  o.u_samples = 20000;
  std::string bytes = Linker::Build(People(60, 0), o).SaveState();
  ASSERT_TRUE(Linker::LoadState(std::string_view(bytes), 1, "state.bin").ok());
  // The rules' fingerprint follows the magic and the version (docs/formats/link-state.md).
  ASSERT_GT(bytes.size(), 20u);
  bytes[12] ^= 0x40;
  auto l = Linker::LoadState(std::string_view(bytes), 1, "state.bin");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(l.status().message().find("state.bin was made by an izde whose name"),
            std::string::npos)
      << l.status().message();
  EXPECT_NE(l.status().message().find("delete it to link from scratch"), std::string::npos);
}

TEST(RulesFingerprint, SameRulesGiveTheSameValueAndTheSchemaCounts) {
  const Schema person = PersonSchema();
  EXPECT_EQ(RulesFingerprint(person), RulesFingerprint(PersonSchema()));
  Schema text_names = person;
  text_names.fields[0].comparator = Comparator::kText;  // names compared as plain text
  EXPECT_NE(RulesFingerprint(person), RulesFingerprint(text_names));
  Schema no_tf = person;
  no_tf.fields[0].term_frequency = false;
  EXPECT_NE(RulesFingerprint(person), RulesFingerprint(no_tf));
}

// A run's changes saved as a delta after the state it started from: read back, the
// state and its deltas give the linker the run left, byte for byte.
TEST(LinkState, DeltasGiveTheLinkerTheRunsLeft) {
  LinkOptions o;
  o.u_samples = 20000;
  const RawRecords base = Base();
  const RawRecords more = More(base);
  const std::string state = Linker::Build(base, o).SaveState();
  auto run = Linker::LoadState(std::string(state), 2, "state.bin");
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_TRUE(run->CanSaveDelta());
  EXPECT_TRUE(run->RecordsWithNewClusterIds().empty());
  run->Add(RawRecords{more.schema, {more.ids[0], more.ids[1]}, {more.values[0], more.values[1]}});
  const std::string d1 = run->SaveDelta();
  const std::string after1 = run->SaveState();
  run->MarkSaved();
  run->Add(RawRecords{more.schema, {more.ids[2]}, {more.values[2]}});
  // What the second run changed: its new record, and records whose cluster id moved.
  const auto changed = run->RecordsWithNewClusterIds();
  ASSERT_FALSE(changed.empty());
  EXPECT_EQ(changed.back(), base.ids.size() + 2);
  const std::string d2 = run->SaveDelta();
  EXPECT_LT(d2.size(), state.size() / 4);
  EXPECT_EQ(d2.find("A-new-7"), std::string::npos);  // only the second run's records

  auto one = Linker::LoadState(std::string(state), {d1}, 2, "state.bin");
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->SaveState(), after1);
  auto two = Linker::LoadState(std::string(state), {d1, d2}, 1, "state.bin");
  ASSERT_TRUE(two.ok()) << two.status().message();
  EXPECT_EQ(two->SaveState(), run->SaveState());
  for (uint32_t r = 0; r < run->prepared().size(); ++r)
    EXPECT_EQ(two->ClusterId(r), run->ClusterId(r)) << r;
  EXPECT_EQ(two->pairs().size(), run->pairs().size());
  EXPECT_TRUE(two->RecordsWithNewClusterIds().empty());
  // And a run from there goes on as from the whole state.
  auto whole = Linker::LoadState(run->SaveState(), 2, "state.bin");
  ASSERT_TRUE(whole.ok());
  RawRecords next = People(0, 0);
  next.ids = {"B-new-9", "B-other"};
  next.values = {base.values[9], {"Aygul Nurmemet", "1988-02-03", "Hotan", "", "f"}};
  whole->Add(next);
  two->Add(next);
  EXPECT_EQ(two->SaveState(), whole->SaveState());
  // A delta of nothing applies too.
  auto same = Linker::LoadState(std::string(state), 2, "state.bin");
  ASSERT_TRUE(same.ok());
  auto empty = Linker::LoadState(std::string(state), {same->SaveDelta()}, 2, "state.bin");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty->SaveState(), state);
}

TEST(LinkState, ADeltaOutOfPlaceIsRefused) {
  LinkOptions o;
  o.u_samples = 20000;
  const RawRecords base = Base();
  const RawRecords more = More(base);
  const std::string state = Linker::Build(base, o).SaveState();
  auto run = Linker::LoadState(std::string(state), 2, "state.bin");
  ASSERT_TRUE(run.ok());
  run->Add(RawRecords{more.schema, {more.ids[0]}, {more.values[0]}});
  const std::string d1 = run->SaveDelta();
  run->MarkSaved();
  run->Add(RawRecords{more.schema, {more.ids[1]}, {more.values[1]}});
  const std::string d2 = run->SaveDelta();
  auto expect_corrupt = [&](const std::string& base_state, std::vector<std::string> deltas,
                            const std::string& why) {
    auto l = Linker::LoadState(std::string(base_state), std::move(deltas), 1, "state.bin");
    ASSERT_FALSE(l.ok()) << why;
    EXPECT_EQ(l.status().code(), Status::Code::kCorrupt) << why;
    EXPECT_NE(l.status().message().find("state.bin"), std::string::npos) << why;
  };
  expect_corrupt(state, {d2}, "the first delta left out");
  expect_corrupt(state, {d2, d1}, "reordered");
  expect_corrupt(state, {d1, d1}, "applied twice");
  // A delta from another state of as many records.
  RawRecords other = base;
  other.ids.back() = "P-other";
  auto foreign = Linker::LoadState(Linker::Build(other, o).SaveState(), 2, "state.bin");
  ASSERT_TRUE(foreign.ok());
  foreign->Add(RawRecords{more.schema, {more.ids[0]}, {more.values[0]}});
  expect_corrupt(state, {foreign->SaveDelta()}, "a delta of another state");
  // Cut anywhere, a byte after the end, another version.
  for (size_t cut = 0; cut < d1.size(); cut += 1 + cut / 5)
    expect_corrupt(state, {d1.substr(0, cut)}, "cut at " + std::to_string(cut));
  expect_corrupt(state, {d1 + "x"}, "a byte after the end");
  std::string version = d1;
  version[8] = 9;
  expect_corrupt(state, {version}, "another version");
  // Flipped bytes: an error or a state, never a crash.
  std::mt19937 rng(11);
  for (int i = 0; i < 300; ++i) {
    std::string b = d1;
    b[rng() % b.size()] ^= static_cast<char>(1 + rng() % 255);
    auto l = Linker::LoadState(std::string(state), {b}, 1, "state.bin");
    if (!l.ok()) {
      EXPECT_EQ(l.status().code(), Status::Code::kCorrupt);
    }
  }
}

TEST(PersonRecords, FatherNameJoinsTheNameOnlyWhenMissing) {
  const auto path = std::filesystem::temp_directory_path() / "izde-link-person-records.csv";
  std::ofstream(path) << "id,name,father_name\n"
                         "P-1,Memet Tursun,Tursun\n"
                         "P-2,Memet,Tursun\n"
                         "P-3,买买提·吐尔逊,吐尔逊\n"
                         "P-4,Tursunay,Tursun\n"
                         "P-5,Ертай Серікбайұлы,Серікбай\n"
                         "P-6,阿依江叶尔波拉提,叶尔波拉提\n"
                         "P-7,Nazgül Erkhanova,Erxan\n"
                         "P-8,Mijit Memet,Mämät\n"
                         "P-9,Aygül Memetjan,Memet\n";
  auto read = ReadPersonRecords(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  const auto& v = read->records.values;
  EXPECT_EQ(v[0][0], "Memet Tursun");
  EXPECT_EQ(v[1][0], "Memet Tursun");
  EXPECT_EQ(v[2][0], "买买提·吐尔逊");
  EXPECT_EQ(v[3][0], "Tursunay Tursun");    // a whole word, not a prefix
  EXPECT_EQ(v[4][0], "Ертай Серікбайұлы");  // the father's name with a patronymic ending
  EXPECT_EQ(v[5][0], "阿依江叶尔波拉提");   // Chinese characters without the dot
  // The father's name already there in another spelling is not added a second time.
  EXPECT_EQ(v[6][0], "Nazgül Erkhanova");
  EXPECT_EQ(v[7][0], "Mijit Memet");
  EXPECT_EQ(v[8][0], "Aygül Memetjan Memet");  // Memetjan is another name than Memet
}

}  // namespace
}  // namespace izde::link
