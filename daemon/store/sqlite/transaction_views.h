// Reader and Writer over one Connection inside an open transaction. They own
// nothing and live only for the duration of one Store::Read / Store::Write
// callback. SqlWriter counts successful changes and audit events so that the
// store can refuse a transaction that changed something without auditing it.
#pragma once

#include "daemon/store/receipts.h"
#include "daemon/store/sqlite/db.h"
#include "daemon/store/sqlite/queries.h"
#include "daemon/store/store.h"

namespace parc::store::sqlite {

// Implements every Reader method over `db_` for Base = Reader or Writer.
template <typename Base>
class ReaderOn : public Base {
 public:
  explicit ReaderOn(Connection& db) : db_(db) {}

  Expected<std::optional<v1::Agent>> FindAgent(std::string_view employee_number) override {
    return queries::FindAgent(db_, employee_number);
  }
  Expected<std::vector<v1::Agent>> ListAgents(const AgentFilter& filter) override {
    return queries::ListAgents(db_, filter);
  }
  Expected<std::optional<v1::Device>> FindDevice(std::string_view key) override {
    return queries::FindDevice(db_, key);
  }
  Expected<std::optional<v1::Device>> FindDeviceById(int64_t id) override {
    return queries::FindDeviceById(db_, id);
  }
  Expected<std::vector<v1::Device>> ListDevices(const DeviceFilter& filter) override {
    return queries::ListDevices(db_, filter);
  }
  Expected<std::vector<v1::Agent>> SearchAgents(const SearchFilter& filter) override {
    return queries::SearchAgents(db_, filter);
  }
  Expected<std::vector<v1::Device>> SearchDevices(const SearchFilter& filter) override {
    return queries::SearchDevices(db_, filter);
  }
  Expected<std::optional<v1::Site>> FindSite(std::string_view code) override {
    return queries::FindSite(db_, code);
  }
  Expected<std::vector<v1::Site>> ListSites(const SiteFilter& filter) override {
    return queries::ListSites(db_, filter);
  }
  Expected<std::optional<v1::Allocation>> FindOpenAllocation(int64_t device_id) override {
    return queries::FindOpenAllocation(db_, device_id);
  }
  Expected<std::vector<v1::Allocation>> ListAllocations(const AllocationFilter& filter) override {
    return queries::ListAllocations(db_, filter);
  }
  Expected<std::optional<v1::Operator>> FindOperator(std::string_view name) override {
    return queries::FindOperator(db_, name);
  }
  Expected<std::vector<v1::Operator>> ListOperators(const Page& page) override {
    return queries::ListOperators(db_, page);
  }
  Expected<std::optional<TokenRecord>> FindApiTokenByHash(std::string_view secret_hash) override {
    return queries::FindApiTokenByHash(db_, secret_hash);
  }
  Expected<std::optional<TokenRecord>> FindApiTokenById(int64_t id) override {
    return queries::FindApiTokenById(db_, id);
  }
  Expected<std::vector<v1::ApiToken>> ListApiTokens(std::string_view operator_name) override {
    return queries::ListApiTokens(db_, operator_name);
  }
  Expected<std::vector<v1::AuditEvent>> ListAuditEvents(const AuditFilter& filter) override {
    return queries::ListAuditEvents(db_, filter);
  }
  Expected<std::optional<EnrollmentTokenRecord>> FindEnrollmentTokenByHash(
      std::string_view secret_hash) override {
    return queries::FindEnrollmentTokenByHash(db_, secret_hash);
  }
  Expected<std::optional<int64_t>> FindDeviceIdByCredential(std::string_view secret_hash) override {
    return queries::FindDeviceIdByCredential(db_, secret_hash);
  }
  Expected<std::optional<v1::DeviceStatus>> GetDeviceStatus(int64_t device_id) override {
    return queries::GetDeviceStatus(db_, device_id);
  }
  Expected<std::vector<v1::Report>> ListRecentReports(int64_t device_id, int limit) override {
    return queries::ListRecentReports(db_, device_id, limit);
  }
  Expected<std::vector<v1::UsageSession>> ListUsageSessions(const UsageFilter& filter) override {
    return queries::ListUsageSessions(db_, filter);
  }
  DashboardReader& dashboard() override {
    if (!dashboard_) dashboard_ = queries::NewDashboardReader(db_);
    return *dashboard_;
  }
  TrainingReader& training() override {
    if (!training_) training_ = queries::NewTrainingReader(db_);
    return *training_;
  }
  SkillsReader& skills() override {
    if (!skills_) skills_ = queries::NewSkillsReader(db_);
    return *skills_;
  }
  ReceiptsReader& receipts() override {
    if (!receipts_) receipts_ = queries::NewReceiptsReader(db_);
    return *receipts_;
  }

 protected:
  Connection& db_;

 private:
  std::unique_ptr<DashboardReader> dashboard_;  // made on first use
  std::unique_ptr<TrainingReader> training_;    // made on first use
  std::unique_ptr<SkillsReader> skills_;        // made on first use
  std::unique_ptr<ReceiptsReader> receipts_;    // made on first use
};

class SqlReader final : public ReaderOn<Reader> {
 public:
  using ReaderOn::ReaderOn;
};

class SqlWriter final : public ReaderOn<Writer> {
 public:
  using ReaderOn::ReaderOn;

  Expected<int64_t> InsertAgent(const v1::Agent& a) override {
    return Count(queries::InsertAgent(db_, a));
  }
  Status UpdateAgent(const v1::Agent& a) override { return Count(queries::UpdateAgent(db_, a)); }
  Expected<int64_t> InsertDevice(const v1::Device& d) override {
    return Count(queries::InsertDevice(db_, d));
  }
  Status UpdateDevice(const v1::Device& d) override { return Count(queries::UpdateDevice(db_, d)); }
  Expected<int64_t> InsertSite(const v1::Site& s) override {
    return Count(queries::InsertSite(db_, s));
  }
  Status UpdateSite(const v1::Site& s) override { return Count(queries::UpdateSite(db_, s)); }
  Expected<int64_t> InsertAllocation(const v1::Allocation& a) override {
    return Count(queries::InsertAllocation(db_, a));
  }
  Status CloseAllocation(const v1::Allocation& a) override {
    return Count(queries::CloseAllocation(db_, a));
  }
  Expected<int64_t> InsertOperator(const v1::Operator& op) override {
    return Count(queries::InsertOperator(db_, op));
  }
  Status UpdateOperator(const v1::Operator& op) override {
    return Count(queries::UpdateOperator(db_, op));
  }
  Expected<int64_t> InsertApiToken(const TokenRecord& token) override {
    return Count(queries::InsertApiToken(db_, token));
  }
  Status UpdateApiToken(const v1::ApiToken& token) override {
    return Count(queries::UpdateApiToken(db_, token));
  }
  Expected<int64_t> InsertEnrollmentToken(const EnrollmentTokenRecord& token) override {
    return Count(queries::InsertEnrollmentToken(db_, token));
  }
  Status SetEnrollmentTokenUsesLeft(int64_t id, int uses_left) override {
    return Count(queries::SetEnrollmentTokenUsesLeft(db_, id, uses_left));
  }
  Status SetDeviceCredential(int64_t device_id, std::string_view secret_hash,
                             int64_t now_ms) override {
    return Count(queries::SetDeviceCredential(db_, device_id, secret_hash, now_ms));
  }
  Status SetDeviceEnrollment(int64_t device_id, v1::EnrollmentState state) override {
    return Count(queries::SetDeviceEnrollment(db_, device_id, state));
  }
  Expected<int64_t> AppendAudit(const v1::AuditEvent& event) override {
    auto id = queries::AppendAudit(db_, event);
    if (id) ++audit_events_;
    return id;
  }

  SkillsWriter& skills_writer() override {
    if (!skills_writer_) skills_writer_ = queries::NewSkillsWriter(db_, changes_);
    return *skills_writer_;
  }

  TrainingWriter& training_writer() override {
    if (!training_writer_) training_writer_ = queries::NewTrainingWriter(db_, changes_);
    return *training_writer_;
  }

  ReceiptsWriter& receipts_writer() override {
    if (!receipts_writer_) receipts_writer_ = queries::NewReceiptsWriter(db_, changes_);
    return *receipts_writer_;
  }

  // True when something changed and no audit event was appended.
  bool ChangedWithoutAudit() const { return changes_ > 0 && audit_events_ == 0; }

 private:
  template <typename Result>
  Result Count(Result result) {
    if (result) ++changes_;
    return result;
  }

  int changes_ = 0;
  int audit_events_ = 0;
  std::unique_ptr<TrainingWriter> training_writer_;  // made on first use; counts into changes_
  std::unique_ptr<SkillsWriter> skills_writer_;      // made on first use; counts into changes_
  std::unique_ptr<ReceiptsWriter> receipts_writer_;  // made on first use; counts into changes_
};

}  // namespace parc::store::sqlite
