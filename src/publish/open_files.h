// The published data as open files (docs/formats/publish-open-files.md): JSON, CSV,
// FollowTheMoney entities and XLSX, with a README that documents every column. The
// column tables below are the single source of both the files and their README.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "publish/public_dataset.h"

namespace izde::publish {

struct Column {
  const char* name;
  const char* meaning;
};

// One table of the open data: people.csv, events.csv, testimonies.csv, relations.csv.
struct OpenTable {
  std::string name;  // "people"
  const std::vector<Column>* columns;
  std::vector<std::vector<std::string>> rows;
};

// `media`: evidence id -> path of its published copy under the site root.
std::vector<OpenTable> OpenTables(const PublicDataset& data,
                                  const std::map<std::string, std::string>& media);

// A CSV cell per RFC 4180; a cell that a spreadsheet would run as a formula (starting
// with = + - @, tab or carriage return) gets a leading apostrophe.
std::string CsvCell(const std::string& value);
std::string CsvFile(const OpenTable& table);

// data/people.json: one object per person with their events, testimonies and relations.
std::string PeopleJson(const PublicDataset& data);
// data/entities.ftm.json: FollowTheMoney entities, one JSON object per line.
std::string FollowTheMoney(const PublicDataset& data);
// data/README.md
std::string OpenDataReadme(const std::vector<OpenTable>& tables, bool xlsx);

// data/izde-open-data.xlsx, one sheet per table (libxlsxwriter).
Status WriteXlsx(const std::vector<OpenTable>& tables, const std::string& path);

}  // namespace izde::publish
