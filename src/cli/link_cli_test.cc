// End-to-end tests of `izde dedupe` and `izde link-files` through the built binary.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/cli_test_support.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

class LinkCli : public IzdeBinaryTest {
 protected:
  Ran Izde(const std::string& args) { return RunIzde("", args); }
  std::map<std::string, std::string> Clusters(const std::string& name) {
    std::map<std::string, std::string> m;
    std::istringstream in(Slurp(dir_ / name));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "id,cluster");
    while (std::getline(in, line))
      m[line.substr(0, line.find(','))] = line.substr(line.find(',') + 1);
    return m;
  }
  // A bad file must fail with the row named and leave no output behind.
  void ExpectRejected(const std::string& text, const std::string& expected) {
    std::string in = Write("bad.csv", text);
    Ran r = Izde("dedupe " + in + " --out " + Path("clusters.csv"));
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "clusters.csv"));
    for (const auto& e : fs::directory_iterator(dir_))
      EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
};

const char* kHeader =
    "id,name,given_name,family_name,father_name,gender,birth_date,hometown,id_number,source,"
    "notes\n";

std::string People() {
  return std::string(kHeader) +
         "P-1,Қалида Ақытхан,,,,f,1975-03-02,Құлжа,,,\n"
         "P-2,Qalida Akytkhan,,,,female,1975-03-02,Ghulja,,,from a relative\n"
         "P-3,Memet Tursun,,,,m,1960,Kashgar,,,\n"
         "P-4,,Memet,Tursun,,m,1961,喀什,,,\n"
         "P-5,Wang Fang,,,,f,1990-07-07,Urumqi,,,\n"
         "P-6,Zhanar Serikqyzy,,,,f,1988-01-15,Altay,,,\n";
}

TEST_F(LinkCli, DedupeWritesEveryIdWithItsCluster) {
  std::string in = Write("people.csv", People());
  Ran r = Izde("dedupe " + in + " --out " + Path("clusters.csv") + " --pairs " + Path("pairs.csv") +
               " --threads 2");
  ASSERT_EQ(r.code, 0) << r.err;
  auto c = Clusters("clusters.csv");
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c["P-1"], c["P-2"]);
  EXPECT_EQ(c["P-1"], "P-1");  // named after the smallest id
  EXPECT_EQ(c["P-3"], c["P-4"]);
  EXPECT_NE(c["P-1"], c["P-3"]);
  EXPECT_EQ(c["P-5"], "P-5");
  EXPECT_EQ(c["P-6"], "P-6");
  std::string pairs = Slurp(dir_ / "pairs.csv");
  EXPECT_EQ(pairs.rfind("id_a,id_b,probability,name,gender,birth_date,hometown,id_number", 0), 0u)
      << pairs;
  EXPECT_NE(pairs.find("P-1,P-2,"), std::string::npos) << pairs;
}

TEST_F(LinkCli, ExtraColumnsAreIgnoredWithANotice) {
  std::string in = Write("people.csv", "id,name,camp\nP-1,Memet Tursun,X\nP-2,Memet Tursun,Y\n");
  Ran r = Izde("dedupe " + in + " --out " + Path("clusters.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("columns ignored for linking: camp"), std::string::npos) << r.err;
  EXPECT_EQ(Clusters("clusters.csv").size(), 2u);
}

TEST_F(LinkCli, ByteOrderMarkAndCrlfAreRead) {
  std::string text =
      "\xEF\xBB\xBFid,name,birth_date\r\nP-1,Nurlan Serik,1980\r\nP-2,Nurlan Serik,1980\r\n";
  std::string in = Write("people.csv", text);
  Ran r = Izde("dedupe " + in + " --out " + Path("clusters.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  auto c = Clusters("clusters.csv");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c["P-1"], c["P-2"]);
}

TEST_F(LinkCli, BadInputNamesTheRowAndWritesNothing) {
  ExpectRejected("id,name\nP-1,\"Memet Tursun\nP-2,Wang Fang\n", "row 2");
  ExpectRejected("id,name\nP-1,Memet Tursun\nP-2,Wang Fang,extra\n", "row 3");
  ExpectRejected("id,name\nP-1,Memet Tursun\nP-1,Wang Fang\n", "row 3");
  ExpectRejected("id,name\nP-1,Memet Tursun\nP-2,Wang \xFF\xFE Fang\n", "row 3");
  ExpectRejected("", "empty");
  ExpectRejected("id,name\n", "no people");
  ExpectRejected("name\nMemet\n", "no 'id' column");
}

TEST_F(LinkCli, BadInputWithPairsLeavesNeitherFile) {
  std::string in = Write("bad.csv", "id,name\nP-1,Memet Tursun\nP-2,\"Wang Fang\n");
  Ran r = Izde("dedupe " + in + " --out " + Path("clusters.csv") + " --pairs " + Path("pairs.csv"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("row 3"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "clusters.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "pairs.csv"));
}

TEST_F(LinkCli, OverlongFieldIsRejectedWithItsRow) {
  ExpectRejected("id,name\nP-1,Memet Tursun\nP-2," + std::string(3 << 20, 'a') + "\n", "row 3");
}

TEST_F(LinkCli, GigabyteFileWithoutRowsIsRejectedEarly) {
  // A 1 GB file with no line break (sparse: no disk used): the reader gives up at
  // its per-field limit instead of reading it all into memory.
  const fs::path big = dir_ / "big.csv";
  std::ofstream(big) << "id,name";
  fs::resize_file(big, std::uintmax_t{1} << 30);
  Ran r = Izde("dedupe " + big.string() + " --out " + Path("clusters.csv"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("row 1"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "clusters.csv"));
}

TEST_F(LinkCli, LinkFilesNamesTheBadFileAndRow) {
  std::string a = Write("a.csv", People());
  std::string b = Write("b.csv", "id,name\nL-1,Memet Tursun\nL-2,Wang Fang,1990\n");
  Ran r = Izde("link-files " + a + " " + b + " --out " + Path("links.csv"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("b.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("row 3"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "links.csv"));
  std::string dup = Write("dup.csv", "id,name\nL-1,Memet Tursun\nL-1,Wang Fang\n");
  r = Izde("link-files " + dup + " " + a + " --out " + Path("links.csv"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("dup.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("already used in row 2"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "links.csv"));
}

TEST_F(LinkCli, MissingInputFileIsAClearError) {
  Ran r = Izde("dedupe " + Path("nothing.csv") + " --out " + Path("clusters.csv"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("there is no file"), std::string::npos) << r.err;
}

// --state: the second run links only the new records, keeps every cluster id, and
// the state file holds no name in the clear.
TEST_F(LinkCli, DedupeStateLinksOnlyNewRecordsAndKeepsClusterIds) {
  const std::string pass = Write("pass", "correct horse battery\n");
  const std::string opts = "--passphrase-file " + pass + " --json dedupe ";
  const std::string state = Path("people.izstate");
  std::string in = Write("people.csv", People());
  Ran first = Izde(opts + in + " --out " + Path("c1.csv") + " --state " + state +
                   " --kdf-cost test-only-minimum");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("\"from_state\": false"), std::string::npos) << first.out;
  const std::string sealed = Slurp(state);
  // Needles of five bytes or more: random ciphertext of this size holds a given
  // three-byte string (an id such as P-1) by chance once in a few hundred runs.
  for (const char* clear : {"Memet", "Tursun", "Akytkhan", "memet", "tursun", "Kashgar"})
    EXPECT_EQ(sealed.find(clear), std::string::npos) << clear;
  auto c1 = Clusters("c1.csv");
  ASSERT_EQ(c1.size(), 6u);

  // Run 2: the same file plus a third record of Memet Tursun and a new person.
  in = Write("people.csv", People() + "P-7,Мәмет Тұрсын,,,,m,1960,Kashgar,,,\n" +
                               "P-8,Aygul Nurlanqyzy,,,,f,2001-02-03,Altay,,,\n");
  Ran second = Izde(opts + in + " --out " + Path("c2.csv") + " --pairs " + Path("p2.csv") +
                    " --state " + state);
  ASSERT_EQ(second.code, 0) << second.err;
  // --pairs lists the pairs of this run: each has a new record.
  {
    std::istringstream rows(Slurp(dir_ / "p2.csv"));
    std::string row;
    std::getline(rows, row);  // header
    size_t listed = 0;
    while (std::getline(rows, row)) {
      ++listed;
      EXPECT_TRUE(row.find("P-7") != std::string::npos || row.find("P-8") != std::string::npos)
          << row;
    }
    EXPECT_GT(listed, 0u);
  }
  EXPECT_NE(second.out.find("\"from_state\": true"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("\"new_records\": 2"), std::string::npos) << second.out;
  // Two records against six: the state is written whole again, not grown.
  EXPECT_NE(second.out.find("\"state\": \"rewritten\""), std::string::npos) << second.out;
  auto c2 = Clusters("c2.csv");
  ASSERT_EQ(c2.size(), 8u);
  for (const auto& [id, cluster] : c1) EXPECT_EQ(c2[id], cluster) << id;
  EXPECT_EQ(c2["P-7"], c2["P-3"]);
  EXPECT_EQ(c2["P-8"], "P-8");

  // Run 3 on the same file: nothing new, nothing moves.
  Ran third = Izde(opts + in + " --out " + Path("c3.csv") + " --state " + state);
  ASSERT_EQ(third.code, 0) << third.err;
  EXPECT_NE(third.out.find("\"new_records\": 0"), std::string::npos) << third.out;
  EXPECT_EQ(Clusters("c3.csv"), c2);
}

// Three hundred more people, none of them P-1..P-6's.
std::string MorePeople() {
  const char* given[] = {"Aygul", "Nurlan", "Dilnur", "Erkin", "Saule",
                         "Arman", "Rahile", "Ilham",  "Bolat", "Gulbahar"};
  const char* family[] = {"Abdulla", "Omarov", "Serikuly", "Tokhti", "Kasim",
                          "Yusup",   "Ahmet",  "Zhumabay", "Mamyt",  "Sadyk"};
  const char* place[] = {"Altay", "Hotan", "Aksu", "Turpan", "Korla"};
  std::string out;
  for (int i = 0; i < 300; ++i)
    out += "G-" + std::to_string(i) + "," + given[i % 10] + " " + family[(i / 10) % 10] + ",,,," +
           (i % 2 ? "m" : "f") + "," + std::to_string(1940 + i % 60) + "-0" +
           std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "," + place[i % 5] + ",,,\n";
  return out;
}

// From an existing state, a run with only the new records grows the state file
// (what was there is left as it was) and writes the new records' clusters and those
// of earlier records that moved; --all writes every record's.
TEST_F(LinkCli, DedupeStateGrowsByTheNewRecords) {
  const std::string pass = Write("pass", "correct horse battery\n");
  const std::string opts = "--passphrase-file " + pass + " --json dedupe ";
  const std::string state = Path("people.izstate");
  const std::string base = Write("base.csv", People() + MorePeople());
  Ran first = Izde(opts + base + " --out " + Path("c1.csv") + " --state " + state +
                   " --kdf-cost test-only-minimum");
  ASSERT_EQ(first.code, 0) << first.err;
  auto c1 = Clusters("c1.csv");
  ASSERT_EQ(c1.size(), 306u);
  const std::string sealed1 = Slurp(state);

  const std::string new1 =
      Write("new1.csv", std::string(kHeader) + "P-7,Мәмет Тұрсын,,,,m,1960,Kashgar,,,\n" +
                            "P-8,Aygul Nurlanqyzy,,,,f,2001-02-03,Altay,,,\n");
  Ran second = Izde(opts + new1 + " --out " + Path("c2.csv") + " --state " + state);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(second.out.find("\"state\": \"appended\""), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("\"new_records\": 2"), std::string::npos) << second.out;
  const std::string sealed2 = Slurp(state);
  ASSERT_GT(sealed2.size(), sealed1.size());
  EXPECT_LT(sealed2.size() - sealed1.size(), sealed1.size() / 8);
  EXPECT_EQ(sealed2.substr(0, sealed1.size()), sealed1);
  // Five bytes or more, as above: "P-7" turned up by chance in a CI run's ciphertext.
  for (const char* clear : {"Memet", "Мәмет", "Aygul", "Nurlanqyzy", "Kashgar"})
    EXPECT_EQ(sealed2.find(clear), std::string::npos) << clear;
  auto c2 = Clusters("c2.csv");
  EXPECT_EQ(c2["P-7"], c1["P-3"]);
  EXPECT_EQ(c2["P-8"], "P-8");
  for (const auto& [id, cluster] : c2)  // the file's records, and earlier ones that moved
    if (id != "P-7" && id != "P-8") {
      EXPECT_NE(cluster, c1[id]) << id;
    }

  const std::string new2 =
      Write("new2.csv", std::string(kHeader) + "P-9,王芳,,,,f,1990-07-07,乌鲁木齐,,,\n");
  Ran third = Izde(opts + new2 + " --out " + Path("c3.csv") + " --state " + state);
  ASSERT_EQ(third.code, 0) << third.err;
  EXPECT_NE(third.out.find("\"state\": \"appended\""), std::string::npos) << third.out;
  auto c3 = Clusters("c3.csv");
  EXPECT_EQ(c3["P-9"], c1["P-5"]);
  const std::string sealed3 = Slurp(state);

  // Nothing new, --all: every record, the state left as it was.
  Ran all = Izde(opts + new2 + " --out " + Path("c4.csv") + " --state " + state + " --all");
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_NE(all.out.find("\"state\": \"none\""), std::string::npos) << all.out;
  EXPECT_EQ(Slurp(state), sealed3);
  auto c4 = Clusters("c4.csv");
  ASSERT_EQ(c4.size(), 309u);
  for (const auto& [id, cluster] : c1) EXPECT_EQ(c4[id], cluster) << id;
  EXPECT_EQ(c4["P-7"], c2["P-7"]);
  EXPECT_EQ(c4["P-9"], c3["P-9"]);

  // The same people linked in one run from the start give the same clusters.
  const std::string whole =
      Write("whole.csv", People() + MorePeople() + "P-7,Мәмет Тұрсын,,,,m,1960,Kashgar,,,\n" +
                             "P-8,Aygul Nurlanqyzy,,,,f,2001-02-03,Altay,,,\n" +
                             "P-9,王芳,,,,f,1990-07-07,乌鲁木齐,,,\n");
  ASSERT_EQ(Izde("dedupe " + whole + " --out " + Path("c5.csv")).code, 0);
  auto c5 = Clusters("c5.csv");
  EXPECT_EQ(c5["P-7"] == c5["P-3"], c4["P-7"] == c4["P-3"]);
  EXPECT_EQ(c5["P-9"] == c5["P-5"], c4["P-9"] == c4["P-5"]);

  // A state cut inside its last appended part (a run killed while saving its changes):
  // read as it was before that run, with a notice; that run's rows are linked again,
  // and the unfinished bytes are written over.
  {
    const std::string torn = Write("torn.izstate", sealed3.substr(0, sealed3.size() - 7));
    Ran r = Izde(opts + new2 + " --out " + Path("c7.csv") + " --state " + torn);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("stopped while saving"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("\"new_records\": 1"), std::string::npos) << r.out;
    EXPECT_EQ(Clusters("c7.csv")["P-9"], c3["P-9"]);
    Ran again = Izde(opts + new2 + " --out " + Path("c8.csv") + " --state " + torn + " --all");
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(again.err.find("stopped while saving"), std::string::npos) << again.err;
    EXPECT_NE(again.out.find("\"new_records\": 0"), std::string::npos) << again.out;
    EXPECT_EQ(Clusters("c8.csv")["P-9"], c3["P-9"]);
  }
  // A part dropped from the middle of the chain: refused, nothing written.
  auto expect_error = [&](const std::string& bytes, const std::string& expected) {
    const std::string bad = Write("bad.izstate", bytes);
    Ran r = Izde(opts + new2 + " --out " + Path("c6.csv") + " --state " + bad);
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "c6.csv"));
    EXPECT_EQ(Slurp(dir_ / "bad.izstate"), bytes);
  };
  expect_error(sealed1 + sealed3.substr(sealed2.size()), "does not follow");
}

TEST_F(LinkCli, DedupeStateErrorsAreClearAndChangeNothing) {
  const std::string pass = Write("pass", "correct horse battery\n");
  const std::string state = Path("people.izstate");
  std::string in = Write("people.csv", People());
  ASSERT_EQ(Izde("--passphrase-file " + pass + " dedupe " + in + " --out " + Path("c1.csv") +
                 " --state " + state + " --kdf-cost test-only-minimum")
                .code,
            0);
  const std::string sealed = Slurp(state);
  auto expect_error = [&](const std::string& args, const std::string& expected) {
    Ran r = Izde(args);
    EXPECT_NE(r.code, 0) << args;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "c2.csv")) << args;
    EXPECT_EQ(Slurp(state), sealed) << args;
  };
  const std::string wrong = Write("wrong", "not the passphrase\n");
  expect_error("--passphrase-file " + wrong + " dedupe " + in + " --out " + Path("c2.csv") +
                   " --state " + state,
               "wrong passphrase");
  // A record edited since the state was saved.
  std::string edited = People();
  edited.replace(edited.find("1990-07-07"), 10, "1991-07-07");
  const std::string ed = Write("edited.csv", edited);
  expect_error("--passphrase-file " + pass + " dedupe " + ed + " --out " + Path("c2.csv") +
                   " --state " + state,
               "the record with id P-5 differs");
  // Not a state file at all, and a state cut short.
  const std::string other = Write("other.izstate", People());
  expect_error("--passphrase-file " + pass + " dedupe " + in + " --out " + Path("c2.csv") +
                   " --state " + other,
               "not a file izde sealed");
  const std::string cut = Write("cut.izstate", sealed.substr(0, sealed.size() - 20));
  expect_error("--passphrase-file " + pass + " dedupe " + in + " --out " + Path("c2.csv") +
                   " --state " + cut,
               "cut short");
}

TEST_F(LinkCli, LinkFilesLinksTwoLists) {
  std::string a = Write("a.csv", People());
  std::string b = Write("b.csv",
                        "id,name,birth_date,hometown\n"
                        "L-1,卡丽达·阿克提汗,1975-03-02,伊宁\n"
                        "L-2,Ahmet Qadir,1950,Hotan\n");
  Ran r = Izde("link-files " + a + " " + b + " --out " + Path("links.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  std::string links = Slurp(dir_ / "links.csv");
  EXPECT_NE(links.find("P-1,L-1,"), std::string::npos) << links;
  EXPECT_EQ(links.find("L-2"), std::string::npos) << links;
}

}  // namespace
}  // namespace izde::cli
