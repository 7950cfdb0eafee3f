// The storage contract of parcd. One interface, one implementation per backend
// (store/sqlite/ today, store/postgres/ later); the domain and the services only
// ever see this header, and one test suite runs against every backend.
//
// Records are the v1 protobuf messages, so what is stored, served over gRPC and
// rendered as JSON is the same thing. Times are stored as unix milliseconds.
//
// Thread safety: a Store may be used from many threads at once. Readers and
// Writers are not thread-safe and live only inside the callback given to
// Store::Read / Store::Write.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "daemon/store/dashboard.h"
#include "daemon/store/skills.h"
#include "daemon/store/training.h"
#include "parc/v1/device.pb.h"
#include "parc/v1/types.pb.h"

namespace parc::store {

class ReceiptsReader;  // receipts.h
class ReceiptsWriter;

// Keyset paging: rows with id beyond `after_id` in the list's order, at most
// `limit` of them. Callers ask for limit+1 to learn whether a next page exists.
struct Page {
  int64_t after_id = 0;  // 0: from the start
  int limit = 100;
};

// Filters: an empty string or an UNSPECIFIED enum means "any". A non-empty
// `departments` restricts the result to those departments (a manager's scope).
// `query` is free text found anywhere in the folded search text (common/fold.h:
// accents and case do not matter): agents by employee number and name (either
// order), devices by serial, asset tag and model, sites by code and name.
struct AgentFilter {
  std::string department, site, wave, advisor, query;
  v1::AgentStatus status = v1::AGENT_STATUS_UNSPECIFIED;
  bool without_email_only = false;
  std::vector<std::string> departments;
  Page page;
};

struct DeviceFilter {
  std::string department, site, query;
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  v1::Lifecycle lifecycle = v1::LIFECYCLE_UNSPECIFIED;
  // Non-zero: only enrolled devices whose last report arrived before this time
  // (or that never reported).
  int64_t stale_before_ms = 0;
  std::vector<std::string> departments;
  Page page;
};

// A search (InventoryService.Search): `query` as typed; the store folds it
// (common/fold.h). Results come in the index's term order.
struct SearchFilter {
  std::string query;
  int limit = 10;
  std::vector<std::string> departments;
};

struct SiteFilter {
  std::string query;
  Page page;
};

// Allocations are listed newest first; Page::after_id then means "older than".
struct AllocationFilter {
  int64_t id = 0;  // one allocation
  int64_t device_id = 0;
  std::string employee_number, site, department;
  bool open_only = false;
  std::string overdue_before;  // YYYY-MM-DD: open loans due before this date
  std::vector<std::string> departments;
  Page page;
};

// Audit events are listed newest first; Page::after_id means "older than".
struct AuditFilter {
  std::string actor, action_prefix, target;
  int64_t since_ms = 0, until_ms = 0;  // 0: unbounded
  Page page;
};

// An API token as stored: only the SHA-256 of the secret is kept.
struct TokenRecord {
  v1::ApiToken info;
  int64_t operator_id = 0;
  std::string secret_hash;  // lowercase hex SHA-256
};

// An enrollment token as stored: only the SHA-256 of the secret is kept.
struct EnrollmentTokenRecord {
  int64_t id = 0;
  std::string secret_hash;
  int uses_total = 1;
  int uses_left = 1;
  int64_t expires_at_ms = 0;
  std::string site;                                   // binding, may be empty
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;  // binding, may be unspecified
  std::string created_by;
  int64_t created_at_ms = 0;
};

// The reports of one CheckIn call, for Store::RecordReports.
struct DeviceReports {
  int64_t device_id = 0;
  const v1::CheckInRequest* request = nullptr;  // borrowed for the call
  std::string holder_employee_number;           // to flag usage by someone else; may be empty
};

// Usage sessions: of one device, or of one agent, newest first.
struct UsageFilter {
  int64_t device_id = 0;
  std::string employee_number;
  int limit = 20;
};

// Reads. Every Find* returns std::nullopt when nothing matches (not an error);
// errors mean storage failed.
class Reader {
 public:
  virtual ~Reader() = default;

  virtual Expected<std::optional<v1::Agent>> FindAgent(std::string_view employee_number) = 0;
  virtual Expected<std::vector<v1::Agent>> ListAgents(const AgentFilter& filter) = 0;

  // `key` is an asset tag or a serial, compared folded (common/fold.h: "r52t1"
  // finds R52T1). Two different devices matching (one by asset tag, the other by
  // serial) is an INVALID_ARGUMENT error, unless one's serial is `key` exactly.
  virtual Expected<std::optional<v1::Device>> FindDevice(std::string_view key) = 0;
  virtual Expected<std::optional<v1::Device>> FindDeviceById(int64_t id) = 0;
  virtual Expected<std::vector<v1::Device>> ListDevices(const DeviceFilter& filter) = 0;

  // Agents / devices having a term (name words, employee number, department;
  // serial, asset tag, model words) that starts with the folded `filter.query`;
  // an index range scan, at most `filter.limit` rows, none for a blank query.
  virtual Expected<std::vector<v1::Agent>> SearchAgents(const SearchFilter& filter) = 0;
  virtual Expected<std::vector<v1::Device>> SearchDevices(const SearchFilter& filter) = 0;

  virtual Expected<std::optional<v1::Site>> FindSite(std::string_view code) = 0;
  virtual Expected<std::vector<v1::Site>> ListSites(const SiteFilter& filter) = 0;

  virtual Expected<std::optional<v1::Allocation>> FindOpenAllocation(int64_t device_id) = 0;
  virtual Expected<std::vector<v1::Allocation>> ListAllocations(const AllocationFilter& filter) = 0;

  virtual Expected<std::optional<v1::Operator>> FindOperator(std::string_view name) = 0;
  virtual Expected<std::vector<v1::Operator>> ListOperators(const Page& page) = 0;
  virtual Expected<std::optional<TokenRecord>> FindApiTokenByHash(std::string_view secret_hash) = 0;
  virtual Expected<std::optional<TokenRecord>> FindApiTokenById(int64_t id) = 0;
  // Tokens of one operator, or of everyone when `operator_name` is empty.
  virtual Expected<std::vector<v1::ApiToken>> ListApiTokens(std::string_view operator_name) = 0;

  virtual Expected<std::vector<v1::AuditEvent>> ListAuditEvents(const AuditFilter& filter) = 0;

  virtual Expected<std::optional<EnrollmentTokenRecord>> FindEnrollmentTokenByHash(
      std::string_view secret_hash) = 0;
  // The device holding this active credential, when its enrollment is ENROLLED.
  virtual Expected<std::optional<int64_t>> FindDeviceIdByCredential(
      std::string_view secret_hash) = 0;
  // std::nullopt when the device never reported.
  virtual Expected<std::optional<v1::DeviceStatus>> GetDeviceStatus(int64_t device_id) = 0;
  // The device's most recent stored reports, newest first.
  virtual Expected<std::vector<v1::Report>> ListRecentReports(int64_t device_id, int limit) = 0;
  virtual Expected<std::vector<v1::UsageSession>> ListUsageSessions(const UsageFilter& filter) = 0;

  // The dashboards' grouped reads (dashboard.h), in this same snapshot.
  virtual DashboardReader& dashboard() = 0;
  // Training modules, content, assignments and progress (training.h).
  virtual TrainingReader& training() = 0;
  // Skill assessments and current tiers (skills.h).
  virtual SkillsReader& skills() = 0;
  // Signed receipts of allocations (receipts.h).
  virtual ReceiptsReader& receipts() = 0;
};

// Writes, inside one transaction. Inserts return the new id and fail with
// ALREADY_EXISTS (naming the field) when a unique key is taken; updates select
// the row by `id` and fail with NOT_FOUND when it is gone.
class Writer : public Reader {
 public:
  virtual Expected<int64_t> InsertAgent(const v1::Agent& agent) = 0;
  virtual Status UpdateAgent(const v1::Agent& agent) = 0;

  // holder_* fields are derived and ignored.
  virtual Expected<int64_t> InsertDevice(const v1::Device& device) = 0;
  virtual Status UpdateDevice(const v1::Device& device) = 0;

  virtual Expected<int64_t> InsertSite(const v1::Site& site) = 0;
  virtual Status UpdateSite(const v1::Site& site) = 0;

  // Fails with FAILED_PRECONDITION when the device already has an open one.
  virtual Expected<int64_t> InsertAllocation(const v1::Allocation& allocation) = 0;
  // Sets ended_at, ended_by, return_condition and returned_to of an open one.
  virtual Status CloseAllocation(const v1::Allocation& allocation) = 0;

  virtual Expected<int64_t> InsertOperator(const v1::Operator& op) = 0;
  virtual Status UpdateOperator(const v1::Operator& op) = 0;
  virtual Expected<int64_t> InsertApiToken(const TokenRecord& token) = 0;
  virtual Status UpdateApiToken(const v1::ApiToken& token) = 0;  // revoked_at, last_used_at

  virtual Expected<int64_t> AppendAudit(const v1::AuditEvent& event) = 0;

  virtual Expected<int64_t> InsertEnrollmentToken(const EnrollmentTokenRecord& token) = 0;
  virtual Status SetEnrollmentTokenUsesLeft(int64_t id, int uses_left) = 0;
  // Replaces the device's credential (the old one stops working) and sets its
  // enrollment state to ENROLLED.
  virtual Status SetDeviceCredential(int64_t device_id, std::string_view secret_hash,
                                     int64_t now_ms) = 0;
  // Sets the enrollment state; REVOKED also kills the credential.
  virtual Status SetDeviceEnrollment(int64_t device_id, v1::EnrollmentState state) = 0;

  // Training writes (training.h), counted like the others for the audit rule.
  virtual TrainingWriter& training_writer() = 0;
  // Skill assessment writes (skills.h), counted like the others for the audit rule.
  virtual SkillsWriter& skills_writer() = 0;
  // Receipt writes (receipts.h), counted like the others for the audit rule.
  virtual ReceiptsWriter& receipts_writer() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in one read snapshot.
  virtual Status Read(const std::function<Status(Reader&)>& fn) = 0;

  // Runs `fn` in one write transaction and commits when it returns Ok; any
  // error rolls everything back. A transaction that changed something but
  // appended no audit event is refused (INTERNAL) and rolled back: every change
  // is audited in the same commit. UNAVAILABLE when storage cannot commit.
  virtual Status Write(const std::function<Status(Writer&)>& fn) = 0;

  // Device telemetry, the hot path: stores the reports of many CheckIn calls in
  // ONE transaction (one fsync), each (device, sequence) at most once, updates
  // each device's narrow latest-status row (last_seen = now_ms) and opens or
  // closes usage sessions from usage reports. Telemetry is an observation, not
  // an operator's change: it is not audited. Returns, per entry of `batch`, the
  // highest sequence now stored for that device. UNAVAILABLE when the commit
  // fails (then nothing of the batch is stored). One bad entry fails the whole
  // batch too: an unknown device_id (FAILED_PRECONDITION), a null request or a
  // sequence above INT64_MAX (INVALID_ARGUMENT); callers validate first.
  // A request's dropped_reports is counted only when at least one of its
  // reports was new, so a retried request does not count twice.
  virtual Expected<std::vector<uint64_t>> RecordReports(const std::vector<DeviceReports>& batch,
                                                        int64_t now_ms) = 0;

  // Progress events from one device (DeviceService.ReportProgress), in ONE
  // transaction: each event id is stored at most once (a duplicate is counted,
  // not applied again) and module_progress is updated with the new ones.
  // Like telemetry, an observation rather than an operator's change: not
  // audited. Callers validate first; UNAVAILABLE when the commit fails.
  virtual Expected<ProgressCounts> RecordProgress(int64_t device_id,
                                                  const v1::ReportProgressRequest& request,
                                                  int64_t now_ms) = 0;

  // Deletes stored reports received before `before_ms` (retention); the latest
  // status rows and usage sessions stay. Returns how many were deleted.
  virtual Expected<int64_t> PruneReports(int64_t before_ms) = 0;

  // Writes a consistent copy of the whole database to `path` (which must not exist).
  virtual Expected<int64_t> Backup(const std::string& path) = 0;

  // The schema version after migrations.
  virtual int SchemaVersion() const = 0;
};

}  // namespace parc::store
