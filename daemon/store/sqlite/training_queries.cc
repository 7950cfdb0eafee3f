// Training modules, content blobs, assignments and progress reads
// (store/training.h) over one Connection.
#include <fmt/format.h>

#include <sstream>

#include "daemon/store/sqlite/queries.h"
#include "daemon/store/sqlite/training_reach.h"

namespace parc::store::sqlite::queries {

namespace {

constexpr std::string_view kSelectModule =
    "SELECT id, code, version, state, title, description, target_tiers, estimated_minutes,"
    " created_by, created_at, published_at FROM modules";

std::string JoinTiers(const google::protobuf::RepeatedPtrField<std::string>& tiers) {
  std::string out;
  for (const auto& t : tiers) out += (out.empty() ? "" : ",") + t;
  return out;
}

ModuleRecord ModuleRow(const Statement& st) {
  ModuleRecord rec;
  rec.id = st.Int(0);
  v1::Module& m = rec.module;
  m.set_code(st.Text(1));
  m.set_version(static_cast<int32_t>(st.Int(2)));
  m.set_state(static_cast<v1::ModuleState>(st.Int(3)));
  m.set_title(st.Text(4));
  m.set_description(st.Text(5));
  std::stringstream tiers(st.Text(6));
  for (std::string tier; std::getline(tiers, tier, ',');) {
    if (!tier.empty()) m.add_target_tiers(tier);
  }
  m.set_estimated_minutes(static_cast<int32_t>(st.Int(7)));
  m.set_created_by(st.Text(8));
  ReadTime(st, 9, [&] { return m.mutable_created_at(); });
  ReadTime(st, 10, [&] { return m.mutable_published_at(); });
  return rec;
}

constexpr std::string_view kSelectAssignment =
    "SELECT id, module_code, target_kind, target, due_date, assigned_by, assigned_at"
    " FROM module_assignments";

v1::ModuleAssignment AssignmentRow(const Statement& st) {
  v1::ModuleAssignment a;
  a.set_id(st.Int(0));
  a.set_module_code(st.Text(1));
  const std::string kind = st.Text(2);
  std::string target = st.Text(3);
  if (kind == "agent") a.set_employee_number(std::move(target));
  if (kind == "department") a.set_department(std::move(target));
  if (kind == "wave") a.set_wave(std::move(target));
  if (kind == "tier") a.set_skill_tier(std::move(target));
  a.set_due_date(st.Text(4));
  a.set_assigned_by(st.Text(5));
  ReadTime(st, 6, [&] { return a.mutable_assigned_at(); });
  return a;
}

std::pair<std::string_view, std::string> Target(const v1::ModuleAssignment& a) {
  switch (a.to_case()) {
    case v1::ModuleAssignment::kEmployeeNumber:
      return {"agent", a.employee_number()};
    case v1::ModuleAssignment::kDepartment:
      return {"department", a.department()};
    case v1::ModuleAssignment::kWave:
      return {"wave", a.wave()};
    case v1::ModuleAssignment::kSkillTier:
      return {"tier", a.skill_tier()};
    default:
      return {"", ""};
  }
}

// Reads and writes; `changes` is null on a read-only connection (the writes
// are then never reachable through the TrainingReader interface).
class SqlTraining final : public TrainingWriter {
 public:
  SqlTraining(Connection& db, int* changes) : db_(db), changes_(changes) {}

  Expected<std::optional<ContentBlob>> FindContent(std::string_view sha256) override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          db_.Prepare("SELECT sha256, size, created_at FROM content_blobs"
                                      " WHERE sha256 = ?"));
    st.BindAll(sha256);
    return FirstRow(st, BlobRow);
  }

  Expected<std::vector<ContentBlob>> ListUnreferencedContent(int64_t before_ms) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("SELECT sha256, size, created_at FROM content_blobs b WHERE created_at < ?"
                    " AND NOT EXISTS (SELECT 1 FROM module_items i WHERE i.sha256 = b.sha256)"
                    " ORDER BY sha256"));
    st.BindAll(before_ms);
    return Collect(st, BlobRow);
  }

  Expected<std::vector<std::string>> ListContentHashes() override {
    PARC_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT sha256 FROM content_blobs"));
    return Collect(st, [](const Statement& row) { return row.Text(0); });
  }

  Expected<std::optional<ModuleRecord>> FindModule(std::string_view code,
                                                   int32_t version) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare(std::string(kSelectModule) +
                    " WHERE code = ? AND (? = 0 OR version = ?) ORDER BY version DESC LIMIT 1"));
    st.BindAll(code, version, version);
    return WithItems(st);
  }

  Expected<std::optional<ModuleRecord>> FindPublishedModule(std::string_view code) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st, db_.Prepare(std::string(kSelectModule) + " WHERE code = ? AND state = ?"));
    st.BindAll(code, v1::MODULE_STATE_PUBLISHED);
    return WithItems(st);
  }

  Expected<std::vector<ModuleRecord>> ListModules(const ModuleFilter& filter) override {
    std::string sql(kSelectModule);
    sql += filter.state == v1::MODULE_STATE_UNSPECIFIED
               ? " m WHERE ? = 0 AND version = (SELECT max(version) FROM modules WHERE code = "
                 "m.code)"
               : " WHERE state = ?";
    sql += " ORDER BY code, version";
    PARC_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
    st.BindAll(filter.state);
    PARC_ASSIGN_OR_RETURN(auto rows, Collect(st, ModuleRow));
    std::vector<ModuleRecord> out;
    for (auto& rec : rows) {
      const auto& tiers = rec.module.target_tiers();
      if (!filter.tier.empty() &&
          std::find(tiers.begin(), tiers.end(), filter.tier) == tiers.end()) {
        continue;
      }
      PARC_TRY(FillItems(rec));
      out.push_back(std::move(rec));
    }
    return out;
  }

  Expected<std::optional<v1::ModuleAssignment>> FindAssignment(int64_t id) override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          db_.Prepare(std::string(kSelectAssignment) + " WHERE id = ?"));
    st.BindAll(id);
    return FirstRow(st, AssignmentRow);
  }

  Expected<std::vector<v1::ModuleAssignment>> ListAssignments(
      const AssignmentFilter& filter) override {
    const PersonKeys keys = filter.reaching.value_or(PersonKeys{});
    PARC_ASSIGN_OR_RETURN(
        Statement st, db_.Prepare(std::string(kSelectAssignment) +
                                  " WHERE id > ? AND (? = '' OR module_code = ?) AND (? = 0"
                                  " OR (target_kind = 'agent' AND target = ?)"
                                  " OR (target_kind = 'department' AND target = ? AND target <> '')"
                                  " OR (target_kind = 'wave' AND target = ? AND target <> '')"
                                  " OR (target_kind = 'tier' AND target = ? AND target <> ''))"
                                  " ORDER BY id LIMIT ?"));
    st.BindAll(filter.after_id, filter.module_code, filter.module_code, filter.reaching.has_value(),
               keys.employee_number, keys.department, keys.wave, keys.tier,
               PageLimit(filter.limit));
    return Collect(st, AssignmentRow);
  }

  Expected<bool> AnyAgentWith(std::string_view column, std::string_view value) override {
    std::string sql = column == "wave" ? "SELECT 1 FROM agents WHERE wave = ? LIMIT 1"
                                       : "SELECT 1 FROM agents WHERE department = ? LIMIT 1";
    PARC_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
    st.BindAll(value);
    return st.Step();
  }

  Expected<std::string> FindAgentTier(std::string_view employee_number) override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          db_.Prepare("SELECT tier FROM agent_tiers WHERE employee_number = ?"));
    st.BindAll(employee_number);
    PARC_ASSIGN_OR_RETURN(auto tier, FirstRow(st, [](const Statement& r) { return r.Text(0); }));
    return tier.value_or("");
  }

  Expected<std::vector<RecentUser>> ListRecentUsers(int64_t device_id, int64_t since_ms) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("SELECT employee_number, ended_at FROM usage_sessions WHERE device_id = ?"
                    " AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at DESC, id DESC"));
    st.BindAll(device_id, since_ms);
    return Collect(st, [](const Statement& row) {
      auto ended = row.OptionalInt(1);
      return RecentUser{.employee_number = row.Text(0),
                        .last_used_ms = ended.value_or(0),
                        .open = !ended.has_value()};
    });
  }

  Expected<std::vector<ProgressListRow>> ListProgress(const ProgressFilter& filter) override;

  // ---- Writes ----------------------------------------------------------------

  Status PutContent(const ContentBlob& blob) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("INSERT INTO content_blobs (sha256, size, created_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (sha256) DO UPDATE SET created_at = excluded.created_at"
                    " WHERE size = excluded.size"));
    PARC_TRY(st.BindAll(blob.sha256, blob.size, blob.created_at_ms).Run());
    if (db_.Changes() == 0) {
      return FailedPrecondition(
          fmt::format("size: content {} is already stored with another size", blob.sha256));
    }
    return Counted();
  }

  Status DeleteContent(std::string_view sha256) override {
    PARC_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM content_blobs WHERE sha256 = ?"));
    PARC_TRY(st.BindAll(sha256).Run());
    return Counted();
  }

  Expected<int64_t> InsertModule(const v1::Module& m) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("INSERT INTO modules (code, version, state, title, description, target_tiers,"
                    " estimated_minutes, created_by, created_at, published_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st.BindAll(m.code(), m.version(), m.state(), m.title(), m.description(),
               JoinTiers(m.target_tiers()), m.estimated_minutes(), m.created_by(),
               TimeValue(m.has_created_at(), m.created_at()),
               TimeValue(m.has_published_at(), m.published_at()));
    PARC_ASSIGN_OR_RETURN(int64_t id, InsertRow(db_, st, {{"code", m.code()}}));
    std::vector<v1::ModuleItem> items(m.items().begin(), m.items().end());
    PARC_TRY(AppendModuleItems(id, items));
    PARC_TRY(Counted());
    return id;
  }

  Status AppendModuleItems(int64_t module_id, const std::vector<v1::ModuleItem>& items) override {
    PARC_ASSIGN_OR_RETURN(
        Statement last,
        db_.Prepare("SELECT COALESCE(max(position), 0) FROM module_items WHERE module_id = ?"));
    last.BindAll(module_id);
    PARC_ASSIGN_OR_RETURN(auto position,
                          FirstRow(last, [](const Statement& r) { return r.Int(0); }));
    int64_t next = position.value_or(0);
    for (const v1::ModuleItem& item : items) {
      PARC_ASSIGN_OR_RETURN(
          Statement st,
          db_.Prepare("INSERT INTO module_items (module_id, position, title, file_name, kind,"
                      " sha256) VALUES (?, ?, ?, ?, ?, ?)"));
      PARC_TRY(
          st.BindAll(module_id, ++next, item.title(), item.file_name(), item.kind(), item.sha256())
              .Run());
    }
    return Counted();
  }

  Status SetModuleState(int64_t module_id, v1::ModuleState state,
                        std::optional<int64_t> published_at_ms) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("UPDATE modules SET state = ?, published_at = COALESCE(?, published_at)"
                    " WHERE id = ?"));
    st.BindAll(state, published_at_ms, module_id);
    PARC_TRY(UpdateRow(db_, st, "module", module_id, {}));
    return Counted();
  }

  Expected<int64_t> InsertAssignment(const v1::ModuleAssignment& a) override {
    auto [kind, target] = Target(a);
    if (kind.empty()) return InvalidArgument("to", "required");
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("INSERT INTO module_assignments (module_code, target_kind, target, due_date,"
                    " assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?, ?)"));
    st.BindAll(a.module_code(), kind, target, a.due_date(), a.assigned_by(),
               TimeValue(a.has_assigned_at(), a.assigned_at()));
    auto id = InsertRow(db_, st, {});
    if (!id && id.error().code == ErrorCode::kAlreadyExists) {
      return Fail(
          ErrorCode::kAlreadyExists,
          fmt::format("to: module {} is already assigned to {} {}", a.module_code(), kind, target));
    }
    if (id) PARC_TRY(Counted());
    return id;
  }

  Expected<ProgressCounts> InsertProgress(int64_t device_id,
                                          const v1::ReportProgressRequest& request,
                                          int64_t now_ms) override {
    PARC_ASSIGN_OR_RETURN(auto counts, RecordProgress(db_, device_id, request, now_ms));
    if (counts.accepted > 0) PARC_TRY(Counted());
    return counts;
  }

  Status DeleteAssignment(int64_t id) override {
    PARC_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM module_assignments WHERE id = ?"));
    PARC_TRY(st.BindAll(id).Run());
    if (db_.Changes() == 0) return NotFound(fmt::format("assignment {}: not found", id));
    return Counted();
  }

 private:
  static ContentBlob BlobRow(const Statement& st) {
    return ContentBlob{.sha256 = st.Text(0), .size = st.Int(1), .created_at_ms = st.Int(2)};
  }

  Status Counted() {
    if (!changes_) return Fail(ErrorCode::kInternal, "training write on a read-only snapshot");
    ++*changes_;
    return Ok();
  }

  Expected<std::optional<ModuleRecord>> WithItems(Statement& st) {
    PARC_ASSIGN_OR_RETURN(auto rec, FirstRow(st, ModuleRow));
    if (rec) PARC_TRY(FillItems(*rec));
    return rec;
  }

  Status FillItems(ModuleRecord& rec) {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("SELECT i.position, i.title, i.file_name, i.kind, i.sha256, b.size"
                    " FROM module_items i JOIN content_blobs b ON b.sha256 = i.sha256"
                    " WHERE i.module_id = ? ORDER BY i.position"));
    st.BindAll(rec.id);
    PARC_ASSIGN_OR_RETURN(auto items, Collect(st, [](const Statement& row) {
                            v1::ModuleItem item;
                            item.set_position(static_cast<int32_t>(row.Int(0)));
                            item.set_title(row.Text(1));
                            item.set_file_name(row.Text(2));
                            item.set_kind(static_cast<v1::ContentKind>(row.Int(3)));
                            item.set_sha256(row.Text(4));
                            item.set_size(row.Int(5));
                            return item;
                          }));
    for (auto& item : items) *rec.module.add_items() = std::move(item);
    return Ok();
  }

  Connection& db_;
  int* changes_;
};

// Per agent and module assigned to them (directly, by department, wave or
// current tier) that has a published version.
Expected<std::vector<ProgressListRow>> SqlTraining::ListProgress(const ProgressFilter& filter) {
  Where where;
  where.Add("ag.status <> ?", {int64_t{v1::AGENT_STATUS_LEFT}});
  where.Equal("ag.employee_number", filter.employee_number);
  where.Equal("ag.department", filter.department);
  where.Equal("ag.wave", filter.wave);
  where.Equal("ag.advisor", filter.advisor);
  where.Equal("a.module_code", filter.module_code);
  where.In({"ag.department"}, filter.departments);
  where.Add("(ag.id, a.module_code) > (?, ?)", {filter.after_agent_id, filter.after_module_code});
  const std::string select =
      "WITH reach AS (SELECT ag.id AS agent_id, ag.employee_number AS employee_number,"
      " trim(ag.first_name || ' ' || ag.last_name) AS name, ag.department AS department,"
      " a.module_code AS module_code, COALESCE(min(NULLIF(a.due_date, '')), '') AS due"
      " FROM agents ag LEFT JOIN agent_tiers t ON t.employee_number = ag.employee_number"
      " JOIN module_assignments a ON " +
      std::string(kAssignmentReachesAgent) + where.Sql() +
      " GROUP BY ag.id, a.module_code)"
      " SELECT r.agent_id, r.employee_number, r.name, r.department, r.module_code, m.title,"
      " p.opened_at,"
      " (SELECT count(DISTINCT e.item_sha256) FROM progress_events e WHERE e.kind = 2"
      "  AND e.employee_number = r.employee_number AND e.module_code = r.module_code"
      "  AND e.item_sha256 IN (SELECT sha256 FROM module_items WHERE module_id = m.id)),"
      " (SELECT count(*) FROM module_items WHERE module_id = m.id),"
      " p.completed_at, COALESCE(p.best_score, -1), r.due"
      " FROM reach r JOIN modules m ON m.code = r.module_code AND m.state = 2"
      " LEFT JOIN module_progress p ON p.employee_number = r.employee_number"
      "  AND p.module_code = r.module_code";
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db_.Prepare(select + " ORDER BY r.agent_id, r.module_code LIMIT ?"));
  st.BindList(1, where.values());
  st.Bind(static_cast<int>(where.values().size()) + 1, PageLimit(filter.limit));
  return Collect(st, [&](const Statement& row) {
    ProgressListRow out;
    out.agent_id = row.Int(0);
    v1::ProgressRow& p = out.row;
    p.set_employee_number(row.Text(1));
    p.set_display_name(row.Text(2));
    p.set_department(row.Text(3));
    p.set_module_code(row.Text(4));
    p.set_module_title(row.Text(5));
    ReadTime(row, 6, [&] { return p.mutable_opened_at(); });
    p.set_items_completed(static_cast<int32_t>(row.Int(7)));
    p.set_items_total(static_cast<int32_t>(row.Int(8)));
    ReadTime(row, 9, [&] { return p.mutable_completed_at(); });
    p.set_score(static_cast<int32_t>(row.Int(10)));
    p.set_due_date(row.Text(11));
    p.set_overdue(!p.due_date().empty() && !p.has_completed_at() && !filter.today.empty() &&
                  p.due_date() < filter.today);
    return out;
  });
}

}  // namespace

std::unique_ptr<TrainingReader> NewTrainingReader(Connection& db) {
  return std::make_unique<SqlTraining>(db, nullptr);
}

std::unique_ptr<TrainingWriter> NewTrainingWriter(Connection& db, int& changes) {
  return std::make_unique<SqlTraining>(db, &changes);
}

}  // namespace parc::store::sqlite::queries
