// Skill assessments and current tiers (store/skills.h).
#include <cmath>
#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

constexpr const char* kSelectAssessment =
    "SELECT sa.id, sa.employee_number, sa.assessed_at, sa.source, sa.campaign_code,"
    " sa.campaign_id, sa.campaign_kind, sa.pix_score, sa.mastery_bp, sa.tier, sa.domains,"
    " sa.imported_at FROM skill_assessments sa"
    " LEFT JOIN agents ag ON ag.employee_number = sa.employee_number";

v1::SkillAssessment AssessmentRow(const Statement& st) {
  v1::SkillAssessment a;
  a.set_id(st.Int(0));
  a.set_employee_number(st.Text(1));
  ToTimestamp(st.Int(2), a.mutable_assessed_at());
  a.set_source(st.Text(3));
  a.set_campaign_code(st.Text(4));
  a.set_campaign_id(st.Int(5));
  a.set_campaign_kind(st.Text(6));
  a.set_pix_score(static_cast<int32_t>(st.Int(7)));
  int64_t bp = st.Int(8);
  a.set_mastery(bp < 0 ? -1.0 : static_cast<double>(bp) / 10000.0);
  a.set_tier(st.Text(9));
  v1::SkillAssessment domains;
  if (!st.IsNull(10) && domains.ParseFromString(std::string(st.BlobView(10)))) {
    a.mutable_domains()->Swap(domains.mutable_domains());
  }
  ToTimestamp(st.Int(11), a.mutable_imported_at());
  return a;
}

// Implements every SkillsReader method for Base = SkillsReader or SkillsWriter.
template <typename Base>
class SkillsReaderOn : public Base {
 public:
  explicit SkillsReaderOn(Connection& db) : db_(db) {}

  Expected<std::optional<int64_t>> FindAssessment(std::string_view employee_number,
                                                  int64_t campaign_id,
                                                  int64_t assessed_at_ms) override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          db_.Prepare("SELECT id FROM skill_assessments WHERE employee_number = ?"
                                      " AND campaign_id = ? AND assessed_at = ?"));
    st.BindAll(employee_number, campaign_id, assessed_at_ms);
    return FirstRow(st, [](const Statement& s) { return s.Int(0); });
  }

  Expected<std::vector<v1::SkillAssessment>> ListAssessments(const SkillFilter& filter) override {
    Where where;
    where.Equal("sa.employee_number", filter.employee_number);
    where.Equal("ag.department", filter.department);
    where.Equal("sa.tier", filter.tier);
    where.In({"ag.department"}, filter.departments);
    if (filter.latest_only) {
      where.Add(
          "EXISTS (SELECT 1 FROM agent_tiers t WHERE t.employee_number = sa.employee_number"
          " AND t.assessment_id = sa.id)");
    }
    if (filter.after_id > 0) where.Add("sa.id < ?", {filter.after_id});
    PARC_ASSIGN_OR_RETURN(Statement st,
                          PrepareList(db_, kSelectAssessment, where, " ORDER BY sa.id DESC",
                                      PageLimit(filter.limit)));
    return Collect(st, AssessmentRow);
  }

  Expected<std::optional<std::string>> CurrentTier(std::string_view employee_number) override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          db_.Prepare("SELECT tier FROM agent_tiers WHERE employee_number = ?"));
    st.BindAll(employee_number);
    return FirstRow(st, [](const Statement& s) { return s.Text(0); });
  }

 protected:
  Connection& db_;
};

class SqlSkillsReader final : public SkillsReaderOn<SkillsReader> {
 public:
  using SkillsReaderOn::SkillsReaderOn;
};

// Counts its changes in the SqlWriter's counter, for the audit check.
class SqlSkillsWriter final : public SkillsReaderOn<SkillsWriter> {
 public:
  SqlSkillsWriter(Connection& db, int& changes) : SkillsReaderOn(db), changes_(changes) {}

  Expected<int64_t> InsertAssessment(const v1::SkillAssessment& a) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("INSERT INTO skill_assessments (employee_number, assessed_at, source,"
                    " campaign_code, campaign_id, campaign_kind, pix_score, mastery_bp, tier,"
                    " domains, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    int64_t bp = a.mastery() < 0 ? -1 : std::llround(a.mastery() * 10000.0);
    st.BindAll(a.employee_number(), FromTimestamp(a.assessed_at()),
               a.source().empty() ? std::string("pix") : a.source(), a.campaign_code(),
               a.campaign_id(), a.campaign_kind(), a.pix_score(), bp, a.tier());
    v1::SkillAssessment domains;
    *domains.mutable_domains() = a.domains();
    std::string blob = domains.SerializeAsString();
    st.BindBlob(10, blob);
    st.Bind(11, FromTimestamp(a.imported_at()));
    PARC_ASSIGN_OR_RETURN(int64_t id,
                          InsertRow(db_, st, {{"employee_number", a.employee_number()}}));
    ++changes_;
    return id;
  }

  // One statement: the latest assessment upserted into agent_tiers, the update
  // skipped when it already points there (then no row changes).
  Expected<bool> RefreshCurrentTier(std::string_view employee_number) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("INSERT INTO agent_tiers (employee_number, tier, assessment_id, assessed_at)"
                    " SELECT employee_number, tier, id, assessed_at FROM skill_assessments"
                    " WHERE employee_number = ? ORDER BY assessed_at DESC, id DESC LIMIT 1"
                    " ON CONFLICT (employee_number) DO UPDATE SET tier = excluded.tier,"
                    " assessment_id = excluded.assessment_id, assessed_at = excluded.assessed_at"
                    " WHERE agent_tiers.assessment_id <> excluded.assessment_id"));
    st.BindAll(employee_number);
    PARC_TRY(st.Run());
    if (db_.Changes() == 0) return false;
    ++changes_;
    return true;
  }

 private:
  int& changes_;
};

}  // namespace

std::unique_ptr<SkillsReader> NewSkillsReader(Connection& db) {
  return std::make_unique<SqlSkillsReader>(db);
}

std::unique_ptr<SkillsWriter> NewSkillsWriter(Connection& db, int& changes) {
  return std::make_unique<SqlSkillsWriter>(db, changes);
}

}  // namespace parc::store::sqlite::queries
