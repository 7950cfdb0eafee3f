// The Pix Orga export reader, on byte-exact fixtures (tests/fixtures/pix/,
// written per shared/formats/PIX.md), and the Europe/Paris time rule.
#include "daemon/domain/pix.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace parc::domain {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(PARC_FIXTURES_DIR) + "/pix/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Problems(const PixFile& file) {
  std::string out;
  for (const auto& p : file.problems) {
    out += std::to_string(p.line()) + " [" + p.column() + "] " + p.reason() + "\n";
  }
  return out;
}

const PixArea* Area(const PixRow& row, int code) {
  for (const PixArea& a : row.areas) {
    if (a.code == code) return &a;
  }
  return nullptr;
}

TEST(PixTest, FixturesAreWhatPixWrites) {
  for (const char* name :
       {"assessment.csv", "profiles.csv", "assessment_old.csv", "profiles_old.csv"}) {
    std::string text = Fixture(name);
    EXPECT_TRUE(text.starts_with("\xEF\xBB\xBF\"Nom de l'organisation\";\"ID Campagne\";")) << name;
    EXPECT_EQ(text.find('\r'), std::string::npos) << name;
    EXPECT_EQ(text.back(), '\n') << name;
    EXPECT_EQ(text.find("\xEF\xBB\xBF", 1), std::string::npos) << name;
  }
}

TEST(PixTest, ReadsAnAssessmentCampaignExport) {
  auto file = ParsePixExport(Fixture("assessment.csv"), "");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->format, PixFormat::kAssessment);
  EXPECT_EQ(file->id_column, "Matricule agent");  // the one column the export does not define
  EXPECT_EQ(Problems(*file), "");
  EXPECT_EQ(file->not_shared, 1);  // Martin Léa started but did not share
  ASSERT_EQ(file->rows.size(), 4u);

  const PixRow& bono = file->rows[0];
  EXPECT_EQ(bono.line, 2);
  EXPECT_EQ(bono.employee_number, "E000101");
  EXPECT_EQ(bono.assessed_at_ms, 1772717400000);  // 05/03/2026 14:30 Paris = 13:30 UTC
  EXPECT_EQ(bono.campaign_id, 4512);
  EXPECT_EQ(bono.campaign_code, "QWERTY456");
  EXPECT_DOUBLE_EQ(bono.mastery, 0.67);
  EXPECT_EQ(bono.pix_score, -1);
  ASSERT_EQ(bono.areas.size(), 2u);
  EXPECT_EQ(bono.areas[0].code, 1);
  EXPECT_EQ(bono.areas[0].title, "Information et données");
  EXPECT_DOUBLE_EQ(bono.areas[0].mastery, 0.67);
  EXPECT_EQ(bono.areas[1].code, 4);
  EXPECT_EQ(bono.areas[1].title, "Protection et sécurité");
  EXPECT_EQ(bono.areas[1].level, -1);

  EXPECT_EQ(file->rows[1].employee_number, "E000101");  // an earlier participation, kept
  EXPECT_EQ(file->rows[1].assessed_at_ms, 1768035600000);
  EXPECT_DOUBLE_EQ(file->rows[1].mastery, 0.17);

  const PixRow& dupont = file->rows[2];  // "Du Pont; ""Dédé""": ';' and '"' inside the name
  EXPECT_EQ(dupont.line, 4);
  EXPECT_EQ(dupont.employee_number, "000123");      // digits only: written unquoted
  EXPECT_EQ(dupont.assessed_at_ms, 1780304700000);  // 01/06/2026 11:05 Paris = 09:05 UTC
  EXPECT_DOUBLE_EQ(dupont.mastery, 1.0);

  const PixRow& nguyen = file->rows[3];
  EXPECT_EQ(nguyen.line, 6);
  EXPECT_EQ(nguyen.employee_number, "E000104");     // " e000104 " trimmed, upper-cased
  EXPECT_EQ(nguyen.assessed_at_ms, 1792888200000);  // repeated hour: read as summer time
  EXPECT_DOUBLE_EQ(nguyen.mastery, 0.05);
}

TEST(PixTest, ReadsAProfilesCollectionExport) {
  auto file = ParsePixExport(Fixture("profiles.csv"), "");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->format, PixFormat::kProfilesCollection);
  EXPECT_EQ(file->id_column, "Matricule");
  EXPECT_EQ(Problems(*file), "");
  EXPECT_EQ(file->not_shared, 1);
  ASSERT_EQ(file->rows.size(), 3u);

  const PixRow& bono = file->rows[0];
  EXPECT_EQ(bono.employee_number, "E000101");
  EXPECT_EQ(bono.assessed_at_ms, 1772406240000);  // 02/03/2026 00:04 Paris = 01/03 23:04 UTC
  EXPECT_EQ(bono.campaign_id, 4620);
  EXPECT_EQ(bono.campaign_code, "PROFIL789");
  EXPECT_EQ(bono.pix_score, 146);
  EXPECT_EQ(bono.mastery, -1);
  ASSERT_EQ(bono.areas.size(), 5u);
  // Levels 2,1,1 -> 1; 2,1,0,1 -> 1; 2,0,0,0 -> 0.5 -> 1; 1,1,0 -> 1; 1,0 -> 1.
  for (int code = 1; code <= 5; ++code) {
    ASSERT_NE(Area(bono, code), nullptr) << code;
    EXPECT_EQ(Area(bono, code)->level, 1) << code;
    EXPECT_EQ(Area(bono, code)->mastery, -1) << code;
  }
  EXPECT_EQ(Area(bono, 5)->title, "Environnement numérique");

  const PixRow& dupont = file->rows[1];
  EXPECT_EQ(dupont.employee_number, "000123");
  EXPECT_EQ(dupont.assessed_at_ms, 1774747800000);  // first summer hour: 03:30 = 01:30 UTC
  EXPECT_EQ(Area(dupont, 2)->level, 4);             // 5,4,4,3 -> 4
  EXPECT_EQ(Area(dupont, 3)->level, 3);             // 4,3,3,2 -> 3

  EXPECT_EQ(file->rows[2].pix_score, 32);
  EXPECT_EQ(Area(file->rows[2], 1)->level, 0);
}

TEST(PixTest, ReadsOlderLabelsAndUnquotedIsoDates) {
  auto assessment = ParsePixExport(Fixture("assessment_old.csv"), "");
  ASSERT_TRUE(assessment) << assessment.error().message;
  EXPECT_EQ(assessment->format, PixFormat::kAssessment);
  EXPECT_EQ(assessment->id_column, "Identifiant agent");
  EXPECT_EQ(Problems(*assessment), "");
  EXPECT_EQ(assessment->not_shared, 1);
  ASSERT_EQ(assessment->rows.size(), 1u);
  EXPECT_EQ(assessment->rows[0].assessed_at_ms, 1561932000000);  // 2019-07-01 00:00 Paris
  EXPECT_EQ(assessment->rows[0].campaign_code, "");              // no Code column then
  EXPECT_EQ(assessment->rows[0].campaign_id, 1200);
  EXPECT_DOUBLE_EQ(assessment->rows[0].mastery, 0.42);
  EXPECT_DOUBLE_EQ(assessment->rows[0].areas[1].mastery, 0.25);

  auto profiles = ParsePixExport(Fixture("profiles_old.csv"), "");
  ASSERT_TRUE(profiles) << profiles.error().message;
  EXPECT_EQ(profiles->format, PixFormat::kProfilesCollection);
  EXPECT_EQ(profiles->id_column, "Mail Perso");
  EXPECT_EQ(Problems(*profiles), "");
  ASSERT_EQ(profiles->rows.size(), 1u);
  EXPECT_EQ(profiles->rows[0].assessed_at_ms, 1551394800000);  // 2019-03-01 00:00 Paris
  EXPECT_EQ(profiles->rows[0].pix_score, 72);
}

TEST(PixTest, NamedIdColumnWinsAndUnknownNameIsRefused) {
  auto file = ParsePixExport(Fixture("assessment.csv"), "matricule AGENT");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->id_column, "Matricule agent");

  auto missing = ParsePixExport(Fixture("assessment.csv"), "Numéro d'agent");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find("Numéro d'agent"), std::string::npos);
}

const std::string kHeader =
    "\xEF\xBB\xBF\"Nom de l'organisation\";\"ID Campagne\";\"Code\";\"Nom de la campagne\";"
    "\"Nom du Participant\";\"Prénom du Participant\";";
const std::string kTail =
    "\"Envoi (O/N)\";\"Date et heure de l'envoi (Europe/Paris)\";\"Nombre de pix total\";"
    "\"Certifiable (O/N)\";\"Nombre de compétences certifiables\"\n";
const std::string kRowHead = "\"Mairie\";7;\"ABC\";\"Collecte\";\"Nom\";\"Prénom\";";

TEST(PixTest, AmbiguousOrAbsentIdColumnNamesTheCandidates) {
  auto two = ParsePixExport(kHeader + "\"Service\";\"Matricule\";" + kTail, "");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(two.error().message.find("'Service', 'Matricule'"), std::string::npos)
      << two.error().message;
  EXPECT_NE(two.error().message.find("--id-column"), std::string::npos);

  auto none = ParsePixExport(kHeader + kTail, "");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("external id"), std::string::npos) << none.error().message;

  auto chosen = ParsePixExport(kHeader + "\"Service\";\"Matricule\";" + kTail + kRowHead +
                                   "\"Voirie\";\"E1\";\"Oui\";\"01/02/2026 10:00\";"
                                   "100;\"Non\";3\n",
                               "Matricule");
  ASSERT_TRUE(chosen) << chosen.error().message;
  ASSERT_EQ(chosen->rows.size(), 1u);
  EXPECT_EQ(chosen->rows[0].employee_number, "E1");
}

TEST(PixTest, BadValuesAreProblemsOnTheirLine) {
  std::string csv = kHeader + "\"Matricule\";" + kTail + kRowHead +
                    "\"\";\"Oui\";\"01/02/2026 10:00\";100;\"Non\";3\n" +                  // 2
                    kRowHead + "\"E2\";\"Oui\";\"31/02/2026 10:00\";100;\"Non\";3\n" +     // 3
                    kRowHead + "\"E3\";\"Oui\";\"01/02/2026 10:00\";\"NA\";\"Non\";3\n" +  // 4
                    kRowHead + "\"E4\";\"Oui\";\"01/02/2026 10:00\";12,5;\"Non\";3\n" +    // 5
                    kRowHead + "\"E5\";\"Peut-être\";\"NA\";\"NA\";\"NA\";\"NA\"\n" +      // 6
                    kRowHead + "\"\";\"Non\";\"NA\";\"NA\";\"NA\";\"NA\"\n" +          // 7: skipped
                    kRowHead + "\"E8\";\"Oui\";\"01/02/2026 10:00\";100;\"Non\";3\n";  // 8
  auto file = ParsePixExport(csv, "");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(Problems(*file),
            "2 [Matricule] empty employee number\n"
            "3 [Date et heure de l'envoi (Europe/Paris)] '31/02/2026 10:00' is not a date "
            "DD/MM/YYYY HH:MM\n"
            "4 [Nombre de pix total] missing pix total for a sent profile\n"
            "5 [Nombre de pix total] '12,5' is not a pix total 0..1024\n"
            "6 [Envoi (O/N)] 'Peut-être' is not Oui or Non\n");
  EXPECT_EQ(file->not_shared, 1);
  ASSERT_EQ(file->rows.size(), 1u);
  EXPECT_EQ(file->rows[0].line, 8);
}

TEST(PixTest, RefusesFilesThatAreNotPixExports) {
  auto agents = ParsePixExport("matricule;prenom;nom\nE1;Jean;Bon\n", "");
  ASSERT_FALSE(agents);
  EXPECT_EQ(agents.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(agents.error().message.find("Pix Orga"), std::string::npos);

  auto unterminated = ParsePixExport(kHeader + "\"Matricule;" + kTail, "");
  ASSERT_FALSE(unterminated);
  EXPECT_EQ(unterminated.error().code, ErrorCode::kInvalidArgument);
}

TEST(PixTest, ParisTimeFollowsTheEuRule) {
  // Winter (UTC+1), summer (UTC+2), and both edges of both changes.
  EXPECT_EQ(ParisTimeToUtcMs(2026, 1, 15, 12, 0), 1768474800000);   // 11:00 UTC
  EXPECT_EQ(ParisTimeToUtcMs(2026, 7, 14, 12, 0), 1784023200000);   // 10:00 UTC
  EXPECT_EQ(ParisTimeToUtcMs(2026, 3, 29, 1, 59), 1774745940000);   // 00:59 UTC, winter
  EXPECT_EQ(ParisTimeToUtcMs(2026, 3, 29, 2, 30), 1774747800000);   // skipped hour: as winter
  EXPECT_EQ(ParisTimeToUtcMs(2026, 3, 29, 3, 0), 1774746000000);    // 01:00 UTC, summer
  EXPECT_EQ(ParisTimeToUtcMs(2026, 10, 25, 2, 30), 1792888200000);  // repeated: as summer
  EXPECT_EQ(ParisTimeToUtcMs(2026, 10, 25, 3, 0), 1792893600000);   // 02:00 UTC, winter
  EXPECT_EQ(ParisTimeToUtcMs(2024, 2, 29, 0, 0), 1709161200000);    // a leap day
  EXPECT_EQ(ParisTimeToUtcMs(2021, 3, 28, 3, 0), 1616893200000);    // another year's Sunday
}

}  // namespace
}  // namespace parc::domain
