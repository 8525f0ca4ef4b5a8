// Feeds thousands of random and mutated inputs to the reader. Whatever the bytes, it must
// terminate, never crash, and either return rows that obey the header or a Status that
// names the file.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "csv/csv_reader.h"
#include "csv/utf8.h"

namespace izde::csv {
namespace {

const std::vector<std::string> kSeeds = {
    "name,birth_date,place\nQalida,1975,Ghulja\nIlham,about 1969,\"Urumqi, XUAR\"\n",
    "\xEF\xBB\xBFid;notes\r\n1;\"line\r\nbreak\"\r\n2;\"say \"\"hi\"\"\"\r\n",
    "a\n\"\"\n\n\nx\n\n",
    "name\nҚалида Ақытхан\n阿克提汗\n",
};

// Bytes that steer the parser into its corners.
const std::string kInteresting = std::string(",;\"\n\r\0\xFF\xC3\xA9\xEF\xBB\xBF a", 15);

std::string Mutate(std::string text, std::mt19937& rng) {
  std::uniform_int_distribution<int> op(0, 3);
  const int edits = std::uniform_int_distribution<int>(1, 6)(rng);
  for (int e = 0; e < edits; ++e) {
    const size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
    const char byte =
        (rng() % 2) ? kInteresting[rng() % kInteresting.size()] : static_cast<char>(rng() % 256);
    switch (op(rng)) {
      case 0:
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), byte);
        break;
      case 1:
        if (at < text.size()) text.erase(at, 1);
        break;
      case 2:
        if (at < text.size()) text[at] = byte;
        break;
      default:
        text = text.substr(0, at);  // truncated file
        break;
    }
  }
  return text;
}

std::string RandomBytes(std::mt19937& rng) {
  std::string text(rng() % 200, '\0');
  for (char& c : text) {
    c = (rng() % 3) ? kInteresting[rng() % kInteresting.size()] : static_cast<char>(rng());
  }
  return text;
}

void CheckReaderOn(const std::string& text, const Options& options) {
  SCOPED_TRACE(::testing::PrintToString(text));
  std::istringstream in(text);
  Reader reader = Reader::FromStream(in, "people.csv", options);
  auto header = reader.ReadHeader();
  if (!header.ok()) {
    EXPECT_EQ(header.status().message().rfind("people.csv", 0), 0u);
    return;
  }
  const size_t columns = header->size();
  size_t last_number = 1;
  std::string last_error;
  // Each call consumes at least one line or fails for good, so this bound cannot be hit
  // by a correct reader.
  for (size_t calls = 0;; ++calls) {
    ASSERT_LE(calls, text.size() + 2) << "the reader stopped making progress";
    auto row = reader.Next();
    if (!row.ok()) {
      EXPECT_EQ(row.status().message().rfind("people.csv", 0), 0u) << row.status().message();
      if (row.status().message() == last_error) return;
      last_error = row.status().message();
      continue;
    }
    last_error.clear();
    if (!row->has_value()) {
      EXPECT_EQ(reader.bytes_read(), text.size());
      return;
    }
    const Row& r = **row;
    EXPECT_GT(r.number, last_number);
    last_number = r.number;
    ASSERT_EQ(r.fields.size(), columns);
    for (const std::string& field : r.fields) {
      EXPECT_FALSE(FirstInvalidUtf8Byte(field).has_value());
      EXPECT_EQ(field.find('\0'), std::string::npos);
      EXPECT_LE(field.size(), options.max_field_bytes);
    }
  }
}

TEST(CsvReaderRandom, MutatedFilesNeverCrash) {
  std::mt19937 rng(20180315);
  Options small;
  small.max_field_bytes = 8;
  small.max_columns = 3;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = Mutate(kSeeds[i % kSeeds.size()], rng);
    CheckReaderOn(text, i % 5 == 0 ? small : Options{});
    if (HasFatalFailure()) return;
  }
}

TEST(CsvReaderRandom, RandomBytesNeverCrash) {
  std::mt19937 rng(1975);
  for (int i = 0; i < 3000; ++i) {
    CheckReaderOn(RandomBytes(rng), Options{});
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace izde::csv
