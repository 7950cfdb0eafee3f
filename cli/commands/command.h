// What every subcommand shares: the parsed global flags, the lazily opened
// connection, output helpers, and the registration functions, one per file of
// cli/commands/. A subcommand's CLI11 callback only records what to run
// (Context::action); Main() runs it after parsing, so that a usage error never
// reaches the server.
#pragma once

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/client.h"
#include "cli/parcctl.h"
#include "cli/settings.h"
#include "common/error.h"
#include "parc/v1/types.pb.h"

namespace parc::cli {

// Rows a list shows unless --all is given.
inline constexpr int kDefaultPageSize = 100;

class Context {
 public:
  explicit Context(Io& io) : io(io) {}

  // The connection, opened on first use from the flags, environment and config
  // file. Errors: no token, unreadable CA file, bad config file.
  Expected<Client*> client();

  Io& io;
  SettingFlags flags;
  bool json = false;
  std::function<Status()> action;  // set by the chosen subcommand

 private:
  std::unique_ptr<Client> client_;
};

// Makes `sub` run `fn` (with the connection) once the command line parsed.
// `usage_check`, when given, runs first and returns what is wrong with the
// arguments taken together ("" when fine): a usage error, exit code 2.
void OnRun(CLI::App* sub, Context& ctx, std::function<Status(Client&)> fn,
           std::function<std::string()> usage_check = {});

// Options whose presence on the command line puts a field path in an update
// mask (several options may name the same path).
using MaskFields = std::vector<std::pair<CLI::Option*, std::string>>;
google::protobuf::FieldMask MaskOf(const MaskFields& fields);

// Prints `message` as one JSON document (protobuf's JSON mapping).
void PrintJson(std::ostream& out, const google::protobuf::Message& message);
std::string ToJson(const google::protobuf::Message& message);

// "2026-11-29 10:15" (UTC); empty for an unset timestamp.
std::string When(const google::protobuf::Timestamp& ts);
std::string YesNo(bool value);
// EnrollmentName() (cli/names.h) in the operator's language: yes, no, revoked, may re-enroll.
std::string EnrollmentLabel(v1::EnrollmentState state);
// KindName(), LifecycleName(), AgentStatusName() for people to read: the same
// words in English, French ones under a French locale ("en réparation").
std::string KindLabel(v1::DeviceKind kind);
std::string LifecycleLabel(v1::Lifecycle lifecycle);
std::string AgentStatusLabel(v1::AgentStatus status);
std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items);

// Prints how to see the rest when a list stopped at its first page.
void PrintMoreHint(Context& ctx, const std::string& next_page_token);

// CLI11 checks: a date (YYYY-MM-DD or DD/MM/YYYY, rewritten to YYYY-MM-DD), a
// duration ("90d"), one of `names`.
CLI::Validator DateArg();
CLI::Validator DurationArg();
CLI::Validator OneOf(std::vector<std::string> names);
// One of the vocabulary's canonical `names` (common/vocabulary.h), spelled any
// way the vocabulary accepts ("en réparation", "En_Reparation"): the text is
// rewritten to the canonical name.
CLI::Validator Word(std::vector<std::string> names);

// Reads `path` whole, or io.in when it is "-".
Expected<std::string> ReadInput(Context& ctx, const std::string& path);

// Fetches pages with `fetch(page_token)` and concatenates them (MergeFrom
// appends repeated fields); stops after the first page unless `all`. The
// result's next_page_token is that of the last page fetched.
template <typename Resp>
Expected<Resp> CollectPages(const std::function<Expected<Resp>(const std::string&)>& fetch,
                            bool all) {
  Resp total;
  std::string token;
  do {
    PARC_ASSIGN_OR_RETURN(Resp page, fetch(token));
    token = page.next_page_token();
    total.MergeFrom(page);
    total.set_next_page_token(token);
  } while (all && !token.empty());
  return total;
}

// Allocations as a table (history, devices show); defined in allocations.cc.
void PrintAllocationTable(Context& ctx,
                          const google::protobuf::RepeatedPtrField<v1::Allocation>& allocations);

void RegisterAgents(CLI::App& app, Context& ctx);
void RegisterDevices(CLI::App& app, Context& ctx);
void RegisterSites(CLI::App& app, Context& ctx);
void RegisterAllocations(CLI::App& app, Context& ctx);
void RegisterImports(CLI::App& app, Context& ctx);
void RegisterExports(CLI::App& app, Context& ctx);
void RegisterAdmin(CLI::App& app, Context& ctx);
void RegisterEnrollment(CLI::App& app, Context& ctx);  // enroll-token
void RegisterReports(CLI::App& app, Context& ctx);     // report summary|coverage|...
void RegisterSkills(CLI::App& app, Context& ctx);      // skills list|tiers
void RegisterModules(CLI::App& app, Context& ctx);     // modules add|list|show|add-item|...
void RegisterProgress(CLI::App& app, Context& ctx);    // progress
// modules assign|assignments|unassign; module_assignments.cc, called by RegisterModules.
void AddModuleAssignments(CLI::App& modules, Context& ctx);
// devices revoke, devices allow-enroll; enrollment.cc, called by RegisterDevices.
void AddEnrollmentVerbs(CLI::App& devices, Context& ctx);
void AddAudit(CLI::App& app, Context& ctx);  // audit.cc, called by RegisterAdmin

}  // namespace parc::cli
