// Skill tiers: the mapping from a Pix result to a named level of digital
// autonomy ("illectronisme" ... "autonome"). Configured by one string (config
// key `skill_tiers`), so that parcd's configuration can check it at start-up
// without the rest of the domain. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace parc::domain {

// One tier. A result belongs to the highest tier whose minimum it reaches:
// `min_pix` for a profiles collection (the "Nombre de pix total"),
// `min_mastery` (0..1) for an assessment campaign (the overall mastery rate).
struct TierSpec {
  std::string code;  // lower case letters, digits and '-': "a-consolider"
  std::string name;  // French label: "À consolider"
  int min_pix = 0;
  double min_mastery = 0;
};

// The default table, lowest first: below 64 pix (an average competence level
// under 0.5) or 25 % mastery is "illectronisme"; 64 / 25 % "débutant"; 192 /
// 50 % "à consolider"; 320 pix (an average level of 2.5 out of 5 reachable)
// or 75 % "autonome".
inline constexpr std::string_view kDefaultSkillTiers =
    "illectronisme:Illectronisme:0:0; debutant:Débutant:64:25; "
    "a-consolider:À consolider:192:50; autonome:Autonome:320:75";

// Parses "code:Name:min_pix:min_mastery_percent; ..." (lowest tier first).
// INVALID_ARGUMENT, naming the entry, unless: every entry has four fields, a
// code of [a-z0-9-] and a name, codes are unique, the first tier starts at 0
// and 0 % (every result has a tier), minimums are integers (pix 0..1024,
// percent 0..100) and strictly increase from one tier to the next.
Expected<std::vector<TierSpec>> ParseSkillTiers(std::string_view spec);

// The tier of a pix total / of a mastery rate (0..1). `tiers` as returned by
// ParseSkillTiers (non-empty, ascending).
const TierSpec& TierForPix(const std::vector<TierSpec>& tiers, int pix);
const TierSpec& TierForMastery(const std::vector<TierSpec>& tiers, double mastery);

}  // namespace parc::domain
