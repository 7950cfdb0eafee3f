#include "daemon/demo/demo_fleet.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "common/crypto.h"
#include "common/time.h"
#include "daemon/demo/demo_plan.h"
#include "parc/v1/device.pb.h"

namespace parc::demo {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr size_t kPerTransaction = 20'000;

// Days since the last report: most devices check in every few minutes; some
// went silent (past the 7-day stale threshold).
constexpr std::array<int, 9> kSilentDays = {0, 0, 0, 0, 0, 1, 3, 12, 35};

// Most common first, so the first one is the fleet's reference version.
std::string OsVersion(v1::DeviceKind kind, Random& rng) {
  uint64_t r = rng.Below(100);
  if (kind == v1::DEVICE_KIND_SHARED_PC) return r < 80 ? "10.0.22631" : "10.0.19045";
  if (kind == v1::DEVICE_KIND_SMARTPHONE) return r < 75 ? "14" : (r < 95 ? "13" : "12");
  return r < 70 ? "14" : (r < 92 ? "13" : "12");
}

std::string AgentVersion(Random& rng) {
  uint64_t r = rng.Below(100);
  return r < 75 ? "0.3.0" : (r < 95 ? "0.2.1" : "0.1.0");
}

struct Planned {
  int64_t device_id = 0;
  v1::CheckInRequest request;
  std::string holder;
};

}  // namespace

Expected<FleetSummary> LoadFleet(store::Store& store, const std::vector<FleetDevice>& devices,
                                 const std::vector<std::string>& other_staff, uint64_t seed,
                                 int64_t now_ms) {
  // A generator of its own, so the rest of the demo does not change with it.
  Random rng(seed ^ 0x9e3779b97f4a7c15ULL);
  FleetSummary out;
  std::vector<const FleetDevice*> enrolled;
  for (const FleetDevice& d : devices) {
    if (rng.Below(100) < 85) enrolled.push_back(&d);
  }
  // Credentials nobody holds (a hash of a fresh random secret): the demo
  // devices show as enrolled, no real agent can speak for them.
  for (size_t begin = 0; begin < enrolled.size(); begin += kPerTransaction) {
    size_t end = std::min(enrolled.size(), begin + kPerTransaction);
    ++out.transactions;
    PARC_TRY(store.Write([&](store::Writer& w) -> Status {
      for (size_t i = begin; i < end; ++i) {
        PARC_ASSIGN_OR_RETURN(std::string secret, NewSecret("parcdev_"));
        int64_t enrolled_at = now_ms - (40 + static_cast<int64_t>(rng.Below(80))) * kDayMs;
        PARC_TRY(w.SetDeviceCredential(enrolled[i]->id, Sha256Hex(secret), enrolled_at));
      }
      v1::AuditEvent event;
      ToTimestamp(now_ms, event.mutable_at());
      event.set_actor("demo");
      event.set_action("demo.load");
      event.set_target("demo");
      event.set_summary(
          fmt::format("enrolled devices {}-{} of {}", begin + 1, end, enrolled.size()));
      PARC_TRY(w.AppendAudit(event));
      return Ok();
    }));
  }
  out.enrolled = static_cast<int>(enrolled.size());

  // The reports, a chunk of devices at a time (bounded memory), each chunk
  // grouped by the day its reports arrived: RecordReports dates a batch.
  for (size_t begin = 0; begin < enrolled.size(); begin += kPerTransaction) {
    size_t end = std::min(enrolled.size(), begin + kPerTransaction);
    std::map<int, std::vector<Planned>> by_day;
    for (size_t i = begin; i < end; ++i) {
      const FleetDevice* d = enrolled[i];
      if (rng.Below(100) < 6) {
        ++out.never_checked_in;
        continue;
      }
      int days = kSilentDays[rng.Below(kSilentDays.size())];
      out.stale += days >= 8;
      int64_t seen = now_ms - days * kDayMs - static_cast<int64_t>(rng.Below(50)) * 60'000;
      Planned p{.device_id = d->id, .request = {}, .holder = d->holder};
      v1::Report* report = p.request.add_reports();
      report->set_sequence(1);
      ToTimestamp(seen, report->mutable_collected_at());
      v1::StatusReport* s = report->mutable_status();
      bool low_battery = rng.Below(100) < 8;
      s->set_battery_percent(
          static_cast<int32_t>(low_battery ? rng.Between(3, 19) : rng.Between(20, 100)));
      s->set_charging(rng.Below(4) == 0);
      out.low_battery += low_battery;
      const int64_t total = d->kind == v1::DEVICE_KIND_SHARED_PC ? 256LL << 30 : 64LL << 30;
      bool low_storage = rng.Below(100) < 6;
      int64_t free_percent = low_storage ? rng.Between(1, 9) : rng.Between(15, 70);
      s->set_storage_total_bytes(total);
      s->set_storage_free_bytes(total / 100 * free_percent);
      out.low_storage += low_storage;
      s->set_os_name(d->kind == v1::DEVICE_KIND_SHARED_PC ? "Windows" : "Android");
      s->set_os_version(OsVersion(d->kind, rng));
      s->set_agent_version(AgentVersion(rng));
      s->set_ip_address(
          fmt::format("10.{}.{}.{}", 20 + d->id % 40, (d->id / 40) % 250 + 1, d->id % 250 + 2));
      // Who is logged in: the holder mostly, sometimes someone else; anyone
      // from the staff on half of the shared PCs.
      std::string user = d->holder;
      if (!other_staff.empty()) {
        bool foreign = d->holder.empty() ? rng.Below(2) == 0 : rng.Below(100) < 3;
        if (foreign) user = other_staff[rng.Below(other_staff.size())];
        if (!d->holder.empty() && user != d->holder) ++out.used_by_someone_else;
      }
      s->set_current_user(user);
      if (!user.empty()) {
        v1::Report* login = p.request.add_reports();
        login->set_sequence(2);
        ToTimestamp(seen, login->mutable_collected_at());
        login->mutable_usage()->set_employee_number(user);
        login->mutable_usage()->set_login(true);
      }
      by_day[days].push_back(std::move(p));
    }
    for (auto& [days, planned] : by_day) {
      std::vector<store::DeviceReports> batch;
      batch.reserve(planned.size());
      for (Planned& p : planned) {
        batch.push_back(
            {.device_id = p.device_id, .request = &p.request, .holder_employee_number = p.holder});
      }
      ++out.transactions;
      auto stored = store.RecordReports(batch, now_ms - days * kDayMs);
      if (!stored) return std::unexpected(stored.error());
    }
  }
  return out;
}

}  // namespace parc::demo
