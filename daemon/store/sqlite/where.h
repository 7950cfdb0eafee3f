// Builds the WHERE clause of a filtered list query: SQL text made only of
// constant fragments and '?' placeholders, with the values kept aside for
// binding. Nothing a caller passes ever becomes SQL text.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/store/sqlite/db.h"

namespace parc::store::sqlite {

class Where {
 public:
  // Adds `clause` (constant SQL with '?' placeholders) and its values.
  void Add(std::string_view clause, std::initializer_list<Value> values = {});
  // Adds "column = ?" when `value` is not empty.
  void Equal(std::string_view column, const std::string& value);
  // Adds "(col1 IN (?,?) OR col2 IN (?,?) ...)" when `values` is not empty.
  void In(std::initializer_list<std::string_view> columns, const std::vector<std::string>& values);
  // Adds "(col1 LIKE ? ESCAPE '\' OR ...)" matching `text` anywhere, when
  // `text` is not empty; '%' and '_' in `text` match themselves.
  void Contains(std::initializer_list<std::string_view> columns, std::string_view text);

  // " WHERE a AND b" or "".
  std::string Sql() const;
  const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<std::string> clauses_;
  std::vector<Value> values_;
};

// The LIKE pattern matching `text` anywhere, with '\' as the escape character.
std::string ContainsPattern(std::string_view text);

// The page size to use: `limit` when positive, otherwise the default of 100.
int64_t PageLimit(int limit);

}  // namespace parc::store::sqlite
