// Skill assessments (Pix imports) and each agent's current tier. Reached
// through Reader::skills() / Writer::skills(); lives, like them, only inside a
// Store::Read / Store::Write callback and is not thread-safe. Errors mean
// storage failed; no match is std::nullopt or an empty vector.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "parc/v1/training.pb.h"

namespace parc::store {

// Assessments are listed by id, newest import first. Empty strings mean
// "any"; a non-empty `departments` restricts to agents of those departments
// (a manager's scope), matched on the agent's current department, so an
// assessment whose employee number matches no agent is seen only unscoped.
struct SkillFilter {
  std::string employee_number, department, tier;
  // Only each person's latest assessment (the one their current tier comes from).
  bool latest_only = false;
  std::vector<std::string> departments;
  int64_t after_id = 0;  // keyset paging: rows with a smaller id (0: from the start)
  int limit = 100;
};

class SkillsReader {
 public:
  virtual ~SkillsReader() = default;

  // The id of the assessment of this person in this campaign at this instant.
  virtual Expected<std::optional<int64_t>> FindAssessment(std::string_view employee_number,
                                                          int64_t campaign_id,
                                                          int64_t assessed_at_ms) = 0;
  // Ordered by id descending; at most filter.limit rows.
  virtual Expected<std::vector<v1::SkillAssessment>> ListAssessments(const SkillFilter& filter) = 0;
  // The person's current tier code; std::nullopt when never assessed.
  virtual Expected<std::optional<std::string>> CurrentTier(std::string_view employee_number) = 0;
};

class SkillsWriter : public SkillsReader {
 public:
  // Stores one assessment (its id is ignored; tier, domains and imported_at
  // are stored as given). ALREADY_EXISTS when the same person, campaign
  // and instant are already stored.
  virtual Expected<int64_t> InsertAssessment(const v1::SkillAssessment& assessment) = 0;
  // Points agent_tiers at the person's latest assessment (greatest
  // assessed_at, then greatest id). Returns true when their current tier row
  // changed.
  virtual Expected<bool> RefreshCurrentTier(std::string_view employee_number) = 0;
};

}  // namespace parc::store
