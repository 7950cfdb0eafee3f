// A deterministic demo city for `parcd demo`, the dashboard, screenshots and
// benchmarks: a city like Rennes with its departments, sites, staff (many of
// them without email, mostly in technical services), devices and allocations.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "common/error.h"
#include "daemon/store/store.h"

namespace parc::demo {

struct DemoSize {
  int staff = 6500;    // agents; 29/65 of them (2,900 of 6,500) have no email
  int devices = 3000;  // ~50% tablets, ~40% smartphones, ~10% shared PCs
  int sites = 40;      // past 40, site names repeat with a number ("CTM-NORD-2")
  uint64_t seed = 42;  // same seed and sizes -> the same data, row for row
  // Where the demo's training content files go (Config::ContentDir()); empty:
  // no training modules in the demo.
  std::string content_dir;
};

// What was written. Every device with lifecycle `assigned` has exactly one open
// allocation (personal, site pool or loan) and no other device has one.
struct DemoSummary {
  int sites = 0;
  int agents = 0;
  int agents_without_email = 0;
  int agents_in_wave_1 = 0;
  int devices = 0;
  int personal = 0;   // open personal allocations, first to wave 1 staff
  int site_pool = 0;  // open site-pool allocations (shared PCs)
  int loans = 0;      // open loans, `overdue_loans` of them past due
  int overdue_loans = 0;
  int in_stock = 0, in_repair = 0, lost = 0, retired = 0;
  int closed_allocations = 0;  // history of the devices now in repair or lost
  // Devices in use that run parc-agent (~85 % of them), with their reports
  // (demo_fleet.h): `never_checked_in` of them silent since enrollment,
  // `stale` last seen 8 days ago or more.
  int enrolled = 0, never_checked_in = 0, stale = 0;
  // People with Pix results (demo_skills.h), all results including earlier
  // ones, and current tiers from illectronisme to autonome.
  int assessed = 0, assessments = 0;
  std::array<int, 4> assessed_by_tier{};
  // Training (demo_training.h): published modules, their assignments, and
  // progress events from the people whose device carries them.
  int modules = 0, module_assignments = 0, progress_events = 0;
  int transactions = 0;
};

// Writes the demo data through `store`'s Writer, in transactions of 50,000
// agents or 20,000 devices (with their allocations), each with one "demo.load"
// audit event (actor "demo"); every
// record is Normalize()d and Validate()d first. Requires a database with no
// agent, device or site yet (FAILED_PRECONDITION otherwise); INVALID_ARGUMENT
// for a size below 1 staff, 1 site or 0 devices. On error, transactions
// already committed stay. Allocations start before `now_ms`; some loans are
// overdue relative to it.
Expected<DemoSummary> LoadDemo(store::Store& store, const DemoSize& size, int64_t now_ms);

}  // namespace parc::demo
