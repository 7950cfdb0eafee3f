// Allocations: one open per device (enforced by the database), history kept,
// holders derived, listing newest first with filters.
#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

std::vector<v1::Allocation> Allocations(Store& store, const AllocationFilter& filter) {
  return Get<std::vector<v1::Allocation>>(store,
                                          [&](Reader& r) { return r.ListAllocations(filter); });
}

std::vector<int64_t> Ids(const std::vector<v1::Allocation>& allocations) {
  std::vector<int64_t> out;
  for (const auto& a : allocations) out.push_back(a.id());
  return out;
}

TEST_P(StoreTest, AllocationRoundTripCarriesDeviceAndAgentDetails) {
  Add(MakeAgent("E1"));
  int64_t device = Add(MakeDevice("SN1", "VDR-1"));
  v1::Allocation loan = MakeLoan(device, "E1", "2026-12-01");
  loan.set_notes("pour la formation");
  loan.set_id(Add(loan));

  auto open = Get<std::optional<v1::Allocation>>(
      store(), [&](Reader& r) { return r.FindOpenAllocation(device); });
  ASSERT_TRUE(open);
  v1::Allocation expected = loan;
  expected.set_device_serial("SN1");
  expected.set_device_asset_tag("VDR-1");
  expected.set_agent_name("Anne Le Goff");
  EXPECT_EQ(open->SerializeAsString(), expected.SerializeAsString());
}

TEST_P(StoreTest, DeviceShowsHolderOfItsOpenAllocation) {
  Add(MakeAgent("E1"));
  int64_t personal = Add(MakeDevice("SN1"));
  int64_t shared = Add(MakeDevice("SN2"));
  Add(MakePersonal(personal, "E1"));
  v1::Allocation pool;
  pool.set_device_id(shared);
  pool.set_kind(v1::ALLOCATION_KIND_SITE);
  pool.set_site("MAIRIE");
  SetTime(pool.mutable_started_at(), kNowMs);
  Add(pool);

  auto devices = Get<std::vector<v1::Device>>(store(), [](Reader& r) { return r.ListDevices({}); });
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].holder_employee_number(), "E1");
  EXPECT_EQ(devices[1].holder_site(), "MAIRIE");
  EXPECT_EQ(devices[1].holder_employee_number(), "");
}

TEST_P(StoreTest, RefusesSecondOpenAllocationForDevice) {
  Add(MakeAgent("E1"));
  Add(MakeAgent("E2"));
  int64_t device = Add(MakeDevice("SN1"));
  Add(MakePersonal(device, "E1"));
  Status second =
      Audited([&](Writer& w) { return Discard(w.InsertAllocation(MakePersonal(device, "E2"))); });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(second.error().message, "device already has an open allocation");
}

TEST_P(StoreTest, DatabaseRefusesSecondOpenAllocationEvenInsertedDirectly) {
  int64_t device = Add(MakeDevice("SN1"));
  const std::string insert = "INSERT INTO allocations (device_id, kind, started_at) VALUES (" +
                             std::to_string(device) + ", 2, 1)";
  ASSERT_TRUE(ExecRaw(insert));
  EXPECT_FALSE(ExecRaw(insert));
}

TEST_P(StoreTest, ClosingThenReopeningKeepsHistory) {
  Add(MakeAgent("E1"));
  Add(MakeAgent("E2"));
  int64_t device = Add(MakeDevice("SN1"));
  int64_t first = Add(MakePersonal(device, "E1"));

  v1::Allocation ret;
  ret.set_device_id(device);
  SetTime(ret.mutable_ended_at(), kNowMs + 60'000);
  ret.set_ended_by("logistique");
  ret.set_return_condition("écran fêlé");
  ret.set_returned_to(v1::LIFECYCLE_IN_REPAIR);
  ASSERT_TRUE(Audited([&](Writer& w) { return w.CloseAllocation(ret); }));
  int64_t second = Add(MakePersonal(device, "E2"));

  AllocationFilter history;
  history.device_id = device;
  auto rows = Allocations(store(), history);
  ASSERT_EQ(Ids(rows), (std::vector<int64_t>{second, first}));
  EXPECT_FALSE(rows[0].has_ended_at());
  EXPECT_EQ(rows[1].employee_number(), "E1");
  EXPECT_EQ(rows[1].return_condition(), "écran fêlé");
  EXPECT_EQ(rows[1].returned_to(), v1::LIFECYCLE_IN_REPAIR);
  EXPECT_EQ(FromTimestamp(rows[1].ended_at()), kNowMs + 60'000);
  // A closed allocation is history: the schema refuses to rewrite or delete it.
  EXPECT_FALSE(ExecRaw("UPDATE allocations SET notes = 'x' WHERE id = " + std::to_string(first)));
  EXPECT_FALSE(ExecRaw("DELETE FROM allocations WHERE id = " + std::to_string(first)));
}

TEST_P(StoreTest, ClosingWithoutOpenAllocationIsNotFound) {
  int64_t device = Add(MakeDevice("SN1"));
  v1::Allocation ret;
  ret.set_device_id(device);
  SetTime(ret.mutable_ended_at(), kNowMs);
  Status closed = Audited([&](Writer& w) { return w.CloseAllocation(ret); });
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, AllocationToUnknownAgentIsNotFound) {
  int64_t device = Add(MakeDevice("SN1"));
  Status inserted =
      Audited([&](Writer& w) { return Discard(w.InsertAllocation(MakePersonal(device, "E999"))); });
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(inserted.error().message, "employee_number: unknown agent E999");
}

TEST_P(StoreTest, ListsAllocationsNewestFirstInPages) {
  Add(MakeAgent("E1"));
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(Add(MakePersonal(Add(MakeDevice("SN" + std::to_string(i))), "E1")));
  AllocationFilter filter;
  filter.page.limit = 2;
  std::vector<int64_t> seen;
  for (int page = 0; page < 3; ++page) {
    auto rows = Allocations(store(), filter);
    for (const auto& a : rows) seen.push_back(a.id());
    if (!rows.empty()) filter.page.after_id = rows.back().id();
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
}

TEST_P(StoreTest, FiltersOverdueLoansAndDepartmentScope) {
  Add(MakeAgent("E1", "EAU"));
  Add(MakeAgent("E2", "VOIRIE"));
  int64_t late = Add(MakeLoan(Add(MakeDevice("SN1")), "E1", "2026-03-01"));
  int64_t on_time = Add(MakeLoan(Add(MakeDevice("SN2")), "E2", "2026-09-01"));
  int64_t personal = Add(MakePersonal(Add(MakeDevice("SN3", "", "VOIRIE")), "E1"));
  v1::Allocation pool;
  pool.set_device_id(Add(MakeDevice("SN4", "", "PROPRETE")));
  pool.set_kind(v1::ALLOCATION_KIND_SITE);
  pool.set_site("MAIRIE");
  SetTime(pool.mutable_started_at(), kNowMs);
  int64_t shared = Add(pool);

  using V = std::vector<int64_t>;
  auto with = [&](auto set) {
    AllocationFilter f;
    set(f);
    return Ids(Allocations(store(), f));
  };
  EXPECT_EQ(with([](AllocationFilter& f) { f.overdue_before = "2026-06-01"; }), V{late});
  EXPECT_EQ(with([](AllocationFilter& f) { f.employee_number = "E2"; }), V{on_time});
  EXPECT_EQ(with([](AllocationFilter& f) { f.site = "MAIRIE"; }), V{shared});
  // By the agent's department or the device's.
  EXPECT_EQ(with([](AllocationFilter& f) { f.department = "VOIRIE"; }), (V{personal, on_time}));
  EXPECT_EQ(with([](AllocationFilter& f) {
              f.departments = {"PROPRETE", "EAU"};
            }),
            (V{shared, personal, late}));
  EXPECT_EQ(with([](AllocationFilter& f) { f.open_only = true; }).size(), 4u);
}

}  // namespace
}  // namespace parc::store::testing
