#include "daemon/domain/audit.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <spdlog/spdlog.h>

#include "common/logging.h"
#include "common/time.h"
#include "daemon/domain/records.h"

namespace parc::domain {

namespace pb = google::protobuf;

Status Audit(store::Writer& writer, const Call& call, std::string_view action,
             std::string_view target, std::string summary) {
  v1::AuditEvent event;
  ToTimestamp(call.now_ms, event.mutable_at());
  event.set_actor(call.who.name);
  event.set_action(std::string(action));
  event.set_target(std::string(target));
  event.set_summary(std::move(summary));
  PARC_TRY(writer.AppendAudit(event));
  static const auto log = Logger("audit");
  log->info("audit actor={} action={} target={}", call.who.name, action, target);
  return Ok();
}

namespace {

bool Skipped(const pb::FieldDescriptor& field) {
  const std::string& name = field.name();
  return name == "id" || name.ends_with("_at") || name.starts_with("holder_") ||
         field.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE;
}

// The names people read and type ("tablet", "in_repair"), not the proto ones.
std::string EnumText(const pb::FieldDescriptor& field, int value) {
  const std::string& type = field.enum_type()->name();
  if (type == "DeviceKind") return std::string(KindName(static_cast<v1::DeviceKind>(value)));
  if (type == "Lifecycle") return std::string(LifecycleName(static_cast<v1::Lifecycle>(value)));
  if (type == "Role") return std::string(RoleName(static_cast<v1::Role>(value)));
  if (type == "AgentStatus") return value == v1::AGENT_STATUS_LEFT ? "left" : "active";
  return field.enum_type()->FindValueByNumber(value)
             ? field.enum_type()->FindValueByNumber(value)->name()
             : std::to_string(value);
}

std::string ValueText(const pb::Message& message, const pb::FieldDescriptor& field) {
  const pb::Reflection& r = *message.GetReflection();
  if (field.is_repeated()) {
    std::string out;
    for (int i = 0; i < r.FieldSize(message, &field); ++i) {
      if (i) out += ",";
      if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING)
        out += r.GetRepeatedString(message, &field, i);
    }
    return out;
  }
  switch (field.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING:
      return r.GetString(message, &field);
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return r.GetBool(message, &field) ? "yes" : "no";
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      return EnumText(field, r.GetEnumValue(message, &field));
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(r.GetInt32(message, &field));
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(r.GetInt64(message, &field));
    default:
      return "?";
  }
}

}  // namespace

std::vector<FieldChange> Changes(const pb::Message& before, const pb::Message& after) {
  std::vector<FieldChange> out;
  const pb::Descriptor& descriptor = *before.GetDescriptor();
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const pb::FieldDescriptor& field = *descriptor.field(i);
    if (Skipped(field)) continue;
    std::string old_value = ValueText(before, field);
    std::string new_value = ValueText(after, field);
    if (old_value == new_value) continue;
    out.push_back({field.name(), std::move(old_value), std::move(new_value)});
  }
  return out;
}

std::string Diff(const pb::Message& before, const pb::Message& after) {
  std::string out;
  for (const FieldChange& c : Changes(before, after)) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{}: '{}' -> '{}'", c.field, c.old_value, c.new_value);
  }
  return out;
}

std::string AgentTarget(const v1::Agent& agent) { return "agent:" + agent.employee_number(); }
std::string DeviceTarget(const v1::Device& device) { return "device:" + device.serial(); }

Expected<std::string> AuditTargetFilter(store::Reader& reader, std::string_view target) {
  constexpr std::string_view kDevice = "device:", kAgent = "agent:";
  if (target.starts_with(kDevice)) {
    auto device = reader.FindDevice(target.substr(kDevice.size()));
    if (device && *device) return DeviceTarget(**device);
  }
  if (target.starts_with(kAgent)) {
    v1::Agent key;
    key.set_employee_number(std::string(target.substr(kAgent.size())));
    Normalize(key);
    return AgentTarget(key);
  }
  return std::string(target);
}

}  // namespace parc::domain
