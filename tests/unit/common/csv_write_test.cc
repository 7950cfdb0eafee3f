#include "common/csv_write.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/csv.h"

namespace parc::csv {
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

TEST(CsvWriteTest, GuardsTextASpreadsheetWouldRunAsAFormula) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("+33 6 12"), "'+33 6 12");
  EXPECT_EQ(CsvField("-Dupont"), "'-Dupont");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
}

TEST(CsvWriteTest, LeavesNumbersAndInnerSignsAlone) {
  EXPECT_EQ(CsvField("-3"), "-3");
  EXPECT_EQ(CsvField("+33"), "+33");
  EXPECT_EQ(CsvField("-0,5"), "-0,5");
  EXPECT_EQ(CsvField("Jean-Marc"), "Jean-Marc");
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField("-"), "'-");
}

TEST(CsvWriteTest, AGuardedFieldReadsBackAsWritten) {
  for (std::string text : {"=1+1", "-Dupont", "@x", "+", "Hélène", "-3"}) {
    std::ostringstream out;
    {
      CsvWriter csv(out);
      csv.WriteRow({"name"});
      csv.WriteRow({text});
    }
    auto table = Parse(out.str());
    ASSERT_TRUE(table) << table.error().message;
    ASSERT_EQ(table->rows.size(), 1u);
    EXPECT_EQ(Unguard(table->rows[0].fields[0]), text);
  }
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
}  // namespace parc::csv
