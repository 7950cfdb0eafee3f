#include "common/fold.h"

#include <gtest/gtest.h>

namespace parc {
namespace {

TEST(FoldTest, LowersAsciiAndKeepsEverythingElse) {
  EXPECT_EQ(FoldForSearch("SN-ABC 123/x"), "sn-abc 123/x");
  EXPECT_EQ(FoldForSearch(""), "");
}

TEST(FoldTest, DropsFrenchAccents) {
  EXPECT_EQ(FoldForSearch("Lefèvre"), "lefevre");
  EXPECT_EQ(FoldForSearch("ÉTAT-CIVIL"), "etat-civil");
  EXPECT_EQ(FoldForSearch("À consolider"), "a consolider");
  EXPECT_EQ(FoldForSearch("Noël Ça Où Ÿ"), "noel ca ou y");
}

TEST(FoldTest, FoldsVietnameseStackedMarksAndStrokedD) {
  EXPECT_EQ(FoldForSearch("Ðặng"), "dang");            // U+00D0 Eth
  EXPECT_EQ(FoldForSearch("\u0110\u1eb7ng"), "dang");  // U+0110 D with stroke
  EXPECT_EQ(FoldForSearch("đặng Thị Ngọc Ánh"), "dang thi ngoc anh");
  EXPECT_EQ(FoldForSearch("Nguyễn Hữu"), "nguyen huu");
}

TEST(FoldTest, DropsCombiningMarksOfDecomposedInput) {
  EXPECT_EQ(FoldForSearch("Lefe\u0300vre"), "lefevre");
  EXPECT_EQ(FoldForSearch("D\u0323a\u0306\u0323ng"), "dang");
}

TEST(FoldTest, SpellsOutLigaturesAndLettersThatDoNotDecompose) {
  EXPECT_EQ(FoldForSearch("Œuvre cœur"), "oeuvre coeur");
  EXPECT_EQ(FoldForSearch("Æsir"), "aesir");
  EXPECT_EQ(FoldForSearch("Straße STRAẞE"), "strasse strasse");
  EXPECT_EQ(FoldForSearch("\ufb01let \ufb02eur \ufb00"), "filet fleur ff");
  EXPECT_EQ(FoldForSearch("Łódź Øre Þór Ħal ı"), "lodz ore thor hal i");
}

TEST(FoldTest, OneApostrophe) {
  EXPECT_EQ(FoldForSearch("N\u2019Diaye"), "n'diaye");
  EXPECT_EQ(FoldForSearch("d\u02bcArc"), "d'arc");
  EXPECT_EQ(FoldForSearch("O\u2018Neil"), "o'neil");
  EXPECT_EQ(FoldForSearch("l'Hôtel"), "l'hotel");
}

TEST(FoldTest, PassesOtherScriptsAndBrokenBytesThrough) {
  EXPECT_EQ(FoldForSearch("\xce\xa9"), "\xce\xa9");  // Greek capital omega, unchanged
  EXPECT_EQ(FoldForSearch("a\xff"
                          "B"),
            "a\xff"
            "b");
  EXPECT_EQ(FoldForSearch("\xc3"), "\xc3");  // truncated sequence
}

TEST(FoldTest, IsIdempotent) {
  for (const char* s : {"Ðặng", "Œuvre", "Straße", "N\u2019Diaye", "ÉTAT"}) {
    std::string once = FoldForSearch(s);
    EXPECT_EQ(FoldForSearch(once), once) << s;
  }
}

}  // namespace
}  // namespace parc
