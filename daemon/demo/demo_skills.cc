#include "daemon/demo/demo_skills.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "common/logging.h"
#include "common/time.h"
#include "daemon/domain/skill_tiers.h"

namespace parc::demo {
namespace {

constexpr int kPeoplePerTransaction = 50'000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kMaxPix = 640;  // 16 competences at level 5, the usual reachable maximum

// The campaigns the city ran: an older and a recent profiles collection, and
// an assessment campaign on the "socle" profile (areas 1 and 4).
struct Campaign {
  const char* code;
  int64_t id;
  bool profiles;
};
constexpr Campaign kOldProfiles = {"COLLEC207", 70321, true};
constexpr Campaign kProfiles = {"COLLEC481", 81234, true};
constexpr Campaign kAssessment = {"EVALNU237", 81502, false};
constexpr std::array<const char*, 5> kAreas = {
    "Information et données", "Communication et collaboration", "Création de contenu",
    "Protection et sécurité", "Environnement numérique"};

// A tier index drawn with the given weights (per mille, summing to 1000).
int DrawTier(Random& rng, const std::array<int, 4>& weights) {
  int roll = static_cast<int>(rng.Below(1000));
  for (int t = 0; t < 3; ++t) {
    if ((roll -= weights[t]) < 0) return t;
  }
  return 3;
}

// One result inside tier `t`, and its areas.
v1::SkillAssessment Result(const std::vector<domain::TierSpec>& tiers, int t,
                           const Campaign& campaign, int64_t at_ms, Random& rng) {
  v1::SkillAssessment a;
  ToTimestamp(at_ms, a.mutable_assessed_at());
  a.set_source("pix");
  a.set_campaign_code(campaign.code);
  a.set_campaign_id(campaign.id);
  a.set_campaign_kind(campaign.profiles ? "profiles_collection" : "assessment");
  const bool last = t + 1 == static_cast<int>(tiers.size());
  if (campaign.profiles) {
    int lo = tiers[t].min_pix, hi = last ? kMaxPix / 2 + 96 : tiers[t + 1].min_pix - 1;
    int pix = static_cast<int>(rng.Between(lo, hi));
    a.set_pix_score(pix);
    a.set_mastery(-1);
    a.set_tier(domain::TierForPix(tiers, pix).code);
    const double mean = pix / 128.0;  // 16 competences x 8 pix per level
    for (int area = 1; area <= 5; ++area) {
      double level = std::clamp(mean + (rng.Unit() - 0.5) * 1.4, 0.0, 5.0);
      auto* d = a.add_domains();
      d->set_area_code(area);
      d->set_area_title(kAreas[area - 1]);
      d->set_level(static_cast<int>(std::lround(level)));
      d->set_mastery(-1);
    }
  } else {
    int lo = static_cast<int>(std::lround(tiers[t].min_mastery * 100));
    int hi = last ? 100 : static_cast<int>(std::lround(tiers[t + 1].min_mastery * 100)) - 1;
    double mastery = static_cast<double>(rng.Between(lo, hi)) / 100.0;
    a.set_pix_score(-1);
    a.set_mastery(mastery);
    a.set_tier(domain::TierForMastery(tiers, mastery).code);
    for (int area : {1, 4}) {
      double m = std::clamp(mastery + (rng.Unit() - 0.5) * 0.3, 0.0, 1.0);
      auto* d = a.add_domains();
      d->set_area_code(area);
      d->set_area_title(kAreas[area - 1]);
      d->set_level(-1);
      d->set_mastery(std::round(m * 100) / 100);
    }
  }
  return a;
}

// The results of person `i` (oldest first; empty when not assessed).
std::vector<v1::SkillAssessment> PlanPerson(const std::vector<domain::TierSpec>& tiers,
                                            const AgentPlan& p, Random& rng, int64_t now_ms) {
  const double share = p.wave == 1 ? 0.80 : p.wave == 2 ? 0.60 : p.wave == 3 ? 0.35 : 0.03;
  if (p.left || rng.Unit() >= share) return {};
  const std::array<int, 4> weights =
      p.email ? std::array<int, 4>{120, 260, 340, 280} : std::array<int, 4>{380, 310, 200, 110};
  int tier = DrawTier(rng, weights);
  std::vector<v1::SkillAssessment> out;
  const bool twice = tier > 0 && rng.Unit() < 0.30;
  if (twice) {  // an earlier result, usually one tier lower, from the older campaign
    int earlier = rng.Unit() < 0.8 ? tier - 1 : tier;
    int64_t at = now_ms - rng.Between(250, 420) * kDayMs - rng.Between(0, 8 * 3600) * 1000;
    out.push_back(Result(tiers, earlier, kOldProfiles, at, rng));
  }
  const Campaign& campaign = rng.Unit() < 0.7 ? kProfiles : kAssessment;
  int64_t at =
      now_ms - rng.Between(2, twice ? 200 : 420) * kDayMs - rng.Between(0, 8 * 3600) * 1000;
  out.push_back(Result(tiers, tier, campaign, at, rng));
  return out;
}

}  // namespace

Expected<SkillsSummary> LoadSkills(store::Store& store, const City& city, uint64_t seed,
                                   int64_t now_ms) {
  PARC_ASSIGN_OR_RETURN(auto tiers, domain::ParseSkillTiers(domain::kDefaultSkillTiers));
  Random rng(seed ^ 0x5049584445ULL);  // "PIXDE": its own stream, the rest of the demo unchanged
  SkillsSummary out;
  const auto start = std::chrono::steady_clock::now();
  const int staff = static_cast<int>(city.agents.size());
  for (int begin = 0; begin < staff; begin += kPeoplePerTransaction) {
    const int end = std::min(staff, begin + kPeoplePerTransaction);
    int written = 0;
    ++out.transactions;
    PARC_TRY(store.Write([&](store::Writer& w) -> Status {
      store::SkillsWriter& skills = w.skills_writer();
      for (int i = begin; i < end; ++i) {
        std::vector<v1::SkillAssessment> results = PlanPerson(tiers, city.agents[i], rng, now_ms);
        if (results.empty()) continue;
        const std::string number = EmployeeNumber(i);
        for (v1::SkillAssessment& a : results) {
          a.set_employee_number(number);
          ToTimestamp(now_ms, a.mutable_imported_at());
          PARC_TRY(skills.InsertAssessment(a));
        }
        PARC_TRY(skills.RefreshCurrentTier(number));
        const std::string& current = results.back().tier();
        for (size_t t = 0; t < tiers.size() && t < out.current_by_tier.size(); ++t) {
          out.current_by_tier[t] += tiers[t].code == current;
        }
        ++out.assessed;
        out.assessments += static_cast<int>(results.size());
        ++written;
      }
      v1::AuditEvent event;
      ToTimestamp(now_ms, event.mutable_at());
      event.set_actor("demo");
      event.set_action("demo.load");
      event.set_target("demo");
      event.set_summary(
          fmt::format("pix results of {} people among staff {}-{}", written, begin + 1, end));
      PARC_TRY(w.AppendAudit(event));
      return Ok();
    }));
  }
  static const auto log = Logger("demo");
  log->info("demo pix results people={} results={} transactions={} ms={}", out.assessed,
            out.assessments, out.transactions,
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count());
  return out;
}

}  // namespace parc::demo
