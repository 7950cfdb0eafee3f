#include "daemon/service/field_limits.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <array>
#include <string>
#include <utility>

namespace parc::service {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr std::array<std::pair<std::string_view, size_t>, 5> kLimits = {{
    {"notes", 4000},
    {"description", 4000},
    {"reason", 1000},
    {"condition", 1000},
    {"address", 4000},
}};

// Nested requests are shallow; the bound keeps a hostile recursive message cheap.
constexpr int kMaxDepth = 8;

Status TooLong(const std::string& path, size_t limit) {
  return InvalidArgument(path, fmt::format("longer than {} bytes", limit));
}

Status Check(const Message& message, const std::string& prefix, int depth);

Status CheckField(const Message& message, const FieldDescriptor& field, const std::string& path,
                  int depth) {
  const Reflection& reflection = *message.GetReflection();
  const bool is_string = field.type() == FieldDescriptor::TYPE_STRING;
  const bool is_message = field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
  if (!is_string && !is_message && !field.is_repeated()) return Ok();
  const size_t limit = StringLimit(field.name());
  if (!field.is_repeated()) {
    if (is_string && reflection.GetStringReference(message, &field, nullptr).size() > limit) {
      return TooLong(path, limit);
    }
    if (is_message) return Check(reflection.GetMessage(message, &field), path, depth + 1);
    return Ok();
  }
  const int size = reflection.FieldSize(message, &field);
  if (static_cast<size_t>(size) > kMaxRepeated) {
    return InvalidArgument(path, fmt::format("more than {} elements", kMaxRepeated));
  }
  for (int i = 0; i < size; ++i) {
    const std::string item = fmt::format("{}[{}]", path, i);
    if (is_string) {
      std::string scratch;
      if (reflection.GetRepeatedStringReference(message, &field, i, &scratch).size() > limit) {
        return TooLong(item, limit);
      }
    } else if (is_message) {
      PARC_TRY(Check(reflection.GetRepeatedMessage(message, &field, i), item, depth + 1));
    }
  }
  return Ok();
}

Status Check(const Message& message, const std::string& prefix, int depth) {
  if (depth > kMaxDepth) return InvalidArgument(prefix, "nested too deeply");
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);  // only the fields that are set
  for (const FieldDescriptor* field : fields) {
    std::string path = prefix.empty() ? field->name() : prefix + "." + field->name();
    PARC_TRY(CheckField(message, *field, path, depth));
  }
  return Ok();
}

}  // namespace

size_t StringLimit(std::string_view field_name) {
  for (const auto& [name, limit] : kLimits) {
    if (name == field_name) return limit;
  }
  return kMaxStringBytes;
}

Status CheckStringLimits(const Message& request) { return Check(request, "", 0); }

}  // namespace parc::service
