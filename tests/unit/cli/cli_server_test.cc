// parcctl against a real in-process parcd (tests/support/test_server.h).
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli_test_util.h"
#include "parc/v1/allocation.pb.h"
#include "parc/v1/inventory.pb.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

class CliServerTest : public ::testing::Test {
 protected:
  CliResult Parcctl(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    return testing::RunParcctl(args, Env(server_.admin_token()), stdin_text);
  }
  std::map<std::string, std::string> Env(const std::string& token) {
    return {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", token}};
  }
  // Runs and expects success, showing stderr otherwise.
  std::string Ok(const std::vector<std::string>& args) {
    CliResult run = Parcctl(args);
    EXPECT_EQ(run.code, 0) << run.err;
    return run.out;
  }
  void AddSiteAndAgent() {
    Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
    Ok({"agents", "add", "E000001", "--first-name", "Hélène", "--last-name", "Dupré",
        "--department", "PROPRETE", "--site", "CTM-NORD", "--wave", "vague-1"});
  }
  std::filesystem::path File(const std::string& name, const std::string& text) {
    auto path = server_.dir() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  parc::testing::TestServer server_;
};

TEST_F(CliServerTest, AddsListsAndShowsAgents) {
  AddSiteAndAgent();
  std::string list = Ok({"agents", "list"});
  EXPECT_NE(list.find("E000001"), std::string::npos) << list;
  EXPECT_NE(list.find("Hélène Dupré"), std::string::npos) << list;
  std::string show = Ok({"agents", "show", "E000001"});
  EXPECT_NE(show.find("PROPRETE"), std::string::npos) << show;
  EXPECT_NE(show.find("vague-1"), std::string::npos) << show;
}

TEST_F(CliServerTest, UpdateChangesOnlyTheGivenFields) {
  AddSiteAndAgent();
  Ok({"agents", "update", "E000001", "--advisor", "Camille", "--left"});
  v1::Agent agent;
  std::string json = Ok({"agents", "show", "E000001", "--json"});
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &agent).ok()) << json;
  EXPECT_EQ(agent.advisor(), "Camille");
  EXPECT_EQ(agent.status(), v1::AGENT_STATUS_LEFT);
  EXPECT_EQ(agent.first_name(), "Hélène");
  EXPECT_EQ(agent.wave(), "vague-1");
}

TEST_F(CliServerTest, UnknownAgentIsAnError) {
  CliResult run = Parcctl({"agents", "show", "E999"});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("E999"), std::string::npos) << run.err;
}

TEST_F(CliServerTest, AddsAndListsDevices) {
  Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
  Ok({"devices", "add", "SN-001", "--kind", "tablet", "--asset-tag", "TAB-0001", "--model",
      "Galaxy Tab A8", "--site", "CTM-NORD", "--purchase-date", "15/03/2026"});
  std::string list = Ok({"devices", "list", "--kind", "tablet"});
  EXPECT_NE(list.find("TAB-0001"), std::string::npos) << list;
  EXPECT_NE(list.find("in_stock"), std::string::npos) << list;
  v1::Device device;
  std::string json = Ok({"--json", "devices", "show", "TAB-0001"});
  v1::GetDeviceHistoryResponse history;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &history).ok()) << json;
  EXPECT_EQ(history.device().purchase_date(), "2026-03-15");
  EXPECT_EQ(Ok({"devices", "list", "--kind", "smartphone"}).find("TAB-0001"), std::string::npos);
}

TEST_F(CliServerTest, AssignsReturnsAndShowsHistory) {
  AddSiteAndAgent();
  Ok({"devices", "add", "SN-001", "--kind", "tablet", "--asset-tag", "TAB-0001"});
  std::string assigned = Ok({"assign", "TAB-0001", "E000001", "--notes", "première dotation"});
  EXPECT_NE(assigned.find("E000001"), std::string::npos) << assigned;
  EXPECT_NE(Ok({"devices", "show", "TAB-0001"}).find("assigned"), std::string::npos);
  Ok({"return", "TAB-0001", "--condition", "écran fissuré", "--to", "in_repair"});
  std::string history = Ok({"history", "TAB-0001"});
  EXPECT_NE(history.find("écran fissuré"), std::string::npos) << history;
  EXPECT_NE(Ok({"history", "--agent", "E000001"}).find("TAB-0001"), std::string::npos);
  std::string device = Ok({"devices", "show", "TAB-0001"});
  EXPECT_NE(device.find("in_repair"), std::string::npos) << device;
}

TEST_F(CliServerTest, AssignsToASitePool) {
  Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
  Ok({"devices", "add", "PC-1", "--kind", "shared_pc"});
  std::string out = Ok({"assign", "PC-1", "--site", "CTM-NORD"});
  EXPECT_NE(out.find("site CTM-NORD"), std::string::npos) << out;
}

TEST_F(CliServerTest, RecordsAPaperLoanWithItsRealDates) {
  AddSiteAndAgent();
  Ok({"devices", "add", "TAB-1", "--kind", "tablet"});
  std::string out =
      Ok({"assign", "TAB-1", "E000001", "--since", "2025-09-01", "--due", "31/01/2026"});
  EXPECT_NE(out.find("due 2026-01-31, since 2025-09-01 (back-dated)"), std::string::npos) << out;
  std::string overdue = Ok({"report", "overdue"});
  EXPECT_NE(overdue.find("TAB-1"), std::string::npos) << overdue;
  Ok({"devices", "add", "TAB-2", "--kind", "tablet"});
  CliResult future = Parcctl({"assign", "TAB-2", "E000001", "--since", "2099-01-01"});
  EXPECT_EQ(future.code, 1);
  EXPECT_NE(future.err.find("in the future"), std::string::npos) << future.err;
}

TEST_F(CliServerTest, ImportReportsEveryBadLineAndWritesNothing) {
  Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
  auto csv = File("agents.csv",
                  "employee_number;first_name;last_name;department;site;has_email\n"
                  "E1;Hélène;Dupré;PROPRETE;CTM-NORD;non\n"
                  "E2;Paul;Martin;PROPRETE;CTM-NORD;peut-être\n");
  CliResult run = Parcctl({"import", "agents", csv.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("line 3, column has_email"), std::string::npos) << run.err;
  EXPECT_EQ(Parcctl({"agents", "show", "E1"}).code, 1);  // nothing written
}

TEST_F(CliServerTest, ImportStopsAtAnUnknownColumnUnlessIgnored) {
  std::string csv = "serial;num_inventaire;kind\nSN-1;INV-1;tablet\n";
  CliResult run = Parcctl({"import", "devices", "-"}, csv);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("line 1, column num_inventaire: unknown column: did you mean asset_tag?"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(Parcctl({"devices", "show", "SN-1"}).code, 1);  // nothing written
  CliResult ignored = Parcctl({"import", "devices", "-", "--ignore-column", "num_inventaire"}, csv);
  EXPECT_EQ(ignored.code, 0) << ignored.err;
  EXPECT_NE(ignored.out.find("created 1"), std::string::npos) << ignored.out;
}

TEST_F(CliServerTest, ReimportDryRunShowsEachFieldThatWouldChange) {
  ASSERT_EQ(Parcctl({"import", "devices", "-"}, "serial;asset_tag;kind\nSN-1;INV-1;tablet\n").code,
            0);
  CliResult dry = Parcctl({"import", "devices", "-", "--dry-run"},
                          "serial;asset_tag;kind\nSN-1;INV-2;tablet\n");
  EXPECT_EQ(dry.code, 0) << dry.err;
  EXPECT_EQ(dry.out,
            "line 2, SN-1: asset_tag 'INV-1' -> 'INV-2'\n"
            "created 0, updated 1, unchanged 0 (dry run: nothing was written)\n");
  CliResult real =
      Parcctl({"import", "devices", "-"}, "serial;asset_tag;kind\nSN-1;INV-2;tablet\n");
  EXPECT_EQ(real.out,
            "line 2, SN-1: asset_tag 'INV-1' -> 'INV-2'\ncreated 0, updated 1, unchanged 0\n");
}

TEST_F(CliServerTest, DepartmentsAreShownAndExportedAsWritten) {
  ASSERT_EQ(Parcctl({"import", "agents", "-"}, "Matricule;Nom;Service\nE1;Dupré;État civil\n").code,
            0);
  std::string list = Ok({"agents", "list"});
  EXPECT_NE(list.find(" État civil "), std::string::npos) << list;
  EXPECT_EQ(list.find("ETAT-CIVIL"), std::string::npos) << list;
  EXPECT_NE(Ok({"agents", "show", "E1"}).find("État civil (ETAT-CIVIL)"), std::string::npos);
  EXPECT_NE(Ok({"agents", "list", "--department", "etat civil"}).find("E1"), std::string::npos);
  std::string exported = Ok({"export", "agents"});
  EXPECT_NE(exported.find(";État civil;"), std::string::npos) << exported;
  CliResult again = Parcctl({"import", "agents", "-"}, exported);
  EXPECT_NE(again.out.find("unchanged 1"), std::string::npos) << again.out << again.err;
}

TEST_F(CliServerTest, ImportedSitesCanBindAnEnrollmentToken) {
  std::string csv = "Matricule;Nom;Service;Site\nE1;Le Goff;PROPRETE;CTM Nord\n";
  CliResult dry = Parcctl({"import", "agents", "-", "--dry-run"}, csv);
  EXPECT_NE(dry.out.find("new site CTM-NORD \"CTM Nord\" (would be created)"), std::string::npos)
      << dry.out;
  CliResult real = Parcctl({"import", "agents", "-"}, csv);
  EXPECT_EQ(real.code, 0) << real.err;
  EXPECT_NE(real.out.find("new site CTM-NORD \"CTM Nord\"\n"), std::string::npos) << real.out;
  CliResult token = Parcctl({"enroll-token", "create", "--site", "CTM Nord", "--no-qr"});
  EXPECT_EQ(token.code, 0) << token.err;
}

TEST_F(CliServerTest, ImportsFromStandardInputAndDryRunWritesNothing) {
  Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
  std::string csv =
      "employee_number;first_name;last_name;department;site;has_email\n"
      "E1;Hélène;Dupré;PROPRETE;CTM-NORD;non\n";
  CliResult dry = Parcctl({"import", "agents", "-", "--dry-run"}, csv);
  EXPECT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("created 1"), std::string::npos) << dry.out;
  EXPECT_EQ(Parcctl({"agents", "show", "E1"}).code, 1);
  CliResult real = Parcctl({"import", "agents", "-"}, csv);
  EXPECT_EQ(real.code, 0) << real.err;
  EXPECT_EQ(Parcctl({"agents", "show", "E1"}).code, 0);
}

TEST_F(CliServerTest, ExportReadsBackAsUnchanged) {
  AddSiteAndAgent();
  Ok({"agents", "add", "E000002", "--first-name", "Jean-François", "--last-name", "Le Gall",
      "--department", "ESPACES VERTS; PARCS", "--site", "CTM-NORD", "--email", "--badge", "B42"});
  auto path = server_.dir() / "agents-export.csv";
  Ok({"export", "agents", "--output", path.string()});
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.rfind("\xEF\xBB\xBF"
                       "employee_number;first_name;",
                       0),
            0u)
      << text;
  // The department as it was written (its code is ESPACES-VERTS;-PARCS).
  EXPECT_NE(text.find("\"ESPACES VERTS; PARCS\""), std::string::npos) << text;
  std::string result = Ok({"import", "agents", path.string(), "--dry-run"});
  EXPECT_NE(result.find("created 0, updated 0, unchanged 2"), std::string::npos) << result;
}

TEST_F(CliServerTest, ExportsDevicesAndAllocations) {
  AddSiteAndAgent();
  Ok({"devices", "add", "SN-001", "--kind", "smartphone", "--notes", "coque \"rouge\""});
  Ok({"assign", "SN-001", "E000001", "--due", "2026-12-31"});
  std::string devices = Ok({"export", "devices"});
  EXPECT_NE(devices.find("SN-001;;smartphone;"), std::string::npos) << devices;
  EXPECT_NE(devices.find("\"coque \"\"rouge\"\"\""), std::string::npos) << devices;
  std::string allocations = Ok({"export", "allocations"});
  EXPECT_NE(allocations.find("loan;E000001"), std::string::npos) << allocations;
}

TEST_F(CliServerTest, ListShowsFirstPageThenEverythingWithAll) {
  Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
  std::string csv = "employee_number;first_name;last_name;department;site\n";
  for (int i = 0; i < 130; ++i) {
    csv += "E" + std::to_string(1000 + i) + ";Prénom;Nom;PROPRETE;CTM-NORD\n";
  }
  ASSERT_EQ(Parcctl({"import", "agents", "-"}, csv).code, 0);
  CliResult first = Parcctl({"agents", "list"});
  EXPECT_EQ(std::count(first.out.begin(), first.out.end(), '\n'), 101);  // header + 100
  EXPECT_NE(first.err.find("--all"), std::string::npos) << first.err;
  CliResult all = Parcctl({"agents", "list", "--all"});
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'), 131);
  EXPECT_EQ(all.err, "");
}

TEST_F(CliServerTest, JsonIsOneDocumentScriptsCanParse) {
  AddSiteAndAgent();
  std::string json = Ok({"agents", "list", "--json"});
  v1::ListAgentsResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
  ASSERT_EQ(response.agents_size(), 1);
  EXPECT_EQ(response.agents(0).first_name(), "Hélène");
}

TEST_F(CliServerTest, WrongTokenIsAnErrorWithAHint) {
  CliResult run = testing::RunParcctl({"agents", "list"}, Env("not-a-real-token"));
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("check PARC_TOKEN"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("not-a-real-token"), std::string::npos) << run.err;
}

TEST_F(CliServerTest, OperatorTokenIsShownOnceAndWorks) {
  CliResult add = Parcctl({"operators", "add", "lea", "--role", "logistics"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.err.find("will not be shown again"), std::string::npos) << add.err;
  std::string token = add.out.substr(add.out.rfind('\n', add.out.size() - 2) + 1);
  token.pop_back();
  CliResult whoami = testing::RunParcctl({"whoami"}, Env(token));
  EXPECT_EQ(whoami.code, 0) << whoami.err;
  EXPECT_NE(whoami.out.find("lea (logistics)"), std::string::npos) << whoami.out;
  std::string tokens = Ok({"tokens", "list", "--operator", "lea"});
  EXPECT_EQ(tokens.find(token), std::string::npos);
  Ok({"operators", "revoke", "lea"});
  EXPECT_EQ(testing::RunParcctl({"whoami"}, Env(token)).code, 1);
}

TEST_F(CliServerTest, AuditShowsWhatWasDone) {
  AddSiteAndAgent();
  std::string audit = Ok({"audit", "--action", "agent.", "--limit", "5"});
  EXPECT_NE(audit.find("agent:E000001"), std::string::npos) << audit;
}

TEST(CliTlsTest, ConnectsWithTlsWhenGivenTheRootCertificate) {
  parc::testing::TestServer server(parc::testing::TestServer::Options{.tls = true});
  auto ca = server.dir() / "ca.pem";
  std::ofstream(ca) << server.ca_pem();
  std::map<std::string, std::string> env = {{"PARC_ADDR", server.address()},
                                            {"PARC_TOKEN", server.admin_token()}};
  CliResult tls = testing::RunParcctl({"--ca", ca.string(), "whoami"}, env);
  EXPECT_EQ(tls.code, 0) << tls.err;
  EXPECT_NE(tls.out.find("admin (admin)"), std::string::npos) << tls.out;
  env["PARC_CA"] = ca.string();
  EXPECT_EQ(testing::RunParcctl({"whoami"}, env).code, 0);
}

}  // namespace
}  // namespace parc::cli
