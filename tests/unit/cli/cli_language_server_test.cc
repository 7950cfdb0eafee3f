// parcctl's tables and the server's refusals in French against a real parcd;
// the same commands stay English without a French locale.
#include <gtest/gtest.h>

#include "cli_test_util.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

class CliLanguageServerTest : public ::testing::Test {
 protected:
  CliResult Run(const std::vector<std::string>& args, const std::string& lang,
                const std::string& token = "") {
    std::map<std::string, std::string> env = {
        {"PARC_ADDR", server_.address()},
        {"PARC_TOKEN", token.empty() ? server_.admin_token() : token}};
    if (!lang.empty()) env["LANG"] = lang;
    return testing::RunParcctl(args, env);
  }
  std::string Ok(const std::vector<std::string>& args, const std::string& lang) {
    CliResult run = Run(args, lang);
    EXPECT_EQ(run.code, 0) << run.err;
    return run.out;
  }
  void SetUp() override {
    Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"}, "");
    Ok({"agents", "add", "E000001", "--first-name", "Hélène", "--last-name", "Dupré",
        "--department", "PROPRETE", "--site", "CTM-NORD", "--email"},
       "");
    Ok({"agents", "add", "E000002", "--first-name", "Paul", "--last-name", "Martin", "--department",
        "PROPRETE", "--site", "CTM-NORD"},
       "");
  }
  parc::testing::TestServer server_;
};

TEST_F(CliLanguageServerTest, AgentTablesAreFrench) {
  std::string list = Ok({"agents", "list"}, "fr_FR.UTF-8");
  EXPECT_EQ(list.rfind("MATRICULE  NOM", 0), 0u) << list;
  EXPECT_NE(list.find("SERVICE"), std::string::npos) << list;
  EXPECT_NE(list.find("COURRIEL"), std::string::npos) << list;
  EXPECT_NE(list.find(" oui "), std::string::npos) << list;
  EXPECT_NE(list.find(" non "), std::string::npos) << list;
  std::string show = Ok({"agents", "show", "E000002"}, "fr_FR.UTF-8");
  EXPECT_NE(show.find("CHAMP"), std::string::npos) << show;
  EXPECT_NE(show.find("matricule"), std::string::npos) << show;
  EXPECT_NE(show.find("courriel     non"), std::string::npos) << show;  // as wide as "responsable"
  EXPECT_NE(show.find("responsable"), std::string::npos) << show;
  EXPECT_NE(Ok({"sites", "list"}, "fr_FR.UTF-8").find("CODE      NOM"), std::string::npos);
}

TEST_F(CliLanguageServerTest, ImportsAndHandOversSpeakFrench) {
  std::map<std::string, std::string> env = {{"PARC_ADDR", server_.address()},
                                            {"PARC_TOKEN", server_.admin_token()},
                                            {"LANG", "fr_FR.UTF-8"}};
  CliResult dry = testing::RunParcctl({"import", "devices", "-", "--dry-run"}, env,
                                      "serial;asset_tag;kind\nSN-7;TAB-7;tablet\n");
  EXPECT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("créés 1, modifiés 0, inchangés 0 (essai : rien n'a été enregistré)"),
            std::string::npos)
      << dry.out;
  CliResult bad =
      testing::RunParcctl({"import", "devices", "-"}, env, "serial;kind\nSN-8;laptop\n");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("entrée standard : ligne 2, colonne kind"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("rien n'a été enregistré"), std::string::npos) << bad.err;
  Ok({"devices", "add", "SN-9", "--kind", "tablet"}, "");
  std::string assigned = Ok({"assign", "SN-9", "E000001", "--due", "2030-01-31"}, "fr_FR.UTF-8");
  EXPECT_NE(assigned.find("SN-9 attribué à E000001 (Hélène Dupré), échéance 2030-01-31"),
            std::string::npos)
      << assigned;
  std::string history = Ok({"history", "SN-9"}, "fr_FR.UTF-8");
  EXPECT_NE(history.find("APPAREIL"), std::string::npos) << history;
  EXPECT_NE(history.find(" prêt "), std::string::npos) << history;
}

TEST_F(CliLanguageServerTest, AgentTablesStayEnglishWithoutAFrenchLocale) {
  std::string list = Ok({"agents", "list"}, "");
  EXPECT_EQ(list.rfind("EMPLOYEE  NAME", 0), 0u) << list;
  EXPECT_NE(list.find(" yes "), std::string::npos) << list;
  EXPECT_NE(list.find(" no "), std::string::npos) << list;
  EXPECT_NE(Ok({"agents", "show", "E000002"}, "en_GB.UTF-8").find("email       no"),
            std::string::npos);
}

TEST_F(CliLanguageServerTest, DevicesAndEnrollmentTokensAreFrench) {
  Ok({"devices", "add", "SN-1", "--kind", "tablet", "--asset-tag", "TAB-1"}, "");
  std::string list = Ok({"devices", "list"}, "fr_FR.UTF-8");
  EXPECT_EQ(list.rfind("N° DE SÉRIE  N° D'INVENTAIRE  TYPE", 0), 0u) << list;
  EXPECT_NE(list.find("INSCRIT"), std::string::npos) << list;
  EXPECT_NE(list.find(" tablette "), std::string::npos) << list;
  EXPECT_NE(list.find(" en stock "), std::string::npos) << list;
  EXPECT_NE(Ok({"agents", "list"}, "fr_FR.UTF-8").find(" en poste"), std::string::npos);
  std::string show = Ok({"devices", "show", "TAB-1"}, "fr_FR.UTF-8");
  for (const char* text : {"n° d'inventaire", "fin de garantie", "Attributions", "Événements"}) {
    EXPECT_NE(show.find(text), std::string::npos) << text << "\n" << show;
  }
  CliResult token = Run({"enroll-token", "create", "--uses", "2", "--no-qr"}, "fr_FR.UTF-8");
  EXPECT_EQ(token.code, 0) << token.err;
  EXPECT_NE(token.err.find("jeton d'inscription n°"), std::string::npos) << token.err;
  EXPECT_NE(token.err.find("2 utilisations, expire le "), std::string::npos) << token.err;
  EXPECT_NE(token.err.find("Gardez ce jeton maintenant"), std::string::npos) << token.err;
  CliResult revoked = Run({"devices", "revoke", "TAB-1"}, "fr_FR.UTF-8");
  EXPECT_NE(
      revoked.out.find("TAB-1 révoqué : son identifiant ne fonctionne plus (inscrit : révoqué)"),
      std::string::npos)
      << revoked.out << revoked.err;
  std::string english = Ok({"devices", "list"}, "");
  EXPECT_NE(english.find("SERIAL  ASSET TAG  KIND"), std::string::npos) << english;
  EXPECT_NE(english.find(" tablet "), std::string::npos) << english;
  EXPECT_NE(english.find(" in_stock "), std::string::npos) << english;
}

TEST_F(CliLanguageServerTest, ReportsStatusAndModulesAreFrench) {
  Ok({"devices", "add", "SN-1", "--kind", "tablet", "--asset-tag", "TAB-1"}, "");
  std::string summary = Ok({"report", "summary"}, "fr_FR.UTF-8");
  for (const char* text : {"Appareils", "TOTAL  PERSONNELS", "Par service", "Par type et état"}) {
    EXPECT_NE(summary.find(text), std::string::npos) << text << "\n" << summary;
  }
  EXPECT_NE(Ok({"report", "summary"}, "").find("By department"), std::string::npos);
  std::string status = Ok({"devices", "status", "TAB-1"}, "fr_FR.UTF-8");
  EXPECT_NE(status.find("État : jamais connecté"), std::string::npos) << status;
  std::string module = Ok({"modules", "add", "MAIL-1", "--title", "Messagerie"}, "fr_FR.UTF-8");
  EXPECT_NE(module.find("brouillon"), std::string::npos) << module;
  EXPECT_NE(module.find("Pas encore de documents : parcctl modules add-item MAIL-1"),
            std::string::npos)
      << module;
  std::string progress = Ok({"progress"}, "fr_FR.UTF-8");
  EXPECT_NE(progress.find("0 attribués, 0 ouverts, 0 terminés, 0 en retard"), std::string::npos)
      << progress;
}

TEST_F(CliLanguageServerTest, ServerRefusalsAreFramedInFrench) {
  CliResult missing = Run({"agents", "show", "E999"}, "fr_FR.UTF-8");
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err.rfind("parcctl : erreur : introuvable : ", 0), 0u) << missing.err;
  EXPECT_NE(missing.err.find("E999"), std::string::npos) << missing.err;
  std::string auditor = server_.TokenFor("lecteur", v1::ROLE_AUDITOR);
  CliResult refused = Run({"sites", "add", "CTM-SUD", "--name", "Sud"}, "fr_FR.UTF-8", auditor);
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("action refusée, le serveur ne l'autorise pas : "), std::string::npos)
      << refused.err;
  CliResult bad = Run({"agents", "list"}, "fr_FR.UTF-8", "not-a-real-token");
  EXPECT_NE(bad.err.find("le serveur refuse l'identification"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("(vérifiez PARC_TOKEN)"), std::string::npos) << bad.err;
}

TEST_F(CliLanguageServerTest, ServerRefusalsAreEnglishWithoutAFrenchLocale) {
  CliResult missing = Run({"agents", "show", "E999"}, "C");
  EXPECT_EQ(missing.err.rfind("parcctl: not found: ", 0), 0u) << missing.err;
}

}  // namespace
}  // namespace parc::cli
