#include "common/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parc::csv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTest, ReadsCommaSeparatedFileWithLineNumbers) {
  auto table = Parse("a,b\n1,2\n3,4\n");
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->separator, ',');
  EXPECT_THAT(table->header.fields, ElementsAre("a", "b"));
  EXPECT_EQ(table->header.line, 1);
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(table->rows[1].fields, ElementsAre("3", "4"));
  EXPECT_EQ(table->rows[1].line, 3);
}

TEST(CsvTest, DetectsSemicolonFromTheHeaderEvenWithCommasInData) {
  auto table = Parse("nom;remarques\nDupont;un, deux, trois\n");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->separator, ';');
  EXPECT_THAT(table->rows[0].fields, ElementsAre("Dupont", "un, deux, trois"));
}

TEST(CsvTest, DetectsTab) {
  auto table = Parse("a\tb\nx\ty");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->separator, '\t');
  EXPECT_THAT(table->rows[0].fields, ElementsAre("x", "y"));
}

TEST(CsvTest, StripsByteOrderMark) {
  auto table = Parse("\xEF\xBB\xBFmatricule;nom\r\nE1;Le Goff\r\n");
  ASSERT_TRUE(table);
  EXPECT_THAT(table->header.fields, ElementsAre("matricule", "nom"));
  EXPECT_THAT(table->rows[0].fields, ElementsAre("E1", "Le Goff"));
}

TEST(CsvTest, HandlesCrlfAndMissingFinalNewline) {
  auto table = Parse("a;b\r\n1;2\r\n3;4");
  ASSERT_TRUE(table);
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(table->rows[1].fields, ElementsAre("3", "4"));
  EXPECT_EQ(table->rows[1].line, 3);
}

TEST(CsvTest, UnquotesFieldsWithSeparatorsQuotesAndNewlines) {
  auto table =
      Parse("a;b;c\n\"x;y\";\"il a dit \"\"oui\"\"\";\"ligne 1\r\nligne 2\nligne 3\"\nlast;2;3\n");
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(table->rows[0].fields,
              ElementsAre("x;y", "il a dit \"oui\"", "ligne 1\nligne 2\nligne 3"));
  EXPECT_EQ(table->rows[0].line, 2);
  EXPECT_EQ(table->rows[1].line, 5);  // after a field spanning lines 2-4
}

TEST(CsvTest, KeepsEmptyFieldsAndTrailingSeparator) {
  auto table = Parse("a,b,c\n,,x\ny,,\n");
  ASSERT_TRUE(table);
  EXPECT_THAT(table->rows[0].fields, ElementsAre("", "", "x"));
  EXPECT_THAT(table->rows[1].fields, ElementsAre("y", "", ""));
}

TEST(CsvTest, SkipsEmptyLinesButCountsThem) {
  auto table = Parse("\na;b\n\n1;2\n;;\n\r\n3;4\n\n");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->header.line, 2);
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].line, 4);
  EXPECT_EQ(table->rows[1].line, 7);
}

TEST(CsvTest, RejectsUnterminatedQuoteWithItsLine) {
  auto table = Parse("a;b\n1;2\n3;\"never closed\n4;5\n");
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(table.error().message, HasSubstr("line 3, column b: unterminated quoted field"));
}

TEST(CsvTest, RejectsTextAfterClosingQuote) {
  auto table = Parse("a,b\n\"x\"y,2\n");
  ASSERT_FALSE(table);
  EXPECT_THAT(table.error().message, HasSubstr("line 2, column a: text after a closing quote"));
}

TEST(CsvTest, RejectsInvalidUtf8WithLineAndColumn) {
  // "Hélène" in Latin-1, as an old spreadsheet would save it.
  auto table = Parse("nom;prenom\nDupont;H\xE9l\xE8ne\n");
  ASSERT_FALSE(table);
  EXPECT_THAT(table.error().message, HasSubstr("line 2, column prenom: invalid UTF-8"));
}

TEST(CsvTest, RejectsEmptyFile) {
  EXPECT_FALSE(Parse(""));
  EXPECT_FALSE(Parse("\xEF\xBB\xBF\r\n\r\n"));
}

TEST(CsvTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("Hélène, Œuvre, 日本, 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE9t\xE9"));         // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
}

TEST(CsvTest, FoldsNamesForComparison) {
  EXPECT_EQ(FoldName("Prénom"), "prenom");
  EXPECT_EQ(FoldName("  N° d'inventaire "), "n_d_inventaire");
  EXPECT_EQ(FoldName("NUMÉRO DE SÉRIE"), "numero_de_serie");
  EXPECT_EQ(FoldName("A un email (oui/non)"), "a_un_email_oui_non");
  EXPECT_EQ(FoldName("employee_number"), "employee_number");
  EXPECT_EQ(FoldName("État"), "etat");
}

// Found by tests/fuzz (agents_import): a header of 50,000 one-letter columns
// took minutes and hundreds of MB, one problem per column; an empty field is a
// whole std::string per byte of text.
TEST(CsvTest, ARecordOfMoreThanMaxFieldsIsRefusedNamingItsLine) {
  std::string fields(kMaxFields - 1, ';');
  auto table = Parse("a\n" + fields + "\n");
  ASSERT_TRUE(table) << table.error().message;
  auto wide = Parse("a\n" + fields + ";\n");
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(wide.error().message, "line 2: more than 1024 fields");
  auto separators_only = Parse("a\n\n" + std::string(10'000'000, ','));
  ASSERT_FALSE(separators_only);
  EXPECT_THAT(separators_only.error().message, HasSubstr("line 3: more than"));
}

TEST(CsvTest, AHeaderFieldOfMoreThanMaxHeaderBytesIsRefused) {
  // Importers copy the header into every problem of its column: a 100 KB
  // header (spaces fold away, "   has_email" is has_email) and 2,000 bad rows
  // made 200 MB of problems from a 115 KB file.
  std::string header(kMaxHeaderBytes, 'h');
  ASSERT_TRUE(Parse("id;" + header + "\n1;2\n"));
  auto table = Parse("id;" + header + "h\n1;2\n");
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().message, "line 1, column 2: a header of more than 512 bytes");
  std::string long_cell(100'000, 'x');
  EXPECT_TRUE(Parse("id;note\n1;" + long_cell + "\n"));  // data cells are not limited
}

}  // namespace
}  // namespace parc::csv
