// parcctl's CSV output is common/csv_write.h (shared with parcd's downloads).
#pragma once

#include "common/csv_write.h"

namespace parc::cli {

using csv::CsvField;
using csv::CsvWriter;
using csv::kUtf8Bom;

}  // namespace parc::cli
