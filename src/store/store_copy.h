// Copies one store into another, whatever their engines: what `izde migrate`
// does between a vault's own SQLite file and a PostgreSQL database. Versions
// are appended in their change order, so change numbers (and with them the
// sealed index cache's mark) mean the same in the copy.
#pragma once

#include <functional>

#include "store/store.h"

namespace izde::store {

struct CopyCounts {
  int64_t versions = 0, key_slots = 0, settings = 0;
};

// Copies every version, key slot and setting of `from` into `to`, which must
// hold nothing yet, in one transaction of `to`; then reads both back and
// compares them byte for byte. Calls progress(done, total) now and then.
Result<CopyCounts> CopyStore(Store& from, Store& to,
                             const std::function<void(size_t, size_t)>& progress = nullptr);

}  // namespace izde::store
