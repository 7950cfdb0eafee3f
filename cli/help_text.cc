#include "cli/help_text.h"

#include <regex>

#include "common/i18n.h"

namespace parc::cli {
namespace {

constexpr std::string_view kRequired = " is required";
constexpr std::string_view kNotExpectedOne = "The following argument was not expected: ";
constexpr std::string_view kNotExpectedMany = "The following arguments were not expected: ";

// Splits "A<sep>B" at the first `sep`; false when absent.
bool SplitAt(const std::string& text, std::string_view sep, std::string& a, std::string& b) {
  size_t at = text.find(sep);
  if (at == std::string::npos) return false;
  a = text.substr(0, at);
  b = text.substr(at + sep.size());
  return true;
}

// "name: message" of a ValidationError, with CLI11's own validator messages
// (Range, IsMember) put in words; ours are already in the current language.
std::string Validation(const std::string& what) {
  static const std::regex range(R"(^(.*): Value (.*) not in range (.*) to (.*)$)");
  static const std::regex member(R"(^(.*): (.*) not in \{(.*)\}$)");
  std::smatch m;
  if (std::regex_match(what, m, range)) {
    return TrF("{0}: '{1}' is not one of {2}", m[1].str(), m[2].str(),
               m[3].str() + ".." + m[4].str());
  }
  if (std::regex_match(what, m, member)) {
    return TrF("{0}: '{1}' is not one of {2}", m[1].str(), m[2].str(), m[3].str());
  }
  return what;
}

std::string Describe(const CLI::Error& error) {
  const std::string what = error.what();
  const std::string name = error.get_name();
  std::string a, b;
  if (name == "RequiredError" && what.ends_with(kRequired)) {
    std::string subject = what.substr(0, what.size() - kRequired.size());
    if (subject == "A subcommand") return Tr("A subcommand is required");
    return TrF("{} is required", subject);
  }
  // (An ExtrasError raised by a subcommand carries that subcommand's name.)
  if (what.starts_with(kNotExpectedOne)) {
    return TrF("unexpected argument: {}", what.substr(kNotExpectedOne.size()));
  }
  if (what.starts_with(kNotExpectedMany)) {
    return TrF("unexpected arguments: {}", what.substr(kNotExpectedMany.size()));
  }
  if (name == "ExcludesError" && SplitAt(what, " excludes ", a, b)) {
    return TrF("{0} excludes {1}", a, b);
  }
  if (name == "RequiresError" && SplitAt(what, " requires ", a, b)) {
    return TrF("{0} requires {1}", a, b);
  }
  if (name == "ConversionError" && what.starts_with("Could not convert: ") &&
      SplitAt(what.substr(19), " = ", a, b)) {
    return TrF("{0}: '{1}' is not a valid value", a, b);
  }
  if (name == "ArgumentMismatch" && SplitAt(what, ": ", a, b) && b.ends_with(" missing")) {
    return TrF("{0}: expected a value", a);
  }
  if (name == "ValidationError") return Validation(what);
  return what;
}

void SetLabels(CLI::Formatter& formatter) {
  formatter.label("Usage", Tr("Usage"));
  formatter.label("OPTIONS", Tr("OPTIONS"));
  formatter.label("SUBCOMMAND", Tr("SUBCOMMAND"));
  formatter.label("SUBCOMMANDS", Tr("SUBCOMMANDS"));
  formatter.label("Positionals", Tr("Positionals"));
  formatter.label("REQUIRED", Tr("REQUIRED"));
  formatter.label("Excludes", Tr("Excludes"));
  formatter.label("Needs", Tr("Needs"));
  formatter.label("TEXT", Tr("TEXT"));
  formatter.label("INT", Tr("INT"));
  formatter.label("UINT", Tr("UINT"));
  formatter.label("FLOAT", Tr("FLOAT"));
}

}  // namespace

void LocalizeApp(CLI::App& app) {
  auto formatter = std::make_shared<CLI::Formatter>();
  SetLabels(*formatter);
  app.formatter(formatter);
  app.option_defaults()->group(Tr("Options"));
  app.set_help_flag("-h,--help", Tr("Print this help message and exit"));
  app.failure_message(UsageErrorMessage);
}

void LocalizeSubcommandGroups(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_group() == "Subcommands") sub->group(Tr("Subcommands"));
    LocalizeSubcommandGroups(*sub);
  }
}

std::string UsageErrorMessage(const CLI::App* app, const CLI::Error& error) {
  std::string message = Describe(error) + "\n";
  if (app->get_help_ptr() != nullptr) message += Tr("Run with --help for more information.") + "\n";
  return message;
}

}  // namespace parc::cli
