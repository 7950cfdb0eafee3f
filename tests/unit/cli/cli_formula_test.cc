// Issue 18, the CSV formula guard on every export: parcctl's CSV files
// (export agents, devices, allocations; progress --csv and --output) from
// records whose texts start with =, +, - or @, against a real parcd. The
// dashboard's downloads: tests/integration/hostile_input_test.cc.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli_test_util.h"
#include "tests/support/csv_formulas.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

TEST(CliFormulaTest, EveryCsvExportGuardsFormulas) {
  parc::testing::TestServer server;
  const std::map<std::string, std::string> env = {{"PARC_ADDR", server.address()},
                                                  {"PARC_TOKEN", server.admin_token()}};
  auto ok = [&](const std::vector<std::string>& args) {
    CliResult run = testing::RunParcctl(args, env, "");
    EXPECT_EQ(run.code, 0) << args[0] << ": " << run.err;
    return run.out;
  };
  ok({"agents", "add", "E000001", "--first-name", "=HYPERLINK(\"http://evil.example\")",
      "--last-name", "+SUM(A1:A9)", "--department", "@PROPRETE", "--site", "=SITE", "--wave",
      "-vague"});
  CliResult imported = testing::RunParcctl(
      {"import", "devices", "-"}, env,
      "serial;asset_tag;kind;model;notes\n=SN1;+TAG1;tablet;=cmd|' /C calc'!A0;@notes\n");
  ASSERT_EQ(imported.code, 0) << imported.err;
  ok({"assign", "=SN1", "E000001"});
  ok({"modules", "add", "MOD-1", "--title", "=Titre", "--tier", "illectronisme"});
  auto sheet = server.dir() / "fiche.pdf";
  std::ofstream(sheet) << "%PDF-1.4 a sheet";
  ok({"modules", "add-item", "MOD-1", sheet.string(), "--title", "@La fiche"});
  ok({"modules", "publish", "MOD-1"});
  ok({"modules", "assign", "MOD-1", "--agent", "E000001"});
  int guarded = 0;
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"export", "agents"},
                                             {"export", "devices"},
                                             {"export", "allocations"},
                                             {"progress", "--csv", "--all"}}) {
    std::string csv = ok(args);
    EXPECT_EQ(parc::testing::FormulaCells(csv), std::vector<std::string>{}) << args[1];
    guarded += parc::testing::GuardedCells(csv);
  }
  auto path = server.dir() / "suivi.csv";
  ok({"progress", "--all", "--output", path.string()});
  std::ifstream in(path);
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(parc::testing::FormulaCells(file.str()), std::vector<std::string>{});
  EXPECT_GT(guarded, 3) << "the seeded formulas reached the files";
}

}  // namespace
}  // namespace parc::cli
