#include "intake/record_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace izde::intake {
namespace {

std::string WriteTemp(const std::string& text) {
  static int n = 0;
  std::string path =
      (std::filesystem::temp_directory_path() /
       ("izde-json-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".json"))
          .string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(RecordsJson, ReadsRecordsOfEveryType) {
  auto path = WriteTemp(R"({"records": [
    {"type": "person", "id": "P-1", "names": [{"text": "ئىلھام توختى"}]},
    {"type": "event", "id": "E-1", "person": "P-1", "kind": "detained", "date": "2014-01"},
    {"type": "facility", "names": [{"text": "No. 1 Prison"}], "type": "facility"}
  ]})");
  auto r = ReadRecordsJson(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].type, model::RecordType::kEvent);
  EXPECT_EQ((*r)[2].id.rfind("facility-", 0), 0u);
  std::filesystem::remove(path);
}

TEST(RecordsJson, ErrorsNameFileRecordAndField) {
  auto path = WriteTemp(R"([{"type": "person", "id": "P-1", "names": [{"text": "A"}]},
                            {"type": "person", "id": "P-2", "names": [{"text": "B"}], "gender": "x"}])");
  auto r = ReadRecordsJson(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), path +
                                      " record 2 (id P-2): gender: 'x' is not one of: female, "
                                      "male, other, unknown");
  std::filesystem::remove(path);
}

TEST(RecordsJson, MalformedFilesAreRejected) {
  for (const std::string& text :
       {std::string("{\"records\": [ {\"type\": \"person\""), std::string(""),
        std::string("\"just text\""), std::string("[{\"id\": \"P-1\"}]"),
        std::string("[{\"type\": \"ghost\"}]"),
        std::string("[{\"type\": \"person\", \"names\": [{\"text\": \"\xff\"}]}]")}) {
    auto path = WriteTemp(text);
    auto r = ReadRecordsJson(path);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().message();
    std::filesystem::remove(path);
  }
}

TEST(RecordsJson, DuplicateIdsAreRejected) {
  auto path = WriteTemp(R"([{"type": "person", "id": "P-1", "names": [{"text": "A"}]},
                            {"type": "person", "id": "P-1", "names": [{"text": "B"}]}])");
  auto r = ReadRecordsJson(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("earlier record"), std::string::npos);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace izde::intake
