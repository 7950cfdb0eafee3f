// The message catalogue (common/catalogue.h) and the language choice.
#include "common/i18n.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace parc {
namespace {

EnvLookup EnvOf(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(LanguageTest, FrenchLocalesChooseFrench) {
  for (const char* name : {"fr_FR.UTF-8", "fr", "fr_CA", "fr.UTF-8", "fr_BE@euro", "fr@euro"}) {
    EXPECT_EQ(LanguageFromEnvironment(EnvOf({{"LANG", name}})), Language::kFrench) << name;
  }
}

TEST(LanguageTest, EverythingElseIsEnglish) {
  EXPECT_EQ(LanguageFromEnvironment(EnvOf({})), Language::kEnglish);
  for (const char* name : {"C", "POSIX", "C.UTF-8", "en_GB.UTF-8", "de_DE", "fy_NL", "frr_DE"}) {
    EXPECT_EQ(LanguageFromEnvironment(EnvOf({{"LANG", name}})), Language::kEnglish) << name;
  }
}

TEST(LanguageTest, LcAllBeatsLcMessagesBeatsLang) {
  EXPECT_EQ(LanguageFromEnvironment(EnvOf({{"LANG", "fr_FR.UTF-8"}, {"LC_ALL", "C"}})),
            Language::kEnglish);
  EXPECT_EQ(LanguageFromEnvironment(EnvOf({{"LANG", "en_US.UTF-8"}, {"LC_MESSAGES", "fr_FR"}})),
            Language::kFrench);
  EXPECT_EQ(LanguageFromEnvironment(
                EnvOf({{"LANG", "fr_FR"}, {"LC_MESSAGES", "fr_FR"}, {"LC_ALL", "en_US"}})),
            Language::kEnglish);
  EXPECT_EQ(LanguageFromEnvironment(EnvOf({{"LC_MESSAGES", "C"}, {"LC_ALL", "fr_FR.UTF-8"}})),
            Language::kFrench);
}

TEST(LanguageTest, EmptyVariablesAreSkipped) {
  EXPECT_EQ(
      LanguageFromEnvironment(EnvOf({{"LC_ALL", ""}, {"LC_MESSAGES", ""}, {"LANG", "fr_FR"}})),
      Language::kFrench);
}

TEST(TrTest, SpeaksTheScopedLanguageAndRestoresThePreviousOne) {
  EXPECT_EQ(Tr("yes"), "yes");
  {
    ScopedLanguage french(Language::kFrench);
    EXPECT_EQ(Tr("yes"), "oui");
    EXPECT_EQ(TrF("(first {} rows shown; add --all for every row)", 100),
              "(les 100 premières lignes ; ajoutez --all pour toutes les voir)");
    {
      ScopedLanguage english(Language::kEnglish);
      EXPECT_EQ(Tr("no"), "no");
    }
    EXPECT_EQ(Tr("no"), "non");
  }
  EXPECT_EQ(Tr("no"), "no");
}

TEST(TrTest, FrenchMayReorderPlaceholders) {
  ScopedLanguage french(Language::kFrench);
  EXPECT_EQ(TrF("{0} excludes {1}", "--email", "--no-email"), "--email et --no-email s'excluent");
}

TEST(CodeSentenceTest, NamesEveryCodeInWordsInBothLanguages) {
  EXPECT_EQ(CodeSentence(14), "the server cannot be reached");
  EXPECT_EQ(CodeSentence(7), "permission denied, the server does not allow this");
  EXPECT_EQ(CodeSentence(99), "error");
  ScopedLanguage french(Language::kFrench);
  EXPECT_EQ(CodeSentence(14), "le serveur est injoignable");
  EXPECT_EQ(CodeSentence(16), "le serveur refuse l'identification");
  for (int code = 1; code <= 16; ++code) {
    EXPECT_EQ(std::string(CodeSentence(code)).find("code"), std::string::npos) << code;
  }
}

// The placeholders of a format string, in order: "{}", "{0}", "{1:>4}", ...
std::multiset<std::string> Placeholders(std::string_view text) {
  std::multiset<std::string> found;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      ++i;
      continue;
    }
    if (text[i] != '{') continue;
    size_t end = text.find('}', i);
    if (end == std::string_view::npos) break;
    found.insert(std::string(text.substr(i, end - i + 1)));
    i = end;
  }
  return found;
}

TEST(CatalogueTest, EveryEntryHasFrenchAndTheSamePlaceholders) {
  for (const CatalogueEntry& entry : kCatalogue) {
    EXPECT_FALSE(entry.en.empty());
    EXPECT_FALSE(entry.fr.empty()) << entry.en;
    EXPECT_EQ(Placeholders(entry.en), Placeholders(entry.fr)) << entry.en << " / " << entry.fr;
  }
}

TEST(CatalogueTest, NoKeyAppearsTwice) {
  std::set<std::string_view> keys;
  for (const CatalogueEntry& entry : kCatalogue) {
    EXPECT_TRUE(keys.insert(entry.en).second) << "twice in common/catalogue.h: " << entry.en;
  }
}

TEST(CatalogueTest, ContextPrefixIsNotShownInEnglish) {
  EXPECT_EQ(i18n::English("@kind:site"), "site");
  EXPECT_EQ(i18n::English("site"), "site");
  EXPECT_EQ(i18n::English("@odd"), "@odd");
}

}  // namespace
}  // namespace parc
