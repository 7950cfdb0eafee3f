// The search index behind Reader::SearchAgents / SearchDevices: table
// search_terms(kind, term, ref), one row per folded term of an agent or a
// device, kept in step by the inventory writes in the same transaction.
// A search is one range scan of the primary key (kind, term) for a prefix,
// so its cost does not grow with the fleet.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "daemon/store/sqlite/db.h"
#include "daemon/store/store.h"

namespace parc::store::sqlite::search {

// The terms an agent or a device is found by, folded (common/fold.h), sorted,
// without duplicates. A multi-word value gives itself and every tail starting
// at a word ("lefevre marie", "marie lefevre", "marie"), so that a query is
// always a prefix of one term. Changing these rules or FoldForSearch needs a
// migration that inserts the search_terms_pending marker (rebuilt at open).
std::vector<std::string> AgentTerms(const v1::Agent& agent);
std::vector<std::string> DeviceTerms(const v1::Device& device);

// `text` as searched: folded, spaces trimmed and runs of spaces made one.
std::string QueryPrefix(std::string_view text);

// Replaces the terms of agent / device `id` (called after its row was written;
// `before` is what the row held, empty for an insert).
Status IndexAgent(Connection& db, int64_t id, const std::vector<std::string>& before,
                  const v1::Agent& now);
Status IndexDevice(Connection& db, int64_t id, const std::vector<std::string>& before,
                   const v1::Device& now);
// The terms of agent / device `id` as its row holds now (empty when there is
// no such row): read before an UPDATE, to pass as `before`. A primary-key read,
// so that search_terms needs no second index.
Expected<std::vector<std::string>> CurrentAgentTerms(Connection& db, int64_t id);
Expected<std::vector<std::string>> CurrentDeviceTerms(Connection& db, int64_t id);

// Ids of the agents / devices having a term starting with QueryPrefix(filter.query), in
// term order, at most `filter.limit`, within `filter.departments` when not empty.
Expected<std::vector<int64_t>> MatchingAgents(Connection& db, const SearchFilter& filter);
Expected<std::vector<int64_t>> MatchingDevices(Connection& db, const SearchFilter& filter);

// Fills search_terms from every agent and device when the migration that
// created it left the marker row; a no-op otherwise. Runs in its own
// transaction on the writer connection, at open.
Status BuildIfPending(Connection& db);

}  // namespace parc::store::sqlite::search
