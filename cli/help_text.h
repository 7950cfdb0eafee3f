// CLI11 in the operator's language: its help labels ("Usage", "Options", ...),
// the help and version flags, the group headings, and its usage errors, all
// from common/catalogue.h. The descriptions of parcctl's own options come from
// the catalogue where each subcommand is registered.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace parc::cli {

// Before any option or subcommand is added: labels, help flag, option group.
// Subcommands inherit all three from `app` when they are created.
void LocalizeApp(CLI::App& app);

// After every subcommand is registered: their group heading ("Subcommands").
void LocalizeSubcommandGroups(CLI::App& app);

// What to print for a parse error (CLI11's failure_message): the error in the
// current language, then how to get help. An error whose wording is not
// recognised is printed as CLI11 wrote it.
std::string UsageErrorMessage(const CLI::App* app, const CLI::Error& error);

}  // namespace parc::cli
