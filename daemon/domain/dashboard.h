// Dashboard arithmetic: turns the store's grouped rows (store/dashboard.h) into
// the DashboardService answers. Pure functions, no I/O; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/domain/skill_tiers.h"
#include "daemon/store/dashboard.h"
#include "parc/v1/dashboard.pb.h"

namespace parc::domain {

inline constexpr int kLowBatteryPercent = 20;      // below: low battery
inline constexpr int kLowStorageFreePercent = 10;  // free below this share: low storage
inline constexpr int kDefaultStaleDays = 7;
inline constexpr int kMaxStaleDays = 3660;
inline constexpr int kDefaultListLimit = 100;
inline constexpr int kMaxListLimit = 1000;
inline constexpr int kForeignUseListed = 100;

// The store scope for `who` asking with these filters (codes already
// normalized). A manager naming a department outside their scope, or having
// no department at all, is PERMISSION_DENIED.
Expected<store::DashboardScope> DashboardScopeFor(const Principal& who,
                                                  const std::string& department,
                                                  const std::string& site);

// `requested` rows, 0 meaning the default; INVALID_ARGUMENT naming `field`
// outside 0..kMaxListLimit.
Expected<int> ListLimit(int32_t requested, std::string_view field);
// The stale threshold in days, 0 meaning kDefaultStaleDays.
Expected<int> StaleDays(int32_t requested);

v1::AllocationSummaryResponse SummarizeAllocations(const std::vector<store::DeviceGroup>& rows);
v1::CoverageResponse SummarizeCoverage(const std::vector<store::TargetedGroup>& rows);
// The funnel per department, advisor, wave and tier (see dashboard.proto for
// the stages). by_tier follows `tiers` (lowest first, their names filled),
// then tier codes no longer configured, then "" (never assessed).
v1::TrainingFunnelResponse SummarizeFunnel(const std::vector<store::FunnelGroup>& rows,
                                           const std::vector<TierSpec>& tiers);

// `rows` in scope, `fleet` over every enrolled device (the version
// references), `foreign_use` per department in scope.
v1::FleetHealthResponse SummarizeHealth(const std::vector<store::HealthGroup>& rows,
                                        const std::vector<store::VersionGroup>& fleet,
                                        const std::vector<v1::DepartmentCount>& foreign_use);

// Fills total, never_checked_in and by_department from `groups`, and each
// listed device's days_silent as of `now_ms`.
void SummarizeStale(const std::vector<store::StaleGroup>& groups, int64_t now_ms,
                    v1::StaleDevicesResponse& out);

// Fills total and by_department, and each listed loan's days_overdue.
void SummarizeOverdue(const std::vector<v1::DepartmentCount>& counts, int64_t now_ms,
                      v1::OverdueLoansResponse& out);

// Dotted versions compared part by part, numerically where both parts are
// numbers ("9" < "10", "14" < "14.1"): negative, 0 or positive.
int CompareVersions(std::string_view a, std::string_view b);

// Whole days from `from_ms` to `to_ms` (0 when not after).
int32_t WholeDays(int64_t from_ms, int64_t to_ms);
// Days between `due_date` (YYYY-MM-DD) and the UTC date of `now_ms`; 0 when
// not past due or not a date.
int32_t DaysOverdue(std::string_view due_date, int64_t now_ms);

}  // namespace parc::domain
