#include "daemon/store/sqlite/search_terms.h"

#include <algorithm>

#include "common/fold.h"
#include "daemon/store/sqlite/where.h"

namespace parc::store::sqlite::search {

namespace {

constexpr int64_t kAgent = 1;
constexpr int64_t kDevice = 2;
constexpr int kMaxLimit = 50;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Adds `value` (already folded and with single spaces) and, when `tails`, each
// of its tails starting after a space, a '-' or an apostrophe.
void AddWithTails(std::vector<std::string>& out, const std::string& value, bool tails) {
  if (value.empty()) return;
  out.push_back(value);
  if (!tails) return;
  for (size_t i = 0; i + 1 < value.size(); ++i) {
    char c = value[i];
    if ((c == ' ' || c == '-' || c == '\'') && value[i + 1] != ' ') out.push_back(value.substr(i + 1));
  }
}

std::vector<std::string> Sorted(std::vector<std::string> terms) {
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

std::string Joined(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + " " + std::string(b);
}

Status Replace(Connection& db, int64_t kind, int64_t id, const std::vector<std::string>& before,
               const std::vector<std::string>& after) {
  if (before == after) return Ok();
  for (const std::string& term : before) {
    if (std::binary_search(after.begin(), after.end(), term)) continue;
    PARC_ASSIGN_OR_RETURN(
        Statement del, db.Prepare("DELETE FROM search_terms WHERE kind = ? AND term = ? AND ref = ?"));
    PARC_TRY(del.BindAll(kind, term, id).Run());
  }
  for (const std::string& term : after) {
    if (std::binary_search(before.begin(), before.end(), term)) continue;
    PARC_ASSIGN_OR_RETURN(
        Statement add,
        db.Prepare("INSERT OR IGNORE INTO search_terms (kind, term, ref) VALUES (?, ?, ?)"));
    PARC_TRY(add.BindAll(kind, term, id).Run());
  }
  return Ok();
}

// `table` is constant SQL ("agents" or "devices").
Expected<std::vector<int64_t>> Matching(Connection& db, int64_t kind, std::string_view table,
                                        const SearchFilter& filter) {
  std::vector<int64_t> ids;
  std::string prefix = QueryPrefix(filter.query);
  if (prefix.empty()) return ids;
  std::string high = prefix + '\xff';  // above every UTF-8 continuation of the prefix
  Where where;
  where.Add("t.kind = ? AND t.term >= ? AND t.term < ?", {kind, prefix, high});
  where.In({"x.department"}, filter.departments);
  // CROSS JOIN keeps search_terms' range scan outside: never a department scan.
  std::string sql = "SELECT DISTINCT t.ref FROM search_terms t CROSS JOIN " + std::string(table) +
                    " x ON x.id = t.ref" + where.Sql() + " LIMIT ?";
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  st.BindList(1, where.values());
  st.Bind(static_cast<int>(where.values().size()) + 1,
          static_cast<int64_t>(std::clamp(filter.limit, 1, kMaxLimit)));
  while (true) {
    PARC_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ids.push_back(st.Int(0));
  }
  return ids;
}

}  // namespace

std::string QueryPrefix(std::string_view text) {
  std::string folded = FoldForSearch(text), out;
  for (char c : folded) {
    if (IsSpace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> AgentTerms(const v1::Agent& a) {
  std::vector<std::string> terms;
  std::string first = QueryPrefix(a.first_name()), last = QueryPrefix(a.last_name());
  AddWithTails(terms, QueryPrefix(a.employee_number()), false);
  AddWithTails(terms, Joined(first, last), true);
  AddWithTails(terms, Joined(last, first), true);
  AddWithTails(terms, QueryPrefix(a.department()), false);
  return Sorted(std::move(terms));
}

std::vector<std::string> DeviceTerms(const v1::Device& d) {
  std::vector<std::string> terms;
  AddWithTails(terms, QueryPrefix(d.serial()), false);
  AddWithTails(terms, QueryPrefix(d.asset_tag()), false);
  AddWithTails(terms, QueryPrefix(d.model()), true);
  return Sorted(std::move(terms));
}

Status IndexAgent(Connection& db, int64_t id, const std::vector<std::string>& before,
                  const v1::Agent& now) {
  return Replace(db, kAgent, id, before, AgentTerms(now));
}

Status IndexDevice(Connection& db, int64_t id, const std::vector<std::string>& before,
                   const v1::Device& now) {
  return Replace(db, kDevice, id, before, DeviceTerms(now));
}

Expected<std::vector<std::string>> CurrentAgentTerms(Connection& db, int64_t id) {
  PARC_ASSIGN_OR_RETURN(
      Statement st, db.Prepare("SELECT employee_number, first_name, last_name, department"
                               " FROM agents WHERE id = ?"));
  st.BindAll(id);
  PARC_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::vector<std::string>{};
  v1::Agent a;
  a.set_employee_number(st.Text(0));
  a.set_first_name(st.Text(1));
  a.set_last_name(st.Text(2));
  a.set_department(st.Text(3));
  return AgentTerms(a);
}

Expected<std::vector<std::string>> CurrentDeviceTerms(Connection& db, int64_t id) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("SELECT serial, asset_tag, model FROM devices WHERE id = ?"));
  st.BindAll(id);
  PARC_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::vector<std::string>{};
  v1::Device d;
  d.set_serial(st.Text(0));
  d.set_asset_tag(st.Text(1));
  d.set_model(st.Text(2));
  return DeviceTerms(d);
}

Expected<std::vector<int64_t>> MatchingAgents(Connection& db, const SearchFilter& filter) {
  return Matching(db, kAgent, "agents", filter);
}

Expected<std::vector<int64_t>> MatchingDevices(Connection& db, const SearchFilter& filter) {
  return Matching(db, kDevice, "devices", filter);
}

Status BuildIfPending(Connection& db) {
  PARC_ASSIGN_OR_RETURN(Statement pending, db.Prepare("SELECT count(*) FROM search_terms_pending"));
  PARC_ASSIGN_OR_RETURN(bool has_row, pending.Step());
  if (!has_row || pending.Int(0) == 0) return Ok();
  PARC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, "BEGIN IMMEDIATE"));
  PARC_TRY(db.Exec("DELETE FROM search_terms"));
  {
    PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT id FROM agents ORDER BY id"));
    while (true) {
      PARC_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int64_t id = st.Int(0);
      PARC_ASSIGN_OR_RETURN(auto terms, CurrentAgentTerms(db, id));
      PARC_TRY(Replace(db, kAgent, id, {}, terms));
    }
  }
  {
    PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT id FROM devices ORDER BY id"));
    while (true) {
      PARC_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int64_t id = st.Int(0);
      PARC_ASSIGN_OR_RETURN(auto terms, CurrentDeviceTerms(db, id));
      PARC_TRY(Replace(db, kDevice, id, {}, terms));
    }
  }
  PARC_TRY(db.Exec("DELETE FROM search_terms_pending"));
  return tx.Commit();
}

}  // namespace parc::store::sqlite::search
