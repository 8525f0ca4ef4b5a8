#include "estimate/capture_table.h"

#include <charconv>
#include <fstream>
#include <map>
#include <numeric>

namespace izde::estimate {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

// Spreadsheets export "pattern","count": surrounding quotes are not part of the value.
std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.push_back(Unquote(Trim(std::string_view(s).substr(start, comma - start))));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// "# lists: a,b,c" -> {a,b,c}; any other comment names nothing.
bool ParseListComment(const std::string& line, std::vector<std::string>* names) {
  std::string body = Trim(std::string_view(line).substr(1));
  const std::string kKey = "lists:";
  if (body.compare(0, kKey.size(), kKey) != 0) return false;
  *names = SplitComma(body.substr(kKey.size()));
  return true;
}

// No documentation effort counts a trillion people: a larger count is a typo or garbage,
// and the limit keeps every sum far from overflow.
constexpr int64_t kMaxCount = 1'000'000'000'000;

}  // namespace

int64_t CaptureTable::observed() const {
  return std::accumulate(counts.begin(), counts.end(), int64_t{0});
}

std::string CaptureTable::Pattern(uint32_t mask) const {
  std::string p(lists.size(), '0');
  for (size_t i = 0; i < lists.size(); ++i) {
    if (mask & (1u << i)) p[i] = '1';
  }
  return p;
}

Result<CaptureTable> MakeCaptureTable(std::vector<std::string> lists, std::vector<int64_t> counts) {
  const int k = static_cast<int>(lists.size());
  if (k < 2) {
    return Status::InvalidInput(
        "capture–recapture needs at least 2 lists (3 or more to check dependence); got " +
        std::to_string(k));
  }
  if (k > kMaxLists) {
    return Status::InvalidInput("at most " + std::to_string(kMaxLists) + " lists are supported");
  }
  if (counts.size() != (size_t{1} << k)) {
    return Status::InvalidInput("expected " + std::to_string(size_t{1} << k) + " cells for " +
                                std::to_string(k) + " lists");
  }
  if (counts[0] != 0) {
    return Status::InvalidInput(
        "the all-zero pattern cannot be observed: nobody is counted "
        "who is on no list");
  }
  for (int64_t c : counts) {
    if (c < 0) return Status::InvalidInput("counts cannot be negative");
  }
  CaptureTable t{std::move(lists), std::move(counts)};
  if (t.observed() == 0) return Status::InvalidInput("the table holds no one: all counts are 0");
  return t;
}

Result<CaptureTable> ReadCaptureCounts(std::istream& in, const std::string& source_name) {
  std::vector<std::string> names;
  std::map<std::string, std::pair<int64_t, int>> rows;  // pattern -> (count, line)
  int width = -1;
  bool saw_header = false;
  std::string line;
  int line_no = 0;
  auto error = [&](const std::string& m) {
    return Status::InvalidInput(source_name + " line " + std::to_string(line_no) + ": " + m);
  };
  while (std::getline(in, line)) {
    ++line_no;
    // A byte-order mark, as spreadsheet programs write, is not part of the header.
    if (line_no == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    std::string t = Trim(line);
    if (t.empty()) continue;
    if (t[0] == '#') {
      if (!saw_header && rows.empty() && names.empty()) ParseListComment(t, &names);
      continue;
    }
    if (t.find(',') == std::string::npos && t.find(';') != std::string::npos) {
      return error("fields are separated by ';': save the file as comma-separated values");
    }
    std::vector<std::string> cols = SplitComma(t);
    if (!saw_header) {
      if (cols.size() != 2 || cols[0] != "pattern" || cols[1] != "count") {
        return error("expected the header 'pattern,count', found '" + t + "'");
      }
      saw_header = true;
      continue;
    }
    if (cols.size() != 2) {
      return error("expected two columns 'pattern,count', found '" + t + "'");
    }
    const std::string& pattern = cols[0];
    if (pattern.empty() || pattern.find_first_not_of("01") != std::string::npos) {
      return error("pattern '" + pattern + "' must be made of 0 and 1 digits only");
    }
    if (width < 0) width = static_cast<int>(pattern.size());
    if (static_cast<int>(pattern.size()) != width) {
      return error("pattern '" + pattern + "' has " + std::to_string(pattern.size()) +
                   " digits but earlier patterns have " + std::to_string(width) +
                   " (one digit per list; a spreadsheet may have dropped leading zeros — "
                   "format the column as text)");
    }
    if (pattern.find('1') == std::string::npos) {
      return error("the all-zero pattern '" + pattern +
                   "' cannot be observed (nobody is recorded on no list); remove the row");
    }
    const std::string& c = cols[1];
    int64_t count = 0;
    auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), count);
    if (c.empty() || ec != std::errc() || ptr != c.data() + c.size()) {
      return error("count '" + c + "' is not a whole number");
    }
    if (count < 0) return error("count " + c + " is negative");
    if (count > kMaxCount) return error("count " + c + " is implausibly large");
    auto [it, inserted] = rows.emplace(pattern, std::make_pair(count, line_no));
    if (!inserted) {
      return error("pattern '" + pattern + "' already appeared on line " +
                   std::to_string(it->second.second));
    }
  }
  if (!saw_header) return Status::InvalidInput(source_name + ": no 'pattern,count' header");
  if (rows.empty()) return Status::InvalidInput(source_name + ": no capture patterns");
  if (width < 2) {
    return Status::InvalidInput(source_name +
                                ": patterns have a single digit, i.e. a single list; "
                                "estimation needs at least 2 lists (better 3 or more)");
  }
  if (width > kMaxLists) {
    return Status::InvalidInput(source_name + ": at most " + std::to_string(kMaxLists) +
                                " lists are supported");
  }
  if (names.empty()) {
    for (int i = 0; i < width; ++i) names.push_back(std::to_string(i + 1));
  } else if (static_cast<int>(names.size()) != width) {
    return Status::InvalidInput(source_name + ": the '# lists:' comment names " +
                                std::to_string(names.size()) + " lists but patterns have " +
                                std::to_string(width) + " digits");
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      return Status::InvalidInput(source_name + ": list " + std::to_string(i + 1) +
                                  " has an empty name in the '# lists:' comment");
    }
    for (size_t j = 0; j < i; ++j) {
      if (names[j] == names[i]) {
        return Status::InvalidInput(source_name + ": the list name '" + names[i] +
                                    "' appears twice in the '# lists:' comment");
      }
    }
  }
  std::vector<int64_t> counts(size_t{1} << width, 0);
  for (const auto& [pattern, value] : rows) {
    uint32_t mask = 0;
    for (int i = 0; i < width; ++i) {
      if (pattern[i] == '1') mask |= 1u << i;
    }
    counts[mask] = value.first;
  }
  Result<CaptureTable> table = MakeCaptureTable(std::move(names), std::move(counts));
  if (!table.ok()) return table.status().Within(source_name);
  return table;
}

Result<CaptureTable> ReadCaptureCounts(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot open capture counts file '" + path + "'");
  return ReadCaptureCounts(in, path);
}

}  // namespace izde::estimate
