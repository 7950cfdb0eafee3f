#include "cli/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace parc::cli {
namespace {

TEST(TableTest, CountsAccentedLettersAsOneColumn) {
  EXPECT_EQ(DisplayWidth("Hélène"), 6u);
  EXPECT_EQ(DisplayWidth("Élodie Château"), 14u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(TableTest, AlignsColumnsWithAccentedNames) {
  Table table({"EMPLOYEE", "NAME", "SITE"});
  table.AddRow({"E1", "Hélène Dupré", "CTM-NORD"});
  table.AddRow({"E000002", "Paul Martin", "MAIRIE"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "EMPLOYEE  NAME          SITE\n"
            "E1        Hélène Dupré  CTM-NORD\n"
            "E000002   Paul Martin   MAIRIE\n");
}

TEST(TableTest, PadsMissingCellsAndLeavesNoTrailingSpaces) {
  Table table({"A", "B", "C"});
  table.AddRow({"long value"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(), "A           B  C\nlong value\n");
}

TEST(TableTest, KeepsOneRecordOnOneLine) {
  Table table({"NOTES"});
  table.AddRow({"écran\nfissuré\tà changer"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(), "NOTES\nécran fissuré à changer\n");
}

}  // namespace
}  // namespace parc::cli
