// The cross-script name keys the search index uses, when the names module is
// built into izde; nullptr otherwise.
#pragma once

#include "index/search_index.h"

namespace izde::cli {
index::NameKeys NameSearchKeys();
}
