#include "index/search_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

namespace izde::index {
namespace {

model::Record Person(std::string id, std::vector<std::string> names, std::string notes = "") {
  model::Record r{std::move(id), model::RecordType::kPerson, {}};
  r.doc["names"] = nlohmann::json::array();
  for (auto& n : names) r.doc["names"].push_back({{"text", n}});
  if (!notes.empty()) r.doc["notes"] = notes;
  return r;
}

std::vector<std::string> Ids(const Result<std::vector<Hit>>& hits) {
  std::vector<std::string> out;
  if (hits.ok())
    for (const auto& h : *hits) out.push_back(h.id);
  return out;
}

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = SearchIndex::Create();
    ASSERT_TRUE(idx.ok());
    idx_ = std::move(idx).value();
    ASSERT_TRUE(idx_->PutAll({Person("P-1", {"Қалида Ақытхан", "Qalida Akytkhan"}),
                              Person("P-2", {"ئىلھام توختى", "Ilham Tohti"}),
                              Person("P-3", {"阿克提汗", "Aketihan"}),
                              Person("P-4", {"Nurlan Serikuly"}, "seen in Ghulja, 2019")})
                    .ok());
  }
  std::unique_ptr<SearchIndex> idx_;
};

TEST_F(SearchIndexTest, FindsNamesInEveryScript) {
  EXPECT_EQ(Ids(idx_->Search("Қалида")), std::vector<std::string>{"P-1"});
  EXPECT_EQ(Ids(idx_->Search("қалида")), std::vector<std::string>{"P-1"});  // case folded
  EXPECT_EQ(Ids(idx_->Search("ئىلھام")), std::vector<std::string>{"P-2"});
  EXPECT_EQ(Ids(idx_->Search("阿克提汗")), std::vector<std::string>{"P-3"});
  EXPECT_EQ(Ids(idx_->Search("提汗")), std::vector<std::string>{"P-3"});       // part of a Han name
  EXPECT_EQ(Ids(idx_->Search("ilham toh")), std::vector<std::string>{"P-2"});  // prefixes
  EXPECT_EQ(Ids(idx_->Search("ghulja")), std::vector<std::string>{"P-4"});     // notes
  EXPECT_TRUE(Ids(idx_->Search("Nurbol")).empty());
}

TEST_F(SearchIndexTest, ReplacingAnEntryDropsTheOldText) {
  ASSERT_TRUE(idx_->Put(Person("P-4", {"Nurlan Serikuly"}, "moved to Urumqi")).ok());
  EXPECT_TRUE(Ids(idx_->Search("ghulja")).empty());
  EXPECT_EQ(Ids(idx_->Search("urumqi")), std::vector<std::string>{"P-4"});
  EXPECT_EQ(idx_->size(), 4);
}

TEST_F(SearchIndexTest, QuerySyntaxCannotBreakOut) {
  for (const char* q : {"\"", "NEAR(", "a OR", "*", "names:x", "-", "\"\"\"", "AND", ""}) {
    auto r = idx_->Search(q);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().message();
  }
  EXPECT_FALSE(idx_->Search("\xff").ok());
}

TEST_F(SearchIndexTest, WitnessesAreNeverIndexed) {
  model::Record w{"W-1", model::RecordType::kWitness, {{"name", "Secret Witness"}}};
  ASSERT_TRUE(idx_->Put(w).ok());
  EXPECT_TRUE(Ids(idx_->Search("secret")).empty());
}

TEST_F(SearchIndexTest, NameKeysWidenTheMatch) {
  auto idx = SearchIndex::Create([](std::string_view name) {
    // A toy key function standing in for src/names: both forms share a key.
    if (name == "Memet" || name == "买买提" || name == "memet")
      return std::vector<std::string>{"mmt"};
    return std::vector<std::string>{};
  });
  ASSERT_TRUE(idx.ok());
  ASSERT_TRUE((*idx)->Put(Person("P-9", {"买买提"})).ok());
  EXPECT_EQ(Ids((*idx)->Search("Memet")), std::vector<std::string>{"P-9"});
}

TEST_F(SearchIndexTest, SerializedImageRestoresTheSameIndex) {
  auto image = idx_->Serialize();
  ASSERT_TRUE(image.ok());
  auto restored = SearchIndex::Restore(*image);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ((*restored)->size(), 4);
  EXPECT_EQ(Ids((*restored)->Search("ئىلھام")), std::vector<std::string>{"P-2"});
  // It stays writable: replacing an entry works after a restore.
  ASSERT_TRUE((*restored)->Put(Person("P-2", {"Ilham Toxti"})).ok());
  EXPECT_TRUE(Ids((*restored)->Search("ئىلھام")).empty());
  EXPECT_EQ((*restored)->size(), 4);
  EXPECT_FALSE(SearchIndex::Restore("not a database").ok());
}

TEST_F(SearchIndexTest, SharedSearchesRunTogetherWhileTheOwnerWrites) {
  // More threads than readers: some wait for a reader. Each always finds P-4, whatever
  // the owner is writing at the time.
  std::atomic<int> wrong{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 60; ++i) {
        auto hits = idx_->SearchShared("Nurlan", 100);
        auto ids = Ids(hits);
        if (!hits.ok() || std::find(ids.begin(), ids.end(), "P-4") == ids.end()) ++wrong;
        if (Ids(idx_->SearchShared("ghulja")) != std::vector<std::string>{"P-4"}) ++wrong;
      }
      ++done;
    });
  for (int i = 0; done < 8; ++i)
    ASSERT_TRUE(
        idx_->Put(Person("N-" + std::to_string(i % 50), {"Nurlan " + std::to_string(i)})).ok());
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(Ids(idx_->SearchShared("ilham toh")), std::vector<std::string>{"P-2"});
  EXPECT_FALSE(idx_->SearchShared("\xff\xfe").ok());
}

TEST_F(SearchIndexTest, NothingOfTheIndexReachesDisk) {
  // The in-memory database's journal would be a file named after it, beside the name
  // ("/izde-search-…-journal"), were it not kept in memory.
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(
        idx_->Put(Person("J-" + std::to_string(i), {"Journal Test " + std::to_string(i)})).ok());
  ASSERT_TRUE(idx_->PutAll({Person("J-1", {"Replaced Name"})}).ok());
  for (const auto& dir : {std::filesystem::path("/"), std::filesystem::current_path()})
    for (const auto& e : std::filesystem::directory_iterator(dir))
      EXPECT_EQ(e.path().filename().string().find("izde-search"), std::string::npos) << e.path();
}

TEST(SeparateCjk, SpacesHanCharactersOnly) {
  EXPECT_EQ(SeparateCjk("ab阿克c"), "ab 阿  克 c");
  EXPECT_EQ(SeparateCjk("Қалида"), "Қалида");
  EXPECT_EQ(JoinCjk(SeparateCjk("Aygul 阿依古丽·达吾列提 x")), "Aygul 阿依古丽·达吾列提 x");
  EXPECT_EQ(JoinCjk(" [买]  [买]  [提] · 努 "), "[买买提]·努");
}

}  // namespace
}  // namespace izde::index
