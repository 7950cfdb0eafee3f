#include "common/i18n.h"

#include <atomic>

namespace parc {
namespace {

std::atomic<Language> current_language{Language::kEnglish};

// "fr", "fr_FR.UTF-8", "fr.UTF-8", "fr@euro": the language part is "fr".
bool IsFrenchLocale(std::string_view name) {
  if (!name.starts_with("fr")) return false;
  return name.size() == 2 || name[2] == '_' || name[2] == '.' || name[2] == '@';
}

}  // namespace

Language LanguageFromEnvironment(const EnvLookup& env) {
  for (const char* variable : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    std::optional<std::string> value = env(variable);
    if (!value || value->empty()) continue;
    return IsFrenchLocale(*value) ? Language::kFrench : Language::kEnglish;
  }
  return Language::kEnglish;
}

Language CurrentLanguage() { return current_language.load(std::memory_order_relaxed); }

ScopedLanguage::ScopedLanguage(Language language)
    : previous_(current_language.exchange(language, std::memory_order_relaxed)) {}

ScopedLanguage::~ScopedLanguage() { current_language.store(previous_, std::memory_order_relaxed); }

std::string_view CodeSentence(int code) {
  switch (code) {
    case 1:
      return Text("the call was cancelled").Current();
    case 2:
      return Text("the server failed for an unknown reason").Current();
    case 3:
      return Text("the server refused a value").Current();
    case 4:
      return Text("the server did not answer in time").Current();
    case 5:
      return Text("not found").Current();
    case 6:
      return Text("already exists").Current();
    case 7:
      return Text("permission denied, the server does not allow this").Current();
    case 8:
      return Text("a limit was reached, try again later").Current();
    case 9:
      return Text("not allowed in the current state").Current();
    case 10:
      return Text("a conflict with another change, try again").Current();
    case 11:
      return Text("out of range").Current();
    case 12:
      return Text("not available on this server").Current();
    case 13:
      return Text("the server had an internal error").Current();
    case 14:
      return Text("the server cannot be reached").Current();
    case 15:
      return Text("data was lost").Current();
    case 16:
      return Text("the server refused the credentials").Current();
    default:
      return Text("error").Current();
  }
}

}  // namespace parc
