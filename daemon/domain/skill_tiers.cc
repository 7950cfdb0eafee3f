#include "daemon/domain/skill_tiers.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace parc::domain {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t at = text.find(sep);
    parts.push_back(Trim(text.substr(0, at)));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

bool ParseInt(std::string_view text, int min, int max, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() && out >= min &&
         out <= max;
}

bool IsCode(std::string_view code) {
  return !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A mastery rate in hundredths of a percent, so that 0.25 reaches 25 % exactly.
long Basis(double mastery) { return std::lround(mastery * 10000); }

}  // namespace

Expected<std::vector<TierSpec>> ParseSkillTiers(std::string_view spec) {
  std::vector<TierSpec> tiers;
  if (Trim(spec).empty()) return Fail(ErrorCode::kInvalidArgument, "no tier given");
  for (std::string_view entry : Split(spec, ';')) {
    auto bad = [&](std::string_view why) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("tier '{}': {}", entry, why));
    };
    std::vector<std::string_view> fields = Split(entry, ':');
    if (fields.size() != 4) return bad("expected code:Name:min_pix:min_mastery_percent");
    TierSpec tier{.code = std::string(fields[0]), .name = std::string(fields[1])};
    if (!IsCode(tier.code)) return bad("the code must be lower case letters, digits and '-'");
    if (tier.name.empty()) return bad("the name is empty");
    int percent = 0;
    if (!ParseInt(fields[2], 0, 1024, tier.min_pix)) return bad("min_pix is not 0..1024");
    if (!ParseInt(fields[3], 0, 100, percent)) return bad("min_mastery is not a percent 0..100");
    tier.min_mastery = percent / 100.0;
    for (const TierSpec& before : tiers) {
      if (before.code == tier.code) return bad("the code is used twice");
    }
    if (tiers.empty() && (tier.min_pix != 0 || percent != 0)) {
      return bad("the first tier must start at 0 pix and 0 %, so that every result has a tier");
    }
    if (!tiers.empty() && (tier.min_pix <= tiers.back().min_pix ||
                           Basis(tier.min_mastery) <= Basis(tiers.back().min_mastery))) {
      return bad("minimums must increase from one tier to the next (lowest tier first)");
    }
    tiers.push_back(std::move(tier));
  }
  return tiers;
}

const TierSpec& TierForPix(const std::vector<TierSpec>& tiers, int pix) {
  const TierSpec* found = &tiers.front();
  for (const TierSpec& tier : tiers) {
    if (pix >= tier.min_pix) found = &tier;
  }
  return *found;
}

const TierSpec& TierForMastery(const std::vector<TierSpec>& tiers, double mastery) {
  const TierSpec* found = &tiers.front();
  for (const TierSpec& tier : tiers) {
    if (Basis(mastery) >= Basis(tier.min_mastery)) found = &tier;
  }
  return *found;
}

}  // namespace parc::domain
