// The search index: prefixes of name words, folded; kept in step with updates;
// limited to a manager's departments; rebuilt at open when marked pending.
#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

std::vector<std::string> Found(Store& store, const SearchFilter& filter) {
  std::vector<std::string> out;
  auto agents =
      Get<std::vector<v1::Agent>>(store, [&](Reader& r) { return r.SearchAgents(filter); });
  for (const auto& a : agents) out.push_back(a.employee_number());
  auto devices =
      Get<std::vector<v1::Device>>(store, [&](Reader& r) { return r.SearchDevices(filter); });
  for (const auto& d : devices) out.push_back(d.serial());
  return out;
}

std::vector<std::string> Found(Store& store, const std::string& query) {
  return Found(store, SearchFilter{.query = query});
}

using Names = std::vector<std::string>;

// Two people and two devices; returns the tablet as stored. `add` is StoreTest::Add.
template <typename AddFn>
v1::Device Seed(AddFn&& add) {
  v1::Agent a = MakeAgent("E1001", "PROPRETE");
  a.set_first_name("Hélène");
  a.set_last_name("Lefèvre-Ðặng");
  add(a);
  v1::Agent b = MakeAgent("E1002", "ESPACES-VERTS");
  b.set_first_name("Marc");
  b.set_last_name("Le Goff");
  add(b);
  v1::Device tab = MakeDevice("R52T0001", "VDR-0001", "PROPRETE");
  tab.set_model("Samsung Galaxy Tab A8");
  tab.set_id(add(tab));
  v1::Device phone = MakeDevice("HA1K0002", "VDR-0002", "ESPACES-VERTS");
  phone.set_model("Lenovo Tab M10");
  add(phone);
  return tab;
}

#define SEED()                                                   \
  v1::Device tablet_ = Seed([&](const auto& x) { return Add(x); }); \
  (void)tablet_

TEST_P(StoreTest, SearchFindsPeopleByAnyNameWordWithOrWithoutAccents) {
  SEED();
  EXPECT_EQ(Found(store(), "helene"), Names({"E1001"}));
  EXPECT_EQ(Found(store(), "HÉLÈNE lef"), Names({"E1001"}));
  EXPECT_EQ(Found(store(), "lefevre"), Names({"E1001"}));
  EXPECT_EQ(Found(store(), "dang"), Names({"E1001"}));
  EXPECT_EQ(Found(store(), "goff marc"), Names({"E1002"}));
  EXPECT_EQ(Found(store(), "  le   goff "), Names({"E1002"}));
  EXPECT_EQ(Found(store(), "e100"), Names({"E1001", "E1002"}));
  EXPECT_EQ(Found(store(), "espaces"), Names({"E1002"}));
}

TEST_P(StoreTest, SearchFindsDevicesBySerialAssetTagOrModelWord) {
  SEED();
  EXPECT_EQ(Found(store(), "r52t"), Names({"R52T0001"}));
  EXPECT_EQ(Found(store(), "vdr-0002"), Names({"HA1K0002"}));
  EXPECT_EQ(Found(store(), "galaxy"), Names({"R52T0001"}));
  EXPECT_EQ(Found(store(), "tab"), Names({"R52T0001", "HA1K0002"}));  // "tab a8" < "tab m10"
  EXPECT_TRUE(Found(store(), "").empty());
  EXPECT_TRUE(Found(store(), "   ").empty());
  EXPECT_TRUE(Found(store(), "zzz").empty());
}

TEST_P(StoreTest, SearchFollowsUpdatesAndHonoursLimitAndDepartments) {
  SEED();
  tablet_.set_asset_tag("VDR-9999");
  tablet_.set_model("Apple iPad 9");
  ASSERT_TRUE(Audited([&](Writer& w) { return w.UpdateDevice(tablet_); }));
  EXPECT_TRUE(Found(store(), "galaxy").empty());
  EXPECT_TRUE(Found(store(), "vdr-0001").empty());
  EXPECT_EQ(Found(store(), "ipad"), Names({"R52T0001"}));
  EXPECT_EQ(Found(store(), "vdr-9"), Names({"R52T0001"}));

  EXPECT_EQ(Found(store(), SearchFilter{.query = "e100", .limit = 1}), Names({"E1001"}));
  EXPECT_EQ(Found(store(), SearchFilter{.query = "e100", .departments = {"ESPACES-VERTS"}}),
            Names({"E1002"}));
  EXPECT_EQ(Found(store(), SearchFilter{.query = "tab", .departments = {"ESPACES-VERTS"}}),
            Names({"HA1K0002"}));
}

TEST_P(StoreTest, SearchIsRebuiltAtOpenWhenMarkedPending) {
  SEED();
  ASSERT_TRUE(ExecRaw("DELETE FROM search_terms; INSERT INTO search_terms_pending VALUES ('test')"));
  Reopen();
  EXPECT_EQ(Found(store(), "helene"), Names({"E1001"}));
  EXPECT_EQ(Found(store(), "vdr-0001"), Names({"R52T0001"}));
  EXPECT_EQ(*QueryInt("SELECT count(*) FROM search_terms_pending"), 0);
}

}  // namespace
}  // namespace parc::store::testing
