// The check-in hot path: many devices' reports in one transaction, with the
// hot statements prepared once per batch and reset between rows.
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

// When the device measured the report; `fallback` when it did not say.
int64_t CollectedAt(const v1::Report& report, int64_t fallback) {
  if (!report.has_collected_at()) return fallback;
  const int64_t ms = FromTimestamp(report.collected_at());
  return ms != 0 ? ms : fallback;
}

// "column = <the new value if the incoming status is newer, else the old>,".
std::string NewerStatus(std::string_view column, std::string_view separator = ",") {
  return fmt::format(
      " {0} = CASE WHEN last_sequence IS NULL OR last_sequence < excluded.last_sequence"
      " THEN excluded.{0} ELSE {0} END{1}",
      column, separator);
}

// The touch and the latest status in one statement (one B-tree visit per
// check-in). Only a status newer than the one shown replaces it: reports may
// arrive out of order (a retried request after a newer one). SET expressions
// read the row as it was, so every CASE sees the old sequence.
const std::string& TouchWithStatusSql() {
  static const std::string sql =
      "INSERT INTO device_status (device_id, last_seen, dropped_reports, collected_at,"
      " last_sequence, battery_percent, charging, storage_free, storage_total, os_version,"
      " agent_version, ip_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (device_id) DO UPDATE SET last_seen = excluded.last_seen,"
      " dropped_reports = dropped_reports + excluded.dropped_reports," +
      NewerStatus("collected_at") + NewerStatus("last_sequence") + NewerStatus("battery_percent") +
      NewerStatus("charging") + NewerStatus("storage_free") + NewerStatus("storage_total") +
      NewerStatus("os_version") + NewerStatus("agent_version") + NewerStatus("ip_address", "");
  return sql;
}

class BatchRecorder {
 public:
  BatchRecorder(Connection& db, Statement insert, Statement touch, Statement status,
                Statement highest, int64_t now_ms)
      : db_(db),
        insert_(std::move(insert)),
        touch_(std::move(touch)),
        status_(std::move(status)),
        highest_(std::move(highest)),
        now_ms_(now_ms) {}

  static Expected<BatchRecorder> Prepare(Connection& db, int64_t now_ms) {
    PARC_ASSIGN_OR_RETURN(Statement insert,
                          db.Prepare("INSERT OR IGNORE INTO device_reports"
                                     " (device_id, sequence, received_at, collected_at, report)"
                                     " VALUES (?, ?, ?, ?, ?)"));
    PARC_ASSIGN_OR_RETURN(
        Statement touch,
        db.Prepare("INSERT INTO device_status (device_id, last_seen, dropped_reports)"
                   " VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
                   " last_seen = excluded.last_seen,"
                   " dropped_reports = dropped_reports + excluded.dropped_reports"));
    PARC_ASSIGN_OR_RETURN(Statement status, db.Prepare(TouchWithStatusSql()));
    PARC_ASSIGN_OR_RETURN(Statement highest,
                          db.Prepare("SELECT sequence FROM device_reports WHERE device_id = ?"
                                     " ORDER BY sequence DESC LIMIT 1"));
    return BatchRecorder(db, std::move(insert), std::move(touch), std::move(status),
                         std::move(highest), now_ms);
  }

  // Records one CheckIn's reports; returns the device's highest stored sequence.
  Expected<uint64_t> Record(const DeviceReports& entry) {
    if (entry.request == nullptr) return InvalidArgument("request", "required");
    const v1::CheckInRequest& request = *entry.request;
    bool any_new = false;
    const v1::Report* latest_status = nullptr;
    new_usage_.clear();
    for (const v1::Report& report : request.reports()) {
      PARC_ASSIGN_OR_RETURN(bool inserted, Insert(entry.device_id, report));
      any_new = any_new || inserted;
      if (report.has_status() &&
          (latest_status == nullptr || report.sequence() > latest_status->sequence())) {
        latest_status = &report;
      }
      if (inserted && report.has_usage()) new_usage_.push_back(&report);
    }
    // A retried request finds its reports stored: its drop count was counted then.
    const uint64_t dropped = any_new ? request.dropped_reports() : 0;
    if (latest_status != nullptr) {
      PARC_TRY(TouchWithStatus(entry.device_id, dropped, *latest_status));
    } else {
      PARC_TRY(Touch(entry.device_id, dropped));
    }
    for (const v1::Report* usage : new_usage_) PARC_TRY(ApplyUsage(entry, *usage));
    return Highest(entry.device_id);
  }

 private:
  Expected<bool> Insert(int64_t device_id, const v1::Report& report) {
    // Sequences are stored as SQLite integers; past INT64_MAX they would sort wrong.
    if (report.sequence() > static_cast<uint64_t>(INT64_MAX)) {
      return InvalidArgument("reports.sequence",
                             "out of range: " + std::to_string(report.sequence()));
    }
    blob_.clear();
    if (!report.SerializeToString(&blob_)) {
      return InvalidArgument("reports",
                             "unserializable report " + std::to_string(report.sequence()));
    }
    insert_.Reset();
    insert_.BindAll(device_id, static_cast<int64_t>(report.sequence()), now_ms_,
                    TimeValue(report.has_collected_at(), report.collected_at()));
    insert_.BindBlob(5, blob_);
    PARC_TRY(insert_.Run());
    return db_.Changes() > 0;
  }

  Status Touch(int64_t device_id, uint64_t dropped) {
    touch_.Reset();
    return touch_.BindAll(device_id, now_ms_, static_cast<int64_t>(dropped)).Run();
  }

  Status TouchWithStatus(int64_t device_id, uint64_t dropped, const v1::Report& report) {
    const v1::StatusReport& s = report.status();
    status_.Reset();
    status_.BindAll(device_id, now_ms_, static_cast<int64_t>(dropped),
                    TimeValue(report.has_collected_at(), report.collected_at()),
                    static_cast<int64_t>(report.sequence()), s.battery_percent(), s.charging(),
                    s.storage_free_bytes(), s.storage_total_bytes(), s.os_version(),
                    s.agent_version(), s.ip_address());
    return status_.Run();
  }

  // A login closes whatever session the device had open and opens one for the
  // employee; a logout closes the open one. An event older than the device's
  // latest session (a request retried after newer ones) is history only.
  Status ApplyUsage(const DeviceReports& entry, const v1::Report& report) {
    const v1::UsageEvent& usage = report.usage();
    const int64_t at = CollectedAt(report, now_ms_);
    PARC_ASSIGN_OR_RETURN(int64_t latest, LatestSessionBoundary(entry.device_id));
    if (at < latest) return Ok();
    PARC_ASSIGN_OR_RETURN(Statement close,
                          db_.Prepare("UPDATE usage_sessions SET ended_at = max(started_at, ?)"
                                      " WHERE device_id = ? AND ended_at IS NULL"));
    PARC_TRY(close.BindAll(at, entry.device_id).Run());
    std::string current;
    if (usage.login() && !usage.employee_number().empty()) {
      const bool not_the_holder = !entry.holder_employee_number.empty() &&
                                  entry.holder_employee_number != usage.employee_number();
      PARC_ASSIGN_OR_RETURN(
          Statement open,
          db_.Prepare("INSERT INTO usage_sessions (device_id, employee_number, started_at,"
                      " not_the_holder, unknown_person) VALUES (?1, ?2, ?3, ?4,"
                      " NOT EXISTS (SELECT 1 FROM agents WHERE employee_number = ?2))"));
      PARC_TRY(open.BindAll(entry.device_id, usage.employee_number(), at, not_the_holder).Run());
      current = usage.employee_number();
    }
    PARC_ASSIGN_OR_RETURN(
        Statement user,
        db_.Prepare("UPDATE device_status SET current_employee = ? WHERE device_id = ?"));
    return user.BindAll(current, entry.device_id).Run();
  }

  // Sessions of one device never overlap, so the latest-started one holds the
  // latest boundary; 0 when the device has none.
  Expected<int64_t> LatestSessionBoundary(int64_t device_id) {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("SELECT max(started_at, COALESCE(ended_at, started_at)) FROM usage_sessions"
                    " WHERE device_id = ? ORDER BY started_at DESC, id DESC LIMIT 1"));
    st.BindAll(device_id);
    PARC_ASSIGN_OR_RETURN(auto latest,
                          FirstRow(st, [](const Statement& row) { return row.Int(0); }));
    return latest.value_or(0);
  }

  Expected<uint64_t> Highest(int64_t device_id) {
    highest_.Reset();
    highest_.BindAll(device_id);
    PARC_ASSIGN_OR_RETURN(bool row, highest_.Step());
    return row ? static_cast<uint64_t>(highest_.Int(0)) : 0;
  }

  Connection& db_;
  Statement insert_, touch_, status_, highest_;
  const int64_t now_ms_;
  std::string blob_;                          // reused serialization buffer
  std::vector<const v1::Report*> new_usage_;  // of the entry being recorded
};

}  // namespace

Expected<std::vector<uint64_t>> RecordReports(Connection& db,
                                              const std::vector<DeviceReports>& batch,
                                              int64_t now_ms) {
  PARC_ASSIGN_OR_RETURN(BatchRecorder recorder, BatchRecorder::Prepare(db, now_ms));
  std::vector<uint64_t> highest;
  highest.reserve(batch.size());
  for (const DeviceReports& entry : batch) {
    auto recorded = recorder.Record(entry);
    if (!recorded) {
      return std::unexpected(recorded.error().Wrap("device " + std::to_string(entry.device_id)));
    }
    highest.push_back(*recorded);
  }
  return highest;
}

Expected<int64_t> PruneReportsChunk(Connection& db, int64_t before_ms, int64_t limit) {
  PARC_ASSIGN_OR_RETURN(
      Statement st, db.Prepare("DELETE FROM device_reports WHERE id IN"
                               " (SELECT id FROM device_reports WHERE received_at < ? LIMIT ?)"));
  PARC_TRY(st.BindAll(before_ms, limit).Run());
  return db.Changes();
}

}  // namespace parc::store::sqlite::queries
