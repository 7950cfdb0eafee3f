// The SQL behind Reader and Writer, as free functions over one Connection. The
// caller owns the transaction; these only prepare, bind and map rows. Results
// and errors follow store.h.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "daemon/store/sqlite/db.h"
#include "daemon/store/sqlite/where.h"
#include "daemon/store/store.h"

namespace parc::store::sqlite::queries {

// Inventory reads (inventory_reads.cc).
Expected<std::optional<v1::Agent>> FindAgent(Connection& db, std::string_view employee_number);
Expected<std::vector<v1::Agent>> ListAgents(Connection& db, const AgentFilter& filter);
Expected<std::optional<v1::Device>> FindDevice(Connection& db, std::string_view key);
Expected<std::optional<v1::Device>> FindDeviceById(Connection& db, int64_t id);
Expected<std::vector<v1::Device>> ListDevices(Connection& db, const DeviceFilter& filter);
Expected<std::vector<v1::Agent>> SearchAgents(Connection& db, const SearchFilter& filter);
Expected<std::vector<v1::Device>> SearchDevices(Connection& db, const SearchFilter& filter);
Expected<std::optional<v1::Site>> FindSite(Connection& db, std::string_view code);
Expected<std::vector<v1::Site>> ListSites(Connection& db, const SiteFilter& filter);

// Allocation, operator, token and audit reads (admin_reads.cc).
Expected<std::optional<v1::Allocation>> FindOpenAllocation(Connection& db, int64_t device_id);
Expected<std::vector<v1::Allocation>> ListAllocations(Connection& db,
                                                      const AllocationFilter& filter);
Expected<std::optional<v1::Operator>> FindOperator(Connection& db, std::string_view name);
Expected<std::vector<v1::Operator>> ListOperators(Connection& db, const Page& page);
Expected<std::optional<TokenRecord>> FindApiTokenByHash(Connection& db,
                                                        std::string_view secret_hash);
Expected<std::optional<TokenRecord>> FindApiTokenById(Connection& db, int64_t id);
Expected<std::vector<v1::ApiToken>> ListApiTokens(Connection& db, std::string_view operator_name);
Expected<std::vector<v1::AuditEvent>> ListAuditEvents(Connection& db, const AuditFilter& filter);

// Inventory writes (inventory_writes.cc).
Expected<int64_t> InsertAgent(Connection& db, const v1::Agent& agent);
Status UpdateAgent(Connection& db, const v1::Agent& agent);
Expected<int64_t> InsertDevice(Connection& db, const v1::Device& device);
Status UpdateDevice(Connection& db, const v1::Device& device);
Expected<int64_t> InsertSite(Connection& db, const v1::Site& site);
Status UpdateSite(Connection& db, const v1::Site& site);

// Allocation, operator, token and audit writes (admin_writes.cc).
Expected<int64_t> InsertAllocation(Connection& db, const v1::Allocation& allocation);
Status CloseAllocation(Connection& db, const v1::Allocation& allocation);
Expected<int64_t> InsertOperator(Connection& db, const v1::Operator& op);
Status UpdateOperator(Connection& db, const v1::Operator& op);
Expected<int64_t> InsertApiToken(Connection& db, const TokenRecord& token);
Status UpdateApiToken(Connection& db, const v1::ApiToken& token);
Expected<int64_t> AppendAudit(Connection& db, const v1::AuditEvent& event);

// Enrollment tokens, device credentials and enrollment states (enrollment.cc).
Expected<std::optional<EnrollmentTokenRecord>> FindEnrollmentTokenByHash(
    Connection& db, std::string_view secret_hash);
Expected<std::optional<int64_t>> FindDeviceIdByCredential(Connection& db,
                                                          std::string_view secret_hash);
Expected<int64_t> InsertEnrollmentToken(Connection& db, const EnrollmentTokenRecord& token);
Status SetEnrollmentTokenUsesLeft(Connection& db, int64_t id, int uses_left);
Status SetDeviceCredential(Connection& db, int64_t device_id, std::string_view secret_hash,
                           int64_t now_ms);
Status SetDeviceEnrollment(Connection& db, int64_t device_id, v1::EnrollmentState state);

// Telemetry reads (telemetry_reads.cc).
Expected<std::optional<v1::DeviceStatus>> GetDeviceStatus(Connection& db, int64_t device_id);
Expected<std::vector<v1::Report>> ListRecentReports(Connection& db, int64_t device_id, int limit);
Expected<std::vector<v1::UsageSession>> ListUsageSessions(Connection& db,
                                                          const UsageFilter& filter);

// Telemetry writes (telemetry_writes.cc), inside a transaction the caller opened
// on the writer connection; see Store::RecordReports and Store::PruneReports.
Expected<std::vector<uint64_t>> RecordReports(Connection& db,
                                              const std::vector<DeviceReports>& batch,
                                              int64_t now_ms);
// Deletes at most `limit` reports received before `before_ms`; returns how many.
Expected<int64_t> PruneReportsChunk(Connection& db, int64_t before_ms, int64_t limit);

// Values the dashboards' reads and the index scans bind, and who is targeted
// (the agents Coverage and the funnel count) over an agents alias `ag`: one
// rule for dashboard_reads.cc, funnel_reads.cc and index_scans.cc.
inline constexpr int64_t kEnrolled = v1::ENROLLMENT_STATE_ENROLLED;
inline constexpr int64_t kLoan = v1::ALLOCATION_KIND_LOAN;
inline constexpr int64_t kPersonal = v1::ALLOCATION_KIND_PERSONAL;
inline constexpr int64_t kActive = v1::AGENT_STATUS_ACTIVE;
inline constexpr int64_t kPublished = v1::MODULE_STATE_PUBLISHED;
inline constexpr std::string_view kTargeted =
    "ag.status = ? AND (ag.has_email = 0 OR ag.wave <> '')";  // binds kActive

// The dashboards' reads over `db` (dashboard_reads.cc); borrows `db`.
std::unique_ptr<DashboardReader> NewDashboardReader(Connection& db);
// The training funnel's grouped counts, for DashboardReader::CountFunnel
// (funnel_reads.cc).
Expected<std::vector<FunnelGroup>> CountFunnelGroups(Connection& db, const DashboardScope& scope);
// The full scans of the dashboards' in-memory index (index_scans.cc).
Status ScanDeviceFacts(Connection& db, const std::vector<std::string>& serials,
                       const RowSink<DeviceFacts>& sink);
Status ScanAgentFacts(Connection& db, const std::vector<std::string>& employee_numbers,
                      const RowSink<AgentFacts>& sink);
Expected<int64_t> LatestAuditId(Connection& db);
Expected<std::vector<std::string>> LatestHolders(Connection& db,
                                                 const std::vector<std::string>& serials);
Status ScanOverdueCandidates(Connection& db, const RowSink<LoanFacts>& sink);
Status ScanPublishedAssignments(Connection& db, const RowSink<AssignmentFacts>& sink);
Status ScanProgressFacts(Connection& db, const std::vector<std::string>& employee_numbers,
                         const RowSink<ProgressFacts>& sink);

// Skill assessments over `db` (skills.cc); borrow `db`. The writer adds one to
// `changes` per row it changes (SqlWriter's audit check).
std::unique_ptr<SkillsReader> NewSkillsReader(Connection& db);
std::unique_ptr<SkillsWriter> NewSkillsWriter(Connection& db, int& changes);

// Signed receipts of allocations (receipts.cc); borrow `db`. The writer
// counts its changes into `changes` (for the audit rule).
std::unique_ptr<ReceiptsReader> NewReceiptsReader(Connection& db);
std::unique_ptr<ReceiptsWriter> NewReceiptsWriter(Connection& db, int& changes);

// Training reads and writes (training_queries.cc); borrow `db`. The writer
// counts its changes into `changes` (for the audit rule).
std::unique_ptr<TrainingReader> NewTrainingReader(Connection& db);
std::unique_ptr<TrainingWriter> NewTrainingWriter(Connection& db, int& changes);
// Store::RecordProgress inside a transaction the caller opened (progress_writes.cc).
Expected<ProgressCounts> RecordProgress(Connection& db, int64_t device_id,
                                        const v1::ReportProgressRequest& request, int64_t now_ms);

// Helpers shared by the files above.

// Milliseconds for a Timestamp field, or NULL when it is unset (or zero).
Value TimeValue(bool has, const google::protobuf::Timestamp& ts);

// Sets the Timestamp that `field()` returns from a nullable unix-milliseconds
// column; leaves it unset (never calls `field`) on NULL.
template <typename Field>
void ReadTime(const Statement& st, int column, Field field) {
  if (auto ms = st.OptionalInt(column)) ToTimestamp(*ms, field());
}

// Steps `st` to the end, mapping every row with `row(st)`.
template <typename RowFn>
auto Collect(Statement& st, RowFn&& row) -> Expected<std::vector<decltype(row(st))>> {
  std::vector<decltype(row(st))> out;
  while (true) {
    PARC_ASSIGN_OR_RETURN(bool has_row, st.Step());
    if (!has_row) return out;
    out.push_back(row(st));
  }
}

// The first row of `st` mapped with `row(st)`, or nullopt when there is none.
template <typename RowFn>
auto FirstRow(Statement& st, RowFn&& row) -> Expected<std::optional<decltype(row(st))>> {
  PARC_ASSIGN_OR_RETURN(bool has_row, st.Step());
  if (!has_row) return std::nullopt;
  return row(st);
}

// Prepares `select` + the WHERE clause + `order` + " LIMIT ?", binds the
// filter's values and the limit.
Expected<Statement> PrepareList(Connection& db, std::string_view select, const Where& where,
                                std::string_view order, int64_t limit);

using FieldValues = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Completes an ALREADY_EXISTS error from the database with the offending value
// ("serial: already exists: SN123"); other errors pass through unchanged.
Error NameDuplicate(Error error, FieldValues fields);

// Runs a bound INSERT and returns the new row id. Unique violations name the
// field and value taken from `fields`.
Expected<int64_t> InsertRow(Connection& db, Statement& st, FieldValues fields);

// Runs a bound UPDATE selecting one row by id: NOT_FOUND "<what> <id>: not
// found" when it matched nothing. Unique violations as for InsertRow.
Status UpdateRow(Connection& db, Statement& st, std::string_view what, int64_t id,
                 FieldValues fields);

}  // namespace parc::store::sqlite::queries
