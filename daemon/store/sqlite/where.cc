#include "daemon/store/sqlite/where.h"

namespace parc::store::sqlite {

void Where::Add(std::string_view clause, std::initializer_list<Value> values) {
  clauses_.emplace_back(clause);
  values_.insert(values_.end(), values.begin(), values.end());
}

void Where::Equal(std::string_view column, const std::string& value) {
  if (value.empty()) return;
  Add(std::string(column) + " = ?", {value});
}

void Where::In(std::initializer_list<std::string_view> columns,
               const std::vector<std::string>& values) {
  if (values.empty()) return;
  std::string placeholders;
  for (size_t i = 0; i < values.size(); ++i) placeholders += i == 0 ? "?" : ",?";
  std::string clause;
  for (std::string_view column : columns) {
    clause += clause.empty() ? "(" : " OR ";
    clause += std::string(column) + " IN (" + placeholders + ")";
    values_.insert(values_.end(), values.begin(), values.end());
  }
  clauses_.push_back(clause + ")");
}

void Where::Contains(std::initializer_list<std::string_view> columns, std::string_view text) {
  if (text.empty()) return;
  const std::string pattern = ContainsPattern(text);
  std::string clause;
  for (std::string_view column : columns) {
    clause += clause.empty() ? "(" : " OR ";
    clause += std::string(column) + " LIKE ? ESCAPE '\\'";
    values_.emplace_back(pattern);
  }
  clauses_.push_back(clause + ")");
}

std::string Where::Sql() const {
  std::string sql;
  for (const std::string& clause : clauses_) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += clause;
  }
  return sql;
}

std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

int64_t PageLimit(int limit) { return limit > 0 ? limit : 100; }

}  // namespace parc::store::sqlite
