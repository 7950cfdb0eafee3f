#include "daemon/domain/import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/time.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace parc::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kNow = 1'780'000'000'000;

// "line 3, column Vague: reason" for readable failure messages.
std::vector<std::string> Lines(const google::protobuf::RepeatedPtrField<v1::ImportProblem>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) {
    out.push_back("line " + std::to_string(p.line()) + ", column " + p.column() + ": " +
                  p.reason());
  }
  return out;
}
template <typename T>
std::vector<std::string> Lines(const ImportPlan<T>& plan) {
  google::protobuf::RepeatedPtrField<v1::ImportProblem> ps(plan.problems.begin(),
                                                           plan.problems.end());
  return Lines(ps);
}

const char* kFrenchAgents =
    "\xEF\xBB\xBFMatricule;Prénom;NOM;Service;Site;A un email (oui/non);Conseiller;Vague;Statut;"
    "Badge\r\n"
    "e000101;Hélène;Le Goff;proprete;ctm-nord;non;claire.legoff;vague-1;actif;B101\r\n"
    "E000102;Yann;Morvan;VOIRIE;CTM-SUD;oui;;;;;\r\n"
    "E000103;\"Marie; dite "
    "\"\"Mimi\"\"\";Tanguy;EAU;CTM-NORD;Non;claire.legoff;vague-2;parti;;\r\n";

TEST(ImportParseTest, ReadsFrenchHeadersWithBomSemicolonsAndQuotes) {
  auto plan = ParseAgentsCsv(kFrenchAgents);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(Lines(*plan), IsEmpty());
  ASSERT_EQ(plan->rows.size(), 3u);
  const v1::Agent& a = plan->rows[0].record;
  EXPECT_EQ(a.employee_number(), "E000101");
  EXPECT_EQ(a.first_name(), "Hélène");
  EXPECT_EQ(a.department(), "PROPRETE");
  EXPECT_EQ(a.site(), "CTM-NORD");
  EXPECT_FALSE(a.has_email());
  EXPECT_EQ(a.wave(), "vague-1");
  EXPECT_EQ(a.status(), v1::AGENT_STATUS_ACTIVE);
  EXPECT_TRUE(plan->rows[1].record.has_email());
  EXPECT_EQ(plan->rows[2].record.first_name(), "Marie; dite \"Mimi\"");
  EXPECT_EQ(plan->rows[2].record.status(), v1::AGENT_STATUS_LEFT);
  EXPECT_EQ(plan->rows[2].line, 4);
  EXPECT_EQ(plan->columns.at("has_email"), "A un email (oui/non)");
  // An empty status cell sets nothing, so an update keeps the current status.
  EXPECT_THAT(plan->rows[1].fields, ::testing::Not(::testing::Contains("status")));
}

TEST(ImportParseTest, UnknownHeaderIsAProblemOnLineOneNamingTheClosestColumn) {
  auto plan = ParseDevicesCsv("serial;num_inventaire;modele_xyz\nSN1;INV-1;Tab A8\n");
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->problems.size(), 2u) << ::testing::PrintToString(Lines(*plan));
  EXPECT_EQ(plan->problems[0].line(), 1);
  EXPECT_EQ(plan->problems[0].column(), "num_inventaire");
  EXPECT_THAT(plan->problems[0].reason(), HasSubstr("did you mean asset_tag?"));
  EXPECT_THAT(plan->problems[0].reason(), HasSubstr("N° d'inventaire"));  // known names listed
  EXPECT_THAT(plan->problems[0].reason(), HasSubstr("--ignore-column \"num_inventaire\""));
  EXPECT_EQ(plan->problems[1].column(), "modele_xyz");
  EXPECT_THAT(plan->problems[1].reason(), HasSubstr("did you mean model?"));
  EXPECT_THAT(plan->rows, IsEmpty());
}

TEST(ImportParseTest, AHeaderOfThousandsOfUnknownColumnsIsRefusedAtOnce) {
  // Found by tests/fuzz (agents_import): each unknown column was a problem
  // listing every known column, 50,000 of them in a 340 KB file.
  std::string header = "employee_number";
  for (int i = 0; i < 50'000; ++i) header += ";x" + std::to_string(i);
  auto plan = ParseAgentsCsv(header + "\nE1\n");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(plan.error().message, HasSubstr("line 1: more than 1024 fields"));
}

TEST(ImportParseTest, AHugeHeaderIsRefusedNotCopiedIntoEveryProblem) {
  // "<100,000 spaces>has_email" folds to has_email; each bad row's problem
  // named that header as written: 200 MB of problems from a 115 KB file.
  std::string csv = "employee_number;" + std::string(100'000, ' ') + "has_email\n";
  for (int i = 0; i < 2'000; ++i) csv += "E" + std::to_string(i) + ";x\n";
  auto plan = ParseAgentsCsv(csv);
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("line 1, column 2: a header of more than"));
}

TEST(ImportParseTest, IgnoredColumnIsSkippedFoldedAsHeadersAre) {
  auto plan = ParseAgentsCsv("Matricule;Nom;Téléphone portable\nE1;Le Goff;0600000000\n",
                             {"telephone PORTABLE"});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(Lines(*plan), IsEmpty());
  ASSERT_EQ(plan->rows.size(), 1u);
  EXPECT_THAT(plan->rows[0].fields, ElementsAre("employee_number", "last_name"));
}

TEST(ImportParseTest, ReadsTheHeadersOfAFrenchSpreadsheet) {
  auto devices = ParseDevicesCsv(
      "N° de série;N° d'inventaire;Type;Modèle;Système;Date d'achat;Fin de garantie;Service;"
      "Lieu;Remarques;État\n"
      "SN1;INV-1;tablette;Tab A8;Android 14;01/03/2024;01/03/2027;Voirie;CTM Nord;;en stock\n");
  ASSERT_TRUE(devices) << devices.error().message;
  EXPECT_THAT(Lines(*devices), IsEmpty());
  ASSERT_EQ(devices->rows.size(), 1u);
  EXPECT_EQ(devices->rows[0].record.asset_tag(), "INV-1");
  EXPECT_EQ(devices->rows[0].record.model(), "Tab A8");
  EXPECT_EQ(devices->rows[0].record.warranty_end(), "2027-03-01");
  EXPECT_EQ(devices->rows[0].record.department(), "VOIRIE");
  EXPECT_EQ(devices->rows[0].record.department_name(), "Voirie");  // as written, beside the code
  EXPECT_EQ(devices->rows[0].fields.size(), 12u);                  // the 11 columns and the name
  auto other = ParseDevicesCsv("Numéro de série;NUMERO D'INVENTAIRE;Direction\nSN1;INV-1;EAU\n");
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_THAT(Lines(*other), IsEmpty());
  auto agents = ParseAgentsCsv(
      "Matricule;Prénom;Nom;Direction;Site;Conseiller numérique;Vague;N° de badge\n"
      "E1;Hélène;Le Goff;Propreté;CTM Nord;claire.legoff;vague-1;B1\n");
  ASSERT_TRUE(agents) << agents.error().message;
  EXPECT_THAT(Lines(*agents), IsEmpty());
  ASSERT_EQ(agents->rows.size(), 1u);
  EXPECT_EQ(agents->rows[0].record.advisor(), "claire.legoff");
  EXPECT_EQ(agents->rows[0].record.badge(), "B1");
}

// Issue 15: HR exports carry the manager ("Responsable", by employee number)
// and a work phone; both are read under their French headers.
TEST(ImportParseTest, ReadsTheManagerAndThePhoneOfAStaffExport) {
  auto agents = ParseAgentsCsv(
      "Matricule;Nom;Service;Matricule du responsable;Téléphone professionnel\n"
      "E1;Le Goff;VOIRIE; e000042 ;02 99 28 55 55\n");
  ASSERT_TRUE(agents) << agents.error().message;
  EXPECT_THAT(Lines(*agents), IsEmpty());
  ASSERT_EQ(agents->rows.size(), 1u);
  EXPECT_EQ(agents->rows[0].record.manager(), "E000042");
  EXPECT_EQ(agents->rows[0].record.phone(), "02 99 28 55 55");
  auto other = ParseAgentsCsv("Matricule;Nom;Service;Responsable;Tél\nE1;Le Goff;VOIRIE;E2;0600\n");
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_THAT(Lines(*other), IsEmpty());
  EXPECT_EQ(other->rows[0].record.manager(), "E2");
  auto named =
      ParseAgentsCsv("Matricule;Nom;Service;Responsable\nE1;Le Goff;VOIRIE;Marie Dupont\n");
  ASSERT_TRUE(named) << named.error().message;
  ASSERT_EQ(Lines(*named).size(), 1u) << "a name is not an employee number";
}

TEST(ImportParseTest, KeepsLineNumbersAfterMultiLineFieldsAndListsEveryProblem) {
  auto plan = ParseDevicesCsv(
      "serial,asset_tag,kind,model,purchase_date,warranty_end,notes,lifecycle\n"
      "R52T0001AAA,RM-TAB-000001,tablet,Samsung Galaxy Tab A8,2024-03-01,01/03/2027,"
      "\"écran fissuré,\nà surveiller\",en stock\n"
      "R52T0002AAA,RM-TAB-000002,grille-pain,X,hier,2027-02-30,,volé\n"
      "R52T0003AAA,RM-TAB-000003,tablette,Y,,,,\n");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(Lines(*plan),
              ElementsAre(HasSubstr("line 4, column kind: 'grille-pain' is not a device kind"),
                          HasSubstr("line 4, column purchase_date: 'hier' is not a date"),
                          HasSubstr("line 4, column warranty_end: '2027-02-30' is not a date"),
                          HasSubstr("line 4, column lifecycle: 'volé' is not a lifecycle state")));
  ASSERT_EQ(plan->rows.size(), 2u);
  EXPECT_EQ(plan->rows[0].record.warranty_end(), "2027-03-01");
  EXPECT_EQ(plan->rows[0].record.notes(), "écran fissuré,\nà surveiller");
  EXPECT_EQ(plan->rows[1].line, 5);
  EXPECT_EQ(plan->rows[1].record.kind(), v1::DEVICE_KIND_TABLET);
  EXPECT_EQ(plan->rows[1].record.lifecycle(), v1::LIFECYCLE_IN_STOCK);
}

TEST(ImportParseTest, ReadsFrenchDeviceHeaders) {
  auto plan = ParseDevicesCsv(
      "Numéro de série;N° inventaire;Type;Modèle;Système;Date d'achat;Fin de garantie;"
      "Remarques;État\n"
      "HA1K2X3Y;rm-tab-000010;Tablette;Lenovo Tab M10;Android 12;15/01/2024;15/01/2026;;"
      "En réparation\n");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(Lines(*plan), IsEmpty());
  const v1::Device& d = plan->rows.at(0).record;
  EXPECT_EQ(d.asset_tag(), "RM-TAB-000010");
  EXPECT_EQ(d.os(), "Android 12");
  EXPECT_EQ(d.purchase_date(), "2024-01-15");
  EXPECT_EQ(d.lifecycle(), v1::LIFECYCLE_IN_REPAIR);
}

TEST(ImportParseTest, ReportsMissingRequiredColumnOnLineOne) {
  auto plan = ParseAgentsCsv("nom,prenom\nLe Goff,Hélène\n");
  ASSERT_TRUE(plan);
  EXPECT_THAT(Lines(*plan),
              ElementsAre(HasSubstr("line 1, column employee_number: required "
                                    "column missing (accepted names: employee_number, "
                                    "Matricule, N° de matricule")));
  EXPECT_THAT(plan->rows, IsEmpty());
}

TEST(ImportParseTest, ReportsDuplicatesOnTheLaterLineNamingTheFirst) {
  auto plan = ParseDevicesCsv(
      "serial;asset_tag;kind\nS1;RM-1;tablet\nS2;RM-2;tablet\nS1;RM-3;tablet\nS4;rm-2;tablet\n");
  ASSERT_TRUE(plan);
  EXPECT_THAT(Lines(*plan), ElementsAre("line 4, column serial: S1 already on line 2",
                                        "line 5, column asset_tag: RM-2 already on line 3"));
  EXPECT_EQ(plan->rows.size(), 2u);
}

TEST(ImportParseTest, MapsValidationErrorsToTheColumnAsWritten) {
  std::string long_wave(300, 'v');
  auto plan = ParseAgentsCsv("Matricule;Nom;Service;Vague;Email\nE1;Le Goff;;x;peut-être\nE2;A;B;" +
                             long_wave + ";\nE3;A;B;c;oui;e\n");
  ASSERT_TRUE(plan);
  EXPECT_THAT(Lines(*plan), ElementsAre("line 2, column Email: 'peut-être' is not oui/non (yes/no) "
                                        "nor an email address",
                                        "line 3, column Vague: longer than 200 bytes",
                                        "line 4, column : 6 fields but the header has 5"));
}

// An HR export gives the address, or nothing: Parc keeps only whether there is one.
TEST(ImportParseTest, AnEmailAddressColumnSaysWhetherThePersonHasOne) {
  auto plan = ParseAgentsCsv(
      "Matricule;Nom;Service;Adresse électronique\nE1;Le Goff;VOIRIE;yann.legoff@ville.fr\n"
      "E2;Dupré;VOIRIE;\n");
  ASSERT_TRUE(plan);
  EXPECT_THAT(Lines(*plan), IsEmpty());
  ASSERT_EQ(plan->rows.size(), 2u);
  EXPECT_TRUE(plan->rows[0].record.has_email());
  EXPECT_FALSE(plan->rows[1].record.has_email());
  EXPECT_EQ(plan->rows[0].record.DebugString().find("ville.fr"), std::string::npos);
}

TEST(ImportParseTest, FailsOnUnreadableFile) {
  auto plan = ParseAgentsCsv("matricule;nom\nE1;\"Le Goff\n");
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("line 2, column nom: unterminated quoted field"));
}

class ImportApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::Open({.path = (dir_.path() / "parc.db").string()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override { store_.reset(); }

  std::vector<v1::Agent> Agents() {
    std::vector<v1::Agent> out;
    EXPECT_TRUE(store_->Read([&](store::Reader& r) -> Status {
      store::AgentFilter filter;
      filter.page.limit = 1000;
      PARC_ASSIGN_OR_RETURN(out, r.ListAgents(filter));
      return Ok();
    }));
    return out;
  }
  std::vector<v1::Device> Devices() {
    std::vector<v1::Device> out;
    EXPECT_TRUE(store_->Read([&](store::Reader& r) -> Status {
      store::DeviceFilter filter;
      filter.page.limit = 1000;
      PARC_ASSIGN_OR_RETURN(out, r.ListDevices(filter));
      return Ok();
    }));
    return out;
  }
  std::vector<v1::AuditEvent> Audit(const std::string& prefix) {
    std::vector<v1::AuditEvent> out;
    EXPECT_TRUE(store_->Read([&](store::Reader& r) -> Status {
      store::AuditFilter filter;
      filter.action_prefix = prefix;
      filter.page.limit = 1000;
      PARC_ASSIGN_OR_RETURN(out, r.ListAuditEvents(filter));
      return Ok();
    }));
    return out;
  }
  v1::ImportResult ImportA(std::string_view csv, bool dry_run = false) {
    auto result = ImportAgents(*store_, csv, "marie", kNow, dry_run);
    EXPECT_TRUE(result) << result.error().message;
    return result.value_or(v1::ImportResult{});
  }
  v1::ImportResult ImportD(std::string_view csv, bool dry_run = false) {
    auto result = ImportDevices(*store_, csv, "marie", kNow, dry_run);
    EXPECT_TRUE(result) << result.error().message;
    return result.value_or(v1::ImportResult{});
  }

  parc::testing::TempDir dir_;  // declared first: outlives the store
  std::unique_ptr<store::Store> store_;
};

TEST_F(ImportApplyTest, CreatesThenReimportingTheSameFileChangesNothing) {
  v1::ImportResult first = ImportA(kFrenchAgents);
  EXPECT_THAT(Lines(first.problems()), IsEmpty());
  EXPECT_TRUE(first.applied());
  EXPECT_EQ(first.created(), 3);
  EXPECT_EQ(Agents().size(), 3u);
  EXPECT_EQ(Audit("agent.create").size(), 3u);
  ASSERT_EQ(Audit("agent.import").size(), 1u);
  EXPECT_EQ(Audit("agent.import")[0].summary(),
            "created=3 updated=0 unchanged=0 new_sites=2");  // CTM-NORD, CTM-SUD

  v1::ImportResult again = ImportA(kFrenchAgents);
  EXPECT_TRUE(again.applied());
  EXPECT_EQ(again.created(), 0);
  EXPECT_EQ(again.updated(), 0);
  EXPECT_EQ(again.unchanged(), 3);
  EXPECT_EQ(Audit("agent.update").size(), 0u);
}

TEST_F(ImportApplyTest, UpdatesOnlyTheColumnsInTheFileAndAuditsTheChanges) {
  ImportA(kFrenchAgents);
  v1::ImportResult result =
      ImportA("employee_number,department,wave\nE000101,VOIRIE,vague-2\nE000102,voirie,\n");
  EXPECT_THAT(Lines(result.problems()), IsEmpty());
  EXPECT_EQ(result.updated(), 1);
  EXPECT_EQ(result.unchanged(), 1);
  auto updates = Audit("agent.update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].target(), "agent:E000101");
  EXPECT_EQ(updates[0].actor(), "marie");
  EXPECT_EQ(updates[0].summary(),
            "department: 'PROPRETE' -> 'VOIRIE'; wave: 'vague-1' -> 'vague-2'");
  for (const v1::Agent& a : Agents()) {
    if (a.employee_number() != "E000101") continue;
    EXPECT_EQ(a.first_name(), "Hélène");  // not in the file: untouched
    EXPECT_EQ(a.badge(), "B101");
    EXPECT_EQ(a.department(), "VOIRIE");
  }
}

TEST_F(ImportApplyTest, DepartmentsKeepTheNameTheFileWritesAndExportsGiveItBack) {
  ASSERT_TRUE(
      ImportA("Matricule;Nom;Service\nE1;Dupré;État civil\nE2;Morvan;ETAT-CIVIL\n").applied());
  for (const v1::Agent& a : Agents()) {
    EXPECT_EQ(a.department(), "ETAT-CIVIL") << a.employee_number();
    EXPECT_EQ(a.department_name(), "État civil") << a.employee_number();  // one name per code
  }
  // Written as the code again, or as before: nothing changes.
  v1::ImportResult again = ImportA("Matricule;Service\nE1;État civil\nE2;etat-civil\n");
  EXPECT_EQ(again.unchanged(), 2);
  // Written otherwise: the new writing is the name, listed as a change.
  v1::ImportResult renamed = ImportA("Matricule;Service\nE1;État-civil\n", /*dry_run=*/true);
  ASSERT_EQ(renamed.changes_size(), 1);
  EXPECT_EQ(renamed.changes(0).field(), "department_name");
  EXPECT_EQ(renamed.changes(0).new_value(), "État-civil");
  std::vector<v1::Department> names;
  ASSERT_TRUE(store_->Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(names, r.ListDepartments());
    return Ok();
  }));
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].code(), "ETAT-CIVIL");
  EXPECT_EQ(names[0].name(), "État civil");
}

TEST_F(ImportApplyTest, DryRunListsEveryFieldThatWouldChangePerLine) {
  ASSERT_TRUE(
      ImportD("serial;asset_tag;kind;model\nS1;RM-1;tablet;A8\nS2;RM-2;tablet;A8\n").applied());
  std::string again = "serial;asset_tag;kind;model\nS1;RM-9;smartphone;A8\nS2;RM-2;tablet;A8\n";
  v1::ImportResult dry = ImportD(again, /*dry_run=*/true);
  EXPECT_THAT(Lines(dry.problems()), IsEmpty());
  EXPECT_EQ(dry.updated(), 1);
  std::vector<std::string> changes;
  for (const auto& c : dry.changes()) {
    changes.push_back(std::to_string(c.line()) + " " + c.key() + " " + c.field() + ": " +
                      c.old_value() + " -> " + c.new_value());
  }
  EXPECT_THAT(changes,
              ElementsAre("2 S1 asset_tag: RM-1 -> RM-9", "2 S1 kind: tablet -> smartphone"));
  EXPECT_EQ(Audit("device.update").size(), 0u);  // a dry run writes nothing
  v1::ImportResult applied = ImportD(again);
  EXPECT_TRUE(applied.applied());
  EXPECT_EQ(applied.changes_size(), 2);  // the same in the apply's result
}

TEST_F(ImportApplyTest, CreatesTheSitesItNamesAndListsThemOnADryRun) {
  const char* csv =
      "Matricule;Nom;Service;Site\nE1;A;PROPRETE;CTM Nord\nE2;B;PROPRETE;ctm nord\n"
      "E3;C;VOIRIE;Hôtel de ville\n";
  auto sites = [&] {
    std::vector<std::string> out;
    EXPECT_TRUE(store_->Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto all, r.ListSites(store::SiteFilter{}));
      for (const auto& s : all) out.push_back(s.code() + " " + s.name());
      return Ok();
    }));
    return out;
  };
  auto listed = [](const v1::ImportResult& r) {
    std::vector<std::string> out;
    for (const auto& s : r.new_sites()) out.push_back(s.code() + " " + s.name());
    return out;
  };
  v1::ImportResult dry = ImportA(csv, /*dry_run=*/true);
  EXPECT_THAT(listed(dry), ElementsAre("CTM-NORD CTM Nord", "HOTEL-DE-VILLE Hôtel de ville"));
  EXPECT_THAT(sites(), IsEmpty());
  v1::ImportResult applied = ImportA(csv);
  EXPECT_TRUE(applied.applied());
  EXPECT_THAT(listed(applied), ElementsAre("CTM-NORD CTM Nord", "HOTEL-DE-VILLE Hôtel de ville"));
  EXPECT_THAT(sites(), ::testing::UnorderedElementsAre("CTM-NORD CTM Nord",
                                                       "HOTEL-DE-VILLE Hôtel de ville"));
  auto created = Audit("site.create");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_THAT(created[0].summary(), HasSubstr("import, line"));
  EXPECT_THAT(Audit("agent.import")[0].summary(), HasSubstr("new_sites=2"));
  EXPECT_EQ(ImportA(csv).new_sites_size(), 0);  // known now
}

TEST_F(ImportApplyTest, WritesNothingWhenOneLineIsBad) {
  v1::ImportResult result =
      ImportA("matricule;nom;service;email\nE1;A;PROPRETE;non\nE2;B;VOIRIE;bof\nE3;C;EAU;oui\n");
  EXPECT_FALSE(result.applied());
  EXPECT_THAT(Lines(result.problems()), ElementsAre(HasSubstr("line 3, column email:")));
  EXPECT_EQ(result.created(), 2);  // what would have happened
  EXPECT_THAT(Agents(), IsEmpty());
  EXPECT_THAT(Audit(""), IsEmpty());
}

TEST_F(ImportApplyTest, DryRunCountsAndWritesNothing) {
  v1::ImportResult result = ImportA(kFrenchAgents, /*dry_run=*/true);
  EXPECT_FALSE(result.applied());
  EXPECT_THAT(Lines(result.problems()), IsEmpty());
  EXPECT_EQ(result.created(), 3);
  EXPECT_THAT(Agents(), IsEmpty());
  EXPECT_THAT(Audit(""), IsEmpty());
}

TEST_F(ImportApplyTest, NewRecordMissingARequiredFieldIsAProblem) {
  v1::ImportResult result = ImportA("matricule;vague\nE9;vague-1\n");
  EXPECT_THAT(Lines(result.problems()), ElementsAre("line 2, column last_name: required"));
  EXPECT_THAT(Agents(), IsEmpty());
}

TEST_F(ImportApplyTest, AssetTagTakenInTheDatabaseIsAProblemOnItsLine) {
  ASSERT_TRUE(ImportD("serial;asset_tag;kind\nS1;RM-1;tablet\n").applied());
  v1::ImportResult result = ImportD("serial;N° inventaire;kind\nS2;RM-2;tablet\nS3;RM-1;tablet\n");
  EXPECT_FALSE(result.applied());
  EXPECT_THAT(Lines(result.problems()),
              ElementsAre("line 3, column N° inventaire: RM-1 already belongs to device S1"));
  EXPECT_EQ(Devices().size(), 1u);
}

TEST_F(ImportApplyTest, NeverMovesADeviceToOrFromAssigned) {
  ASSERT_TRUE(store_->Write([&](store::Writer& w) -> Status {
    v1::Device d;
    d.set_serial("S1");
    d.set_asset_tag("RM-1");
    d.set_kind(v1::DEVICE_KIND_TABLET);
    d.set_lifecycle(v1::LIFECYCLE_ASSIGNED);
    PARC_TRY(w.InsertDevice(d));
    v1::AuditEvent e;
    e.set_action("device.create");
    PARC_TRY(w.AppendAudit(e));
    return Ok();
  }));
  v1::ImportResult result =
      ImportD("serial;kind;état;model\nS1;tablet;en stock;X\nS2;tablet;attribué;Y\nS3;tablet;;Z\n");
  EXPECT_THAT(Lines(result.problems()),
              ElementsAre(HasSubstr("line 2, column état: cannot change assigned -> in_stock"),
                          HasSubstr("line 3, column état: cannot change new -> assigned")));
  EXPECT_EQ(Devices().size(), 1u);

  // An empty lifecycle cell keeps the state; other columns still update.
  result = ImportD("serial;kind;état;model\nS1;tablet;;X\n");
  EXPECT_TRUE(result.applied());
  EXPECT_EQ(result.updated(), 1);
  EXPECT_EQ(Devices().at(0).lifecycle(), v1::LIFECYCLE_ASSIGNED);
  EXPECT_EQ(Devices().at(0).model(), "X");
}

TEST_F(ImportApplyTest, RefusesToMarkAsLeftSomeoneHoldingADevice) {
  ImportA(kFrenchAgents);
  ASSERT_TRUE(store_->Write([&](store::Writer& w) -> Status {
    v1::Device d;
    d.set_serial("S1");
    d.set_asset_tag("RM-TAB-000001");
    d.set_kind(v1::DEVICE_KIND_TABLET);
    d.set_lifecycle(v1::LIFECYCLE_ASSIGNED);
    PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertDevice(d));
    v1::Allocation a;
    a.set_device_id(id);
    a.set_kind(v1::ALLOCATION_KIND_PERSONAL);
    a.set_employee_number("E000101");
    a.set_started_by("marie");
    ToTimestamp(kNow, a.mutable_started_at());
    PARC_TRY(w.InsertAllocation(a));
    v1::AuditEvent e;
    e.set_action("allocation.assign");
    PARC_TRY(w.AppendAudit(e));
    return Ok();
  }));
  v1::ImportResult result = ImportA("matricule;statut\nE000101;parti\nE000102;parti\n");
  EXPECT_FALSE(result.applied());
  EXPECT_THAT(Lines(result.problems()),
              ElementsAre("line 2, column statut: still holds RM-TAB-000001: return them before "
                          "marking the agent as left"));
}

TEST_F(ImportApplyTest, DeviceReimportCountsUpdates) {
  const char* csv =
      "serial,asset_tag,kind,model,site\nS1,RM-1,tablet,A8,CTM-NORD\nS2,RM-2,smartphone,A14,\n";
  EXPECT_EQ(ImportD(csv).created(), 2);
  v1::ImportResult result = ImportD(
      "serial,asset_tag,kind,model,site\nS1,RM-1,tablet,A8,CTM-SUD\nS2,RM-2,smartphone,"
      "A14,\nS3,RM-3,shared_pc,ProDesk,MAIRIE\n");
  EXPECT_TRUE(result.applied());
  EXPECT_EQ(result.created(), 1);
  EXPECT_EQ(result.updated(), 1);
  EXPECT_EQ(result.unchanged(), 1);
  auto updates = Audit("device.update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].target(), "device:S1");
  EXPECT_EQ(updates[0].summary(), "site: 'CTM-NORD' -> 'CTM-SUD'");
}

}  // namespace
}  // namespace parc::domain
