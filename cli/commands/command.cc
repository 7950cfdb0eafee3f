#include "cli/commands/command.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "common/i18n.h"
#include "common/time.h"
#include "common/vocabulary.h"

namespace parc::cli {

Expected<Client*> Context::client() {
  if (!client_) {
    PARC_ASSIGN_OR_RETURN(Settings settings, ResolveSettings(flags, io.env));
    PARC_ASSIGN_OR_RETURN(client_, Client::Connect(settings));
  }
  return client_.get();
}

void OnRun(CLI::App* sub, Context& ctx, std::function<Status(Client&)> fn,
           std::function<std::string()> usage_check) {
  sub->callback([&ctx, sub, fn = std::move(fn), usage_check = std::move(usage_check)] {
    if (usage_check) {
      if (std::string problem = usage_check(); !problem.empty()) {
        throw CLI::ValidationError(sub->get_name(), problem);
      }
    }
    ctx.action = [&ctx, fn]() -> Status {
      PARC_ASSIGN_OR_RETURN(Client * client, ctx.client());
      return fn(*client);
    };
  });
}

google::protobuf::FieldMask MaskOf(const MaskFields& fields) {
  google::protobuf::FieldMask mask;
  for (const auto& [option, path] : fields) {
    const auto& paths = mask.paths();
    if (option->count() > 0 && std::find(paths.begin(), paths.end(), path) == paths.end()) {
      mask.add_paths(path);
    }
  }
  return mask;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return "{}";
  while (!json.empty() && json.back() == '\n') json.pop_back();
  return json;
}

void PrintJson(std::ostream& out, const google::protobuf::Message& message) {
  out << ToJson(message) << '\n';
}

std::string When(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return {};
  std::chrono::sys_seconds t{std::chrono::seconds(ts.seconds())};
  return fmt::format("{:%Y-%m-%d %H:%M}", t);
}

std::string YesNo(bool value) { return value ? Tr("yes") : Tr("no"); }

std::string KindLabel(v1::DeviceKind kind) {
  switch (kind) {
    case v1::DEVICE_KIND_TABLET:
      return Tr("@kind:tablet");
    case v1::DEVICE_KIND_SMARTPHONE:
      return Tr("@kind:smartphone");
    case v1::DEVICE_KIND_SHARED_PC:
      return Tr("@kind:shared_pc");
    default:
      return {};
  }
}

std::string LifecycleLabel(v1::Lifecycle lifecycle) {
  switch (lifecycle) {
    case v1::LIFECYCLE_IN_STOCK:
      return Tr("@lifecycle:in_stock");
    case v1::LIFECYCLE_ASSIGNED:
      return Tr("@lifecycle:assigned");
    case v1::LIFECYCLE_IN_REPAIR:
      return Tr("@lifecycle:in_repair");
    case v1::LIFECYCLE_LOST:
      return Tr("@lifecycle:lost");
    case v1::LIFECYCLE_RETIRED:
      return Tr("@lifecycle:retired");
    default:
      return {};
  }
}

std::string AgentStatusLabel(v1::AgentStatus status) {
  switch (status) {
    case v1::AGENT_STATUS_ACTIVE:
      return Tr("@agent:active");
    case v1::AGENT_STATUS_LEFT:
      return Tr("@agent:left");
    default:
      return {};
  }
}

std::string EnrollmentLabel(v1::EnrollmentState state) {
  switch (state) {
    case v1::ENROLLMENT_STATE_NOT_ENROLLED:
      return Tr("no");
    case v1::ENROLLMENT_STATE_ENROLLED:
      return Tr("yes");
    case v1::ENROLLMENT_STATE_REVOKED:
      return Tr("revoked");
    case v1::ENROLLMENT_STATE_REENROLL_ALLOWED:
      return Tr("may re-enroll");
    default:
      return "?";
  }
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ","));
}

void PrintMoreHint(Context& ctx, const std::string& next_page_token) {
  if (next_page_token.empty()) return;
  ctx.io.err << TrF("(first {} rows shown; add --all for every row)", kDefaultPageSize) << '\n';
}

CLI::Validator DateArg() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        auto date = ParseDate(text);
        if (!date) return date.error().message;
        text = *date;
        return {};
      },
      "DATE", "date");
}

CLI::Validator DurationArg() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        auto seconds = ParseDurationSeconds(text);
        return seconds ? std::string() : seconds.error().message;
      },
      "DURATION", "duration");
}

CLI::Validator OneOf(std::vector<std::string> names) {
  std::string desc = fmt::format("{}", fmt::join(names, "|"));
  return CLI::Validator(
      [names = std::move(names), desc](std::string& text) -> std::string {
        for (const auto& name : names) {
          if (name == text) return {};
        }
        return TrF("'{0}' is not one of {1}", text, desc);
      },
      desc, "one of");
}

CLI::Validator Word(std::vector<std::string> names) {
  std::string desc = fmt::format("{}", fmt::join(names, "|"));
  return CLI::Validator(
      [names = std::move(names), desc](std::string& text) -> std::string {
        const std::string key = VocabularyKey(text);
        for (const auto& name : names) {
          for (const std::string& spelling : SpellingsOf(name)) {
            if (spelling == key) {
              text = name;
              return {};
            }
          }
        }
        return TrF("'{0}' is not one of {1}", text, desc);
      },
      desc, "one of");
}

Expected<std::string> ReadInput(Context& ctx, const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << ctx.io.in.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, TrF("cannot read {}", path));
  text << in.rdbuf();
  return text.str();
}

}  // namespace parc::cli
