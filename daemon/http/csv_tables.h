// The dashboard tables as CSV downloads (GET /api/v1/dashboard/<name>.csv):
// French column headings, ';' separated, UTF-8 with a BOM (common/csv_write.h),
// so that a double-click opens them in a French Excel. A response with several
// breakdowns gives one of them, chosen by `by` ("" picks the first listed).
// Departments are written by the name people gave them ("État civil"; `names`
// maps code -> name, InventoryService.ListDepartments), else by their code.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/error.h"
#include "parc/v1/dashboard.pb.h"

namespace parc::http {

using DepartmentNames = std::map<std::string, std::string, std::less<>>;

struct CsvTable {
  std::string file_stem;  // ASCII, e.g. "parc-couverture-par-service"
  std::string body;       // the whole file, BOM included
};

// by: department (default), site, kind.
Expected<CsvTable> AllocationCsv(const v1::AllocationSummaryResponse& r, std::string_view by,
                                 const DepartmentNames& names);
// by: department (default), site.
Expected<CsvTable> CoverageCsv(const v1::CoverageResponse& r, std::string_view by,
                               const DepartmentNames& names);
// The listed devices (the request's limit, at most 1000).
Expected<CsvTable> StaleCsv(const v1::StaleDevicesResponse& r, std::string_view by,
                            const DepartmentNames& names);
// by: department (default), foreign-use (the "used by someone else" list).
Expected<CsvTable> HealthCsv(const v1::FleetHealthResponse& r, std::string_view by,
                             const DepartmentNames& names);
// by: department (default), advisor, wave, tier.
Expected<CsvTable> FunnelCsv(const v1::TrainingFunnelResponse& r, std::string_view by,
                             const DepartmentNames& names);
// The listed loans.
Expected<CsvTable> OverdueCsv(const v1::OverdueLoansResponse& r, std::string_view by,
                              const DepartmentNames& names);

}  // namespace parc::http
