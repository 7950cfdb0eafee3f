// Progress events from devices (Store::RecordProgress): each id stored once,
// module_progress kept up to date with the new ones, in the caller's
// transaction.
#include "common/time.h"
#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

Status ApplyToProgress(Connection& db, const v1::ProgressEvent& e, int64_t at) {
  PARC_ASSIGN_OR_RETURN(Statement ensure,
                        db.Prepare("INSERT INTO module_progress (employee_number, module_code)"
                                   " VALUES (?, ?) ON CONFLICT DO NOTHING"));
  PARC_TRY(ensure.BindAll(e.employee_number(), e.module_code()).Run());
  const char* sql = nullptr;
  switch (e.kind()) {
    case v1::PROGRESS_KIND_OPENED:
      sql =
          "UPDATE module_progress SET opened_at = min(COALESCE(opened_at, ?1), ?1)"
          " WHERE employee_number = ?2 AND module_code = ?3";
      break;
    case v1::PROGRESS_KIND_ITEM_COMPLETED:
      sql =
          "UPDATE module_progress SET opened_at = min(COALESCE(opened_at, ?1), ?1),"
          " items_completed = (SELECT count(DISTINCT item_sha256) FROM progress_events"
          "  WHERE kind = 2 AND employee_number = ?2 AND module_code = ?3)"
          " WHERE employee_number = ?2 AND module_code = ?3";
      break;
    case v1::PROGRESS_KIND_MODULE_COMPLETED:
      sql =
          "UPDATE module_progress SET opened_at = min(COALESCE(opened_at, ?1), ?1),"
          " completed_at = min(COALESCE(completed_at, ?1), ?1)"
          " WHERE employee_number = ?2 AND module_code = ?3";
      break;
    case v1::PROGRESS_KIND_QUIZ_SCORE:
      sql =
          "UPDATE module_progress SET best_score = max(best_score, ?4)"
          " WHERE employee_number = ?2 AND module_code = ?3 AND ?1 IS NOT NULL";
      break;
    default:
      return InvalidArgument("kind", "unknown progress kind");
  }
  PARC_ASSIGN_OR_RETURN(Statement update, db.Prepare(sql));
  update.Bind(1, at);
  update.Bind(2, e.employee_number());
  update.Bind(3, e.module_code());
  if (e.kind() == v1::PROGRESS_KIND_QUIZ_SCORE) update.Bind(4, int64_t{e.score()});
  return update.Run();
}

}  // namespace

Expected<ProgressCounts> RecordProgress(Connection& db, int64_t device_id,
                                        const v1::ReportProgressRequest& request, int64_t now_ms) {
  ProgressCounts counts;
  for (const v1::ProgressEvent& e : request.events()) {
    const int64_t at = e.has_at() && FromTimestamp(e.at()) > 0 ? FromTimestamp(e.at()) : now_ms;
    PARC_ASSIGN_OR_RETURN(
        Statement insert,
        db.Prepare("INSERT OR IGNORE INTO progress_events (id, device_id, employee_number,"
                   " module_code, module_version, kind, item_sha256, score, at, received_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.BindAll(e.id(), device_id, e.employee_number(), e.module_code(), e.module_version(),
                   e.kind(), e.item_sha256(),
                   e.kind() == v1::PROGRESS_KIND_QUIZ_SCORE ? e.score() : -1, at, now_ms);
    PARC_TRY(insert.Run());
    if (db.Changes() == 0) {
      ++counts.duplicates;
      continue;
    }
    ++counts.accepted;
    PARC_TRY(ApplyToProgress(db, e, at));
  }
  return counts;
}

}  // namespace parc::store::sqlite::queries
