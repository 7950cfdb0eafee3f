// Issue 20 item 8: lookups and searches of people, devices and sites fold
// accents and case (common/fold.h), the way people type.
#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

class SearchFoldingTest : public ServiceTest {
 protected:
  void AddPerson(const std::string& number, const std::string& first, const std::string& last) {
    v1::CreateAgentRequest request;
    request.mutable_agent()->set_employee_number(number);
    request.mutable_agent()->set_first_name(first);
    request.mutable_agent()->set_last_name(last);
    request.mutable_agent()->set_department("PROPRETE");
    v1::Agent out;
    grpc::Status status = inventory_->CreateAgent(Admin().get(), request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::vector<std::string> FindAgents(const std::string& query) {
    v1::ListAgentsRequest request;
    request.set_query(query);
    v1::ListAgentsResponse out;
    grpc::Status status = inventory_->ListAgents(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> numbers;
    for (const v1::Agent& a : out.agents()) numbers.push_back(a.employee_number());
    return numbers;
  }

  std::vector<std::string> FindDevices(const std::string& query) {
    v1::ListDevicesRequest request;
    request.set_query(query);
    v1::ListDevicesResponse out;
    grpc::Status status = inventory_->ListDevices(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> serials;
    for (const v1::Device& d : out.devices()) serials.push_back(d.serial());
    return serials;
  }
};

using Numbers = std::vector<std::string>;

TEST_F(SearchFoldingTest, FindsPeopleWhateverTheAccentsAndCase) {
  AddPerson("E1", "Marie", "Lefèvre");
  AddPerson("E2", "Thị", "Ðặng");
  AddPerson("E3", "Anh", "\u0110\u1eb7ng Văn");
  AddPerson("E4", "Aïssata", "N\u2019Diaye");
  AddPerson("E5", "Jean", "Lefebvre");
  EXPECT_EQ(FindAgents("lefevre"), Numbers{"E1"});
  EXPECT_EQ(FindAgents("LEFÈVRE"), Numbers{"E1"});
  EXPECT_EQ(FindAgents("marie lefevre"), Numbers{"E1"});
  EXPECT_EQ(FindAgents("lefevre marie"), Numbers{"E1"});
  EXPECT_EQ(FindAgents("dang"), (Numbers{"E2", "E3"}));
  EXPECT_EQ(FindAgents("Đặng"), (Numbers{"E2", "E3"}));
  EXPECT_EQ(FindAgents("n'diaye"), Numbers{"E4"});
  EXPECT_EQ(FindAgents("aissata"), Numbers{"E4"});
  EXPECT_EQ(FindAgents("e5"), Numbers{"E5"});
}

TEST_F(SearchFoldingTest, FindsDevicesBySerialOrAssetTagInLowerCase) {
  AddDevice("R52T1ABC", "RM-TAB-0042");
  AddDevice("R52T2XYZ", "RM-PHN-0007", v1::DEVICE_KIND_SMARTPHONE);
  EXPECT_EQ(FindDevices("r52t1"), Numbers{"R52T1ABC"});
  EXPECT_EQ(FindDevices("rm-phn"), Numbers{"R52T2XYZ"});
  EXPECT_EQ(FindDevices("galaxy tab"), (Numbers{"R52T1ABC", "R52T2XYZ"}));

  EXPECT_EQ(GetDevice("r52t1abc").serial(), "R52T1ABC");
  EXPECT_EQ(GetDevice("rm-tab-0042").serial(), "R52T1ABC");
  AddAgent("E9", "PROPRETE");
  grpc::Status assigned = Assign("rm-phn-0007", "e9");
  EXPECT_TRUE(assigned.ok()) << assigned.error_message();
}

TEST_F(SearchFoldingTest, FindsSitesByNameWithoutAccents) {
  v1::CreateSiteRequest request;
  request.mutable_site()->set_code("HOTEL-VILLE");
  request.mutable_site()->set_name("Hôtel de Ville — Œuvres sociales");
  v1::Site site;
  ASSERT_TRUE(inventory_->CreateSite(Admin().get(), request, &site).ok());
  for (const char* query : {"hotel de ville", "HÔTEL", "oeuvres", "hotel-ville"}) {
    v1::ListSitesRequest list;
    list.set_query(query);
    v1::ListSitesResponse out;
    ASSERT_TRUE(inventory_->ListSites(Admin().get(), list, &out).ok());
    ASSERT_EQ(out.sites_size(), 1) << query;
    EXPECT_EQ(out.sites(0).code(), "HOTEL-VILLE");
  }
}

}  // namespace
}  // namespace parc::testing
