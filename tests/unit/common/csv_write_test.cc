#include "cli/csv_write.h"

#include <gtest/gtest.h>

#include <sstream>

namespace parc::cli {
namespace {

TEST(CsvWriteTest, LeavesPlainFieldsAlone) {
  EXPECT_EQ(CsvField("Hélène"), "Hélène");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "a,b");  // ',' is not the separator
}

TEST(CsvWriteTest, QuotesFieldsHoldingTheSeparator) {
  EXPECT_EQ(CsvField("Propreté; Nord"), "\"Propreté; Nord\"");
  EXPECT_EQ(CsvField("a,b", ','), "\"a,b\"");
}

TEST(CsvWriteTest, DoublesQuotesInsideQuotedFields) {
  EXPECT_EQ(CsvField("dit \"Jo\""), "\"dit \"\"Jo\"\"\"");
}

TEST(CsvWriteTest, QuotesLineBreaks) {
  EXPECT_EQ(CsvField("ligne 1\nligne 2"), "\"ligne 1\nligne 2\"");
  EXPECT_EQ(CsvField("a\r\nb"), "\"a\r\nb\"");
}

TEST(CsvWriteTest, StartsWithBomAndEndsRowsWithCrlf) {
  std::ostringstream out;
  {
    CsvWriter csv(out);
    csv.WriteRow({"employee_number", "first_name"});
    csv.WriteRow({"E1", "Hélène; \"Lena\""});
  }
  EXPECT_EQ(out.str(),
            "\xEF\xBB\xBF"
            "employee_number;first_name\r\n"
            "E1;\"Hélène; \"\"Lena\"\"\"\r\n");
}

TEST(CsvWriteTest, WritesOnlyTheBomForNoRows) {
  std::ostringstream out;
  CsvWriter csv(out);
  EXPECT_EQ(out.str(), kUtf8Bom);
}

}  // namespace
}  // namespace parc::cli
