// Agents, devices and sites: round trips, unique keys, paging and filters.
#include <set>

#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

std::vector<std::string> Numbers(const std::vector<v1::Agent>& agents) {
  std::vector<std::string> out;
  for (const auto& a : agents) out.push_back(a.employee_number());
  return out;
}

std::vector<v1::Agent> Agents(Store& store, const AgentFilter& filter) {
  return Get<std::vector<v1::Agent>>(store, [&](Reader& r) { return r.ListAgents(filter); });
}

std::vector<std::string> Serials(Store& store, const DeviceFilter& filter) {
  auto devices =
      Get<std::vector<v1::Device>>(store, [&](Reader& r) { return r.ListDevices(filter); });
  std::vector<std::string> out;
  for (const auto& d : devices) out.push_back(d.serial());
  return out;
}

TEST_P(StoreTest, AgentRoundTripsThroughInsertFindAndUpdate) {
  v1::Agent agent = MakeAgent("E004512");
  agent.set_badge("B-77");
  agent.set_has_email(false);
  agent.set_id(Add(agent));
  ASSERT_GT(agent.id(), 0);

  auto found =
      Get<std::optional<v1::Agent>>(store(), [](Reader& r) { return r.FindAgent("E004512"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->SerializeAsString(), agent.SerializeAsString());

  agent.set_department("ESPACES-VERTS");
  agent.set_status(v1::AGENT_STATUS_LEFT);
  SetTime(agent.mutable_updated_at(), kNowMs + 1000);
  ASSERT_TRUE(Audited([&](Writer& w) { return w.UpdateAgent(agent); }));
  found = Get<std::optional<v1::Agent>>(store(), [](Reader& r) { return r.FindAgent("E004512"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->SerializeAsString(), agent.SerializeAsString());
  EXPECT_FALSE(Get<std::optional<v1::Agent>>(store(), [](Reader& r) { return r.FindAgent("E0"); }));
}

TEST_P(StoreTest, DeviceRoundTripsAndIsFoundBySerialOrAssetTag) {
  v1::Device device = MakeDevice("SN123", "VDR-0001", "PROPRETE");
  device.set_purchase_date("2026-01-15");
  device.set_warranty_end("2029-01-15");
  device.set_notes("coque renforcée");
  device.set_id(Add(device));

  for (const char* key : {"SN123", "VDR-0001"}) {
    auto found =
        Get<std::optional<v1::Device>>(store(), [&](Reader& r) { return r.FindDevice(key); });
    ASSERT_TRUE(found) << key;
    EXPECT_EQ(found->SerializeAsString(), device.SerializeAsString());
  }
  device.set_lifecycle(v1::LIFECYCLE_IN_REPAIR);
  device.set_asset_tag("VDR-0002");
  ASSERT_TRUE(Audited([&](Writer& w) { return w.UpdateDevice(device); }));
  auto by_id = Get<std::optional<v1::Device>>(
      store(), [&](Reader& r) { return r.FindDeviceById(device.id()); });
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->lifecycle(), v1::LIFECYCLE_IN_REPAIR);
  EXPECT_EQ(by_id->asset_tag(), "VDR-0002");
  EXPECT_FALSE(Get<std::optional<v1::Device>>(store(), [](Reader& r) { return r.FindDevice(""); }));
}

TEST_P(StoreTest, SiteRoundTripsThroughInsertFindAndUpdate) {
  v1::Site site;
  site.set_code("CTM-NORD");
  site.set_name("Centre technique nord");
  site.set_address("12 rue de Saint-Malo, Rennes");
  site.set_id(Add(site));
  site.set_name("CTM Nord");
  ASSERT_TRUE(Audited([&](Writer& w) { return w.UpdateSite(site); }));
  auto found =
      Get<std::optional<v1::Site>>(store(), [](Reader& r) { return r.FindSite("CTM-NORD"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->SerializeAsString(), site.SerializeAsString());
}

TEST_P(StoreTest, RefusesDuplicateEmployeeNumberNamingTheField) {
  Add(MakeAgent("E1"));
  Status dup = Audited([](Writer& w) { return Discard(w.InsertAgent(MakeAgent("E1"))); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().message, "employee_number: already exists: E1");
}

TEST_P(StoreTest, RefusesDuplicateSerialAndAssetTagNamingTheField) {
  Add(MakeDevice("SN123", "VDR-1"));
  Add(MakeDevice("SN124"));
  Add(MakeDevice("SN125"));  // empty asset tags never collide

  Status serial =
      Audited([](Writer& w) { return Discard(w.InsertDevice(MakeDevice("SN123", "X"))); });
  ASSERT_FALSE(serial);
  EXPECT_EQ(serial.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(serial.error().message, "serial: already exists: SN123");

  Status tag =
      Audited([](Writer& w) { return Discard(w.InsertDevice(MakeDevice("SN9", "VDR-1"))); });
  ASSERT_FALSE(tag);
  EXPECT_EQ(tag.error().message, "asset_tag: already exists: VDR-1");

  Status site = Audited([](Writer& w) -> Status {
    v1::Site s;
    s.set_code("A");
    PARC_TRY(w.InsertSite(s));
    return Discard(w.InsertSite(s));
  });
  ASSERT_FALSE(site);
  EXPECT_EQ(site.error().message, "code: already exists: A");
}

TEST_P(StoreTest, UpdatingAMissingRowIsNotFound) {
  v1::Agent ghost = MakeAgent("E404");
  ghost.set_id(404);
  Status updated = Audited([&](Writer& w) { return w.UpdateAgent(ghost); });
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, RefusesDeviceKeyThatIsOneSerialAndAnotherAssetTag) {
  Add(MakeDevice("AAA", "BBB"));
  Add(MakeDevice("BBB", "CCC"));
  Status read = store().Read([](Reader& r) { return Discard(r.FindDevice("BBB")); });
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreTest, PagesThroughAgentsWithoutDuplicatesOrGaps) {
  for (int i = 0; i < 7; ++i) Add(MakeAgent("E" + std::to_string(100 + i)));
  std::set<std::string> seen;
  AgentFilter filter;
  filter.page.limit = 3;
  int pages = 0;
  while (true) {
    auto page = Agents(store(), filter);
    if (page.empty()) break;
    ++pages;
    for (const auto& a : page) EXPECT_TRUE(seen.insert(a.employee_number()).second);
    filter.page.after_id = page.back().id();
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);
}

TEST_P(StoreTest, FiltersAgentsByEachFieldAndDepartmentScope) {
  v1::Agent a = MakeAgent("E1", "PROPRETE");
  v1::Agent b = MakeAgent("E2", "EAU");
  b.set_site("CTM-SUD");
  b.set_wave("vague-2");
  b.set_advisor("nadia");
  b.set_has_email(true);
  v1::Agent c = MakeAgent("E3", "VOIRIE");
  c.set_status(v1::AGENT_STATUS_LEFT);
  for (const auto& agent : {a, b, c}) Add(agent);

  auto with = [&](auto set) {
    AgentFilter f;
    set(f);
    return Numbers(Agents(store(), f));
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(with([](AgentFilter& f) { f.department = "EAU"; }), V{"E2"});
  EXPECT_EQ(with([](AgentFilter& f) { f.site = "CTM-SUD"; }), V{"E2"});
  EXPECT_EQ(with([](AgentFilter& f) { f.wave = "vague-1"; }), (V{"E1", "E3"}));
  EXPECT_EQ(with([](AgentFilter& f) { f.advisor = "nadia"; }), V{"E2"});
  EXPECT_EQ(with([](AgentFilter& f) { f.status = v1::AGENT_STATUS_LEFT; }), V{"E3"});
  EXPECT_EQ(with([](AgentFilter& f) { f.without_email_only = true; }), (V{"E1", "E3"}));
  EXPECT_EQ(with([](AgentFilter& f) { f.departments = {"PROPRETE", "VOIRIE"}; }), (V{"E1", "E3"}));
  EXPECT_EQ(with([](AgentFilter& f) {
              f.departments = {"PROPRETE"};
              f.department = "EAU";
            }),
            V{});
}

TEST_P(StoreTest, FreeTextMatchesPercentAndUnderscoreLiterally) {
  v1::Agent plain = MakeAgent("E1");
  plain.set_last_name("Martin");
  v1::Agent odd = MakeAgent("E2");
  odd.set_last_name("Taux_100%");
  Add(plain);
  Add(odd);
  using V = std::vector<std::string>;
  auto query = [&](const std::string& text) {
    AgentFilter f;
    f.query = text;
    return Numbers(Agents(store(), f));
  };
  EXPECT_EQ(query("%"), V{"E2"});
  EXPECT_EQ(query("_"), V{"E2"});
  EXPECT_EQ(query("mart"), V{"E1"});  // case-insensitive, anywhere
  EXPECT_EQ(query("e2"), V{"E2"});
  EXPECT_EQ(query("x' OR 1=1 --"), V{});
}

TEST_P(StoreTest, FiltersDevicesByKindLifecycleSiteTextAndScope) {
  v1::Device phone = MakeDevice("PH-1", "VDR-10", "EAU");
  phone.set_kind(v1::DEVICE_KIND_SMARTPHONE);
  v1::Device pc = MakeDevice("PC-1", "VDR-20", "PROPRETE");
  pc.set_kind(v1::DEVICE_KIND_SHARED_PC);
  pc.set_site("MAIRIE");
  pc.set_lifecycle(v1::LIFECYCLE_RETIRED);
  pc.set_model("ThinkCentre 50%");
  v1::Device tab = MakeDevice("TB-1", "", "VOIRIE");
  for (const auto& d : {phone, pc, tab}) Add(d);

  auto with = [&](auto set) {
    DeviceFilter f;
    set(f);
    return Serials(store(), f);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(with([](DeviceFilter& f) { f.kind = v1::DEVICE_KIND_SMARTPHONE; }), V{"PH-1"});
  EXPECT_EQ(with([](DeviceFilter& f) { f.lifecycle = v1::LIFECYCLE_RETIRED; }), V{"PC-1"});
  EXPECT_EQ(with([](DeviceFilter& f) { f.site = "MAIRIE"; }), V{"PC-1"});
  EXPECT_EQ(with([](DeviceFilter& f) { f.department = "VOIRIE"; }), V{"TB-1"});
  EXPECT_EQ(with([](DeviceFilter& f) { f.departments = {"EAU", "VOIRIE"}; }), (V{"PH-1", "TB-1"}));
  EXPECT_EQ(with([](DeviceFilter& f) { f.query = "vdr-"; }), (V{"PH-1", "PC-1"}));
  EXPECT_EQ(with([](DeviceFilter& f) { f.query = "50%"; }), V{"PC-1"});
  EXPECT_EQ(with([](DeviceFilter& f) { f.query = "0%"; }), V{"PC-1"});
}

TEST_P(StoreTest, FiltersSitesByCodeOrName) {
  for (const char* code : {"CTM-NORD", "CTM-SUD", "MAIRIE"}) {
    v1::Site s;
    s.set_code(code);
    s.set_name(std::string("Site ") + code);
    Add(s);
  }
  SiteFilter f;
  f.query = "ctm";
  auto sites = Get<std::vector<v1::Site>>(store(), [&](Reader& r) { return r.ListSites(f); });
  ASSERT_EQ(sites.size(), 2u);
  f.query = "";
  f.page.limit = 2;
  f.page.after_id = sites[0].id();
  sites = Get<std::vector<v1::Site>>(store(), [&](Reader& r) { return r.ListSites(f); });
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[1].code(), "MAIRIE");
}

}  // namespace
}  // namespace parc::store::testing
