// parcctl in the operator's language, without a server: --help, usage errors
// and connection errors are French under a French locale (LANG, LC_MESSAGES,
// LC_ALL as POSIX orders them), English otherwise.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_test_util.h"

namespace parc::cli {
namespace {

using testing::RunParcctl;

using Env = std::map<std::string, std::string>;

Env With(Env env, const std::string& name, const std::string& value) {
  env[name] = value;
  return env;
}

const Env kUnreachable = {{"PARC_ADDR", "127.0.0.1:1"}, {"PARC_TOKEN", "secret-token-123"}};
const Env kFrench = With(kUnreachable, "LANG", "fr_FR.UTF-8");

TEST(LanguageTest, HelpIsFrenchUnderAFrenchLocale) {
  auto run = RunParcctl({"--help"}, kFrench);
  EXPECT_EQ(run.code, 0);
  for (const char* text : {"Parc : les appareils prêtés", "Utilisation", "Afficher cette aide",
                           "adresse de parcd hôte:port", "Sous-commandes:",
                           "le personnel : lister, afficher, ajouter, modifier"}) {
    EXPECT_NE(run.out.find(text), std::string::npos) << text << "\n" << run.out;
  }
  for (const char* text : {"Usage", "Print this help", "Subcommands", "staff: list"}) {
    EXPECT_EQ(run.out.find(text), std::string::npos) << text << "\n" << run.out;
  }
}

TEST(LanguageTest, HelpIsEnglishWithoutALocale) {
  auto run = RunParcctl({"--help"}, kUnreachable);
  EXPECT_EQ(run.code, 0);
  for (const char* text : {"Usage", "Print this help message and exit", "Subcommands:",
                           "staff: list, show, add, update", "parcd address host:port"}) {
    EXPECT_NE(run.out.find(text), std::string::npos) << text << "\n" << run.out;
  }
  EXPECT_EQ(run.out.find("Utilisation"), std::string::npos) << run.out;
}

TEST(LanguageTest, SubcommandHelpDescribesOptionsInFrench) {
  auto run = RunParcctl({"agents", "list", "--help"}, kFrench);
  EXPECT_EQ(run.code, 0);
  for (const char* text : {"lister les agents", "code du service", "texte dans le matricule",
                           "Options:", "Afficher cette aide"}) {
    EXPECT_NE(run.out.find(text), std::string::npos) << text << "\n" << run.out;
  }
}

// The first line of `parcctl ... --help` is the subcommand's description: it
// must come from the catalogue, so the two languages differ, for every verb.
TEST(LanguageTest, EverySubcommandDescriptionIsTranslated) {
  const std::vector<std::vector<std::string>> verbs = {{"agents"},
                                                       {"agents", "list"},
                                                       {"agents", "show"},
                                                       {"agents", "add"},
                                                       {"agents", "update"},
                                                       {"sites"},
                                                       {"sites", "list"},
                                                       {"sites", "show"},
                                                       {"sites", "add"},
                                                       {"devices"},
                                                       {"devices", "list"},
                                                       {"devices", "show"},
                                                       {"devices", "status"},
                                                       {"devices", "add"},
                                                       {"devices", "update"},
                                                       {"devices", "retire"},
                                                       {"devices", "revoke"},
                                                       {"devices", "allow-enroll"},
                                                       {"enroll-token"},
                                                       {"enroll-token", "create"},
                                                       {"export"},
                                                       {"audit"},
                                                       {"report"},
                                                       {"report", "summary"},
                                                       {"report", "coverage"},
                                                       {"report", "stale"},
                                                       {"report", "health"},
                                                       {"report", "funnel"},
                                                       {"report", "overdue"},
                                                       {"skills"},
                                                       {"skills", "list"},
                                                       {"skills", "tiers"},
                                                       {"modules"},
                                                       {"modules", "add"},
                                                       {"modules", "list"},
                                                       {"modules", "show"},
                                                       {"modules", "add-item"},
                                                       {"modules", "publish"},
                                                       {"modules", "archive"},
                                                       {"modules", "assign"},
                                                       {"modules", "assignments"},
                                                       {"modules", "unassign"},
                                                       {"progress"},
                                                       {"operators"},
                                                       {"operators", "add"},
                                                       {"operators", "list"},
                                                       {"operators", "revoke"},
                                                       {"tokens"},
                                                       {"tokens", "create"},
                                                       {"tokens", "list"},
                                                       {"tokens", "revoke"},
                                                       {"whoami"},
                                                       {"backup"},
                                                       {"assign"},
                                                       {"return"},
                                                       {"history"},
                                                       {"import"},
                                                       {"import", "agents"},
                                                       {"import", "devices"},
                                                       {"import", "pix"}};
  for (std::vector<std::string> args : verbs) {
    args.push_back("--help");
    auto english = RunParcctl(args, kUnreachable);
    auto french = RunParcctl(args, kFrench);
    ASSERT_EQ(english.code, 0) << args[0];
    std::string en = english.out.substr(0, english.out.find('\n'));
    std::string fr = french.out.substr(0, french.out.find('\n'));
    EXPECT_NE(en, fr) << args[0] << " " << args[1];
    EXPECT_EQ(french.out.find("Print this help"), std::string::npos) << args[0];
  }
}

TEST(LanguageTest, LcAllAndLcMessagesComeBeforeLang) {
  EXPECT_NE(RunParcctl({"--help"}, With(kFrench, "LC_ALL", "C")).out.find("Usage:"),
            std::string::npos);
  EXPECT_NE(RunParcctl({"--help"}, With(kUnreachable, "LC_MESSAGES", "fr_FR.UTF-8"))
                .out.find("Utilisation"),
            std::string::npos);
  EXPECT_NE(RunParcctl({"--help"}, With(With(kUnreachable, "LANG", "C"), "LC_ALL", "fr_FR"))
                .out.find("Utilisation"),
            std::string::npos);
}

TEST(LanguageTest, UsageErrorsAreFrench) {
  auto extra = RunParcctl({"frobnicate"}, kFrench);
  EXPECT_EQ(extra.code, 2);
  EXPECT_NE(extra.err.find("argument inattendu : frobnicate"), std::string::npos) << extra.err;
  EXPECT_NE(extra.err.find("Lancez avec --help"), std::string::npos) << extra.err;
  auto missing = RunParcctl({"agents", "show"}, kFrench);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("EMPLOYEE est obligatoire"), std::string::npos) << missing.err;
  auto both = RunParcctl({"agents", "add", "E1", "--first-name", "A", "--last-name", "B",
                          "--department", "D", "--site", "S", "--email", "--no-email"},
                         kFrench);
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.err.find("s'excluent"), std::string::npos) << both.err;
  auto status = RunParcctl({"agents", "list", "--status", "gone"}, kFrench);
  EXPECT_EQ(status.code, 2);
  EXPECT_NE(status.err.find("« gone » n'est pas l'une des valeurs active|left"), std::string::npos)
      << status.err;
  auto none = RunParcctl({"agents"}, kFrench);
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("Une sous-commande est nécessaire"), std::string::npos) << none.err;
}

TEST(LanguageTest, UsageErrorsStayEnglishWithoutALocale) {
  EXPECT_NE(RunParcctl({"frobnicate"}, kUnreachable).err.find("unexpected argument: frobnicate"),
            std::string::npos);
  EXPECT_NE(RunParcctl({"agents", "show"}, kUnreachable).err.find("EMPLOYEE is required"),
            std::string::npos);
  EXPECT_NE(RunParcctl({"agents"}, kUnreachable).err.find("A subcommand is required"),
            std::string::npos);
}

TEST(LanguageTest, ConnectionErrorsAreFramedAndWordedInFrench) {
  auto run = RunParcctl({"agents", "list"}, kFrench);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("parcctl : erreur : le serveur est injoignable : "), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("(parcd tourne-t-il à l'adresse 127.0.0.1:1 ?)"), std::string::npos)
      << run.err;
  auto no_token = RunParcctl({"agents", "list"}, {{"LANG", "fr_FR.UTF-8"}});
  EXPECT_NE(no_token.err.find("pas de jeton d'API : passez --token"), std::string::npos)
      << no_token.err;
}

TEST(LanguageTest, ABrokenConfigFileIsReportedInFrench) {
  auto path =
      std::filesystem::temp_directory_path() /
      ("parcctl-fr-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".toml");
  std::ofstream(path) << "addr = \n";
  auto run = RunParcctl({"whoami"}, {{"PARC_CONFIG", path.string()}, {"LANG", "fr_FR.UTF-8"}});
  std::filesystem::remove(path);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("parcctl : erreur : "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("ligne 1 : "), std::string::npos) << run.err;
}

TEST(LanguageTest, ConnectionErrorsAreEnglishWithoutALocale) {
  auto run = RunParcctl({"agents", "list"}, With(kUnreachable, "LANG", "C.UTF-8"));
  EXPECT_NE(run.err.find("parcctl: the server cannot be reached: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("(is parcd running at 127.0.0.1:1?)"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace parc::cli
