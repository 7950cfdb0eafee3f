// The skill side of the demo city: Pix results for a realistic share of the
// people the programme targets, so that the dashboards' funnel and tier views
// have something to show. Internal to parc_demo; demo.cc calls it after the
// agents are written.
#pragma once

#include <array>
#include <cstdint>

#include "common/error.h"
#include "daemon/demo/demo_plan.h"
#include "daemon/store/store.h"

namespace parc::demo {

struct SkillsSummary {
  int assessed = 0;                      // people with at least one assessment
  int assessments = 0;                   // including earlier ones (history)
  std::array<int, 4> current_by_tier{};  // illectronisme, debutant, a-consolider, autonome
  int transactions = 0;
};

// Gives Pix results (deterministically from `seed`) to about 80 % of wave 1,
// 60 % of wave 2 and 35 % of wave 3 of the targeted staff, and 3 % of the
// others; current tiers lean to the low end (about 35 % illectronisme, 30 %
// débutant, 22 % à consolider, 13 % autonome, fewer at the low end among
// people with email). About a quarter were assessed twice, the later result
// usually one tier up. Seven in ten come from a profiles collection (pix
// total), the rest from an assessment campaign (mastery rate), dated within
// the last 14 months. Written through store::SkillsWriter in audited batches,
// with the default tiers (domain::kDefaultSkillTiers).
Expected<SkillsSummary> LoadSkills(store::Store& store, const City& city, uint64_t seed,
                                   int64_t now_ms);

}  // namespace parc::demo
