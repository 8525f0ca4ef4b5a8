// data/izde-open-data.xlsx with libxlsxwriter, in constant-memory mode (rows are written
// in order and flushed), so 100,000 people do not need the whole sheet in memory.
#include <xlsxwriter.h>

#include "publish/open_files.h"

namespace izde::publish {
namespace {
constexpr size_t kMaxCellBytes = 32000;
}  // namespace

Status WriteXlsx(const std::vector<OpenTable>& tables, const std::string& path) {
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* book = workbook_new_opt(path.c_str(), &options);
  if (!book) return Status::Io("cannot create " + path);
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_error err = LXW_NO_ERROR;
  for (const auto& t : tables) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, t.name.c_str());
    if (!sheet) {
      workbook_close(book);
      return Status::Io("cannot add sheet " + t.name + " to " + path);
    }
    for (size_t c = 0; c < t.columns->size() && err == LXW_NO_ERROR; ++c)
      err = worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), (*t.columns)[c].name, bold);
    for (size_t r = 0; r < t.rows.size() && err == LXW_NO_ERROR; ++r)
      for (size_t c = 0; c < t.rows[r].size() && err == LXW_NO_ERROR; ++c) {
        std::string v = t.rows[r][c];
        if (v.empty()) continue;
        // Excel's limit per cell; CSV and JSON keep the whole text (README.md says so).
        if (v.size() > kMaxCellBytes) {
          size_t cut = kMaxCellBytes;
          while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
          v.resize(cut);
        }
        // Strings are written as strings, never formulas: libxlsxwriter does not parse them.
        err = worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1),
                                     static_cast<lxw_col_t>(c), v.c_str(), nullptr);
      }
    if (err != LXW_NO_ERROR) {
      workbook_close(book);
      return Status::Io(path + ": sheet " + t.name + ": " + lxw_strerror(err));
    }
  }
  err = workbook_close(book);
  if (err != LXW_NO_ERROR) return Status::Io("cannot write " + path + ": " + lxw_strerror(err));
  return Status::Ok();
}

}  // namespace izde::publish
