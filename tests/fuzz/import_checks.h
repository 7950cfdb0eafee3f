// What every import's reading step promises (daemon/domain/import.h), checked
// by the agents_import and devices_import targets on any bytes: a refusal is
// INVALID_ARGUMENT, every problem names a line of the file, every row kept
// comes after the header; the same file with its columns ignored (as
// `parcctl import --ignore-column`) is read too. Aborts otherwise.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/domain/import.h"

namespace parc::fuzz {

// `parse` is domain::ParseAgentsCsv or domain::ParseDevicesCsv.
template <typename Parse>
void CheckImport(Parse parse, std::string_view csv) {
  auto plan = parse(csv, {});
  if (!plan) {
    if (plan.error().code != ErrorCode::kInvalidArgument) std::abort();
    return;
  }
  for (const auto& problem : plan->problems) {
    if (problem.line() < 1) std::abort();
  }
  for (const auto& row : plan->rows) {
    if (row.line < 2) std::abort();  // line 1 is the header
  }
  std::vector<std::string> ignored;
  for (const auto& [field, header] : plan->columns) ignored.push_back(header);
  (void)parse(csv, ignored);
}

}  // namespace parc::fuzz
