// The words Parc's command lines show a person, in English or French, from one
// catalogue (common/catalogue.h): each entry is the English text, which is also
// its key, and its French translation. Code writes the English once:
//
//   Table table({Tr("EMPLOYEE"), Tr("NAME")});
//   ctx.io.err << TrF("created {} agents", n) << '\n';
//
// A text missing from the catalogue does not compile (Text's constructor is
// consteval), so no English slips into a French screen unnoticed. When one
// English word needs two translations, the key carries a context: "@kind:site"
// shows as "site" in English (everything up to the first ':' is dropped).
//
// Why a table rather than gettext: the language comes from the environment the
// caller injects (Io::env), so the in-process tests choose it without touching
// the process's locale; glibc's gettext translates only when setlocale() finds
// the locale generated on the machine (often only C.UTF-8 on a device or a test
// runner); nothing is installed beside the statically linked agent; and a
// missing translation is a compile error instead of silent English.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/catalogue.h"

namespace parc {

enum class Language { kEnglish, kFrench };

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// POSIX precedence for messages: LC_ALL, else LC_MESSAGES, else LANG; the first
// that is set and not empty decides. French when it names a French locale
// ("fr", "fr_FR.UTF-8", "fr_CA", "fr@euro"), English otherwise ("C", "POSIX",
// "en_GB.UTF-8", "de_DE", unset). LANGUAGE (a GNU extension) is not read.
Language LanguageFromEnvironment(const EnvLookup& env);

// The language Tr() uses: one per process, English until a ScopedLanguage is
// alive. Thread-safe to read (gRPC's threads format errors too).
Language CurrentLanguage();

// Sets the process's language for its lifetime, then restores the previous
// one. Main() and AgentMain() hold one; two threads must not choose different
// languages at the same time.
class ScopedLanguage {
 public:
  explicit ScopedLanguage(Language language);
  ~ScopedLanguage();
  ScopedLanguage(const ScopedLanguage&) = delete;
  ScopedLanguage& operator=(const ScopedLanguage&) = delete;

 private:
  Language previous_;
};

namespace i18n {

// Index of the entry whose key is `key`; not a constant expression (so a
// compile error in a consteval caller) when there is none.
consteval size_t IndexOf(std::string_view key) {
  for (size_t i = 0; i < std::size(kCatalogue); ++i) {
    if (kCatalogue[i].en == key) return i;
  }
  throw "this text is not in common/catalogue.h: add it there with its French";
}

// The English a key shows: the key without its "@context:" prefix.
constexpr std::string_view English(std::string_view key) {
  if (key.empty() || key.front() != '@') return key;
  size_t colon = key.find(':');
  return colon == std::string_view::npos ? key : key.substr(colon + 1);
}

}  // namespace i18n

// One catalogue entry, chosen at compile time from its English key.
class Text {
 public:
  // Implicit on purpose: Tr("...") takes a string literal.
  consteval Text(const char* key) : index_(i18n::IndexOf(key)) {}  // NOLINT

  std::string_view In(Language language) const {
    const CatalogueEntry& entry = kCatalogue[index_];
    return language == Language::kFrench ? entry.fr : i18n::English(entry.en);
  }
  std::string_view Current() const { return In(CurrentLanguage()); }

 private:
  size_t index_;
};

// The text in the current language.
inline std::string Tr(Text text) { return std::string(text.Current()); }

// The text in the current language as a fmt format string ("{}" placeholders,
// the same ones in both languages; "{0}"/"{1}" when French reorders them).
template <typename... Args>
std::string TrF(Text format, Args&&... args) {
  return fmt::format(fmt::runtime(format.Current()), std::forward<Args>(args)...);
}

// The sentence for an error code of common/error.h (or a grpc::StatusCode's
// value), without a final full stop: "the server cannot be reached", "le
// serveur est injoignable". Never empty ("error" for a code Parc does not use).
std::string_view CodeSentence(int code);

}  // namespace parc
