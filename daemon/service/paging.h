// List RPCs page with `page_size` (default 100, at most 1000) and an opaque
// `page_token` returned as `next_page_token` (empty on the last page).
#pragma once

#include <charconv>
#include <string>
#include <vector>

#include "common/error.h"
#include "daemon/store/store.h"

namespace parc::service {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

// The store page to ask for: one row more than the page, to learn whether
// another page follows.
inline Expected<store::Page> ParsePage(int page_size, const std::string& token) {
  if (page_size < 0) return InvalidArgument("page_size", "negative");
  store::Page page{
      .after_id = 0,
      .limit = (page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize)) + 1};
  if (!token.empty()) {
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), page.after_id);
    if (ec != std::errc() || end != token.data() + token.size() || page.after_id <= 0) {
      return InvalidArgument("page_token", "not a token returned by this list");
    }
  }
  return page;
}

// Drops the extra row fetched by ParsePage and returns the next page token.
template <typename Record>
std::string TakePage(std::vector<Record>& rows, const store::Page& page) {
  if (static_cast<int>(rows.size()) < page.limit) return {};
  rows.pop_back();
  return std::to_string(rows.back().id());
}

// Moves `rows` into a repeated protobuf field.
template <typename Record, typename Repeated>
void MoveInto(std::vector<Record>& rows, Repeated* out) {
  out->Reserve(static_cast<int>(rows.size()));
  for (auto& row : rows) *out->Add() = std::move(row);
}

}  // namespace parc::service
