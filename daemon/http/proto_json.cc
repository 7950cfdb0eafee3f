#include "daemon/http/proto_json.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace parc::http {
namespace {

namespace pb = google::protobuf;
namespace dom = simdjson::dom;
using FD = pb::FieldDescriptor;

// ---- which messages this file maps (the others go to protobuf's converter) ----

bool IsTimestamp(const pb::Descriptor* d) {
  return d->full_name() == pb::Timestamp::descriptor()->full_name();
}
bool IsFieldMask(const pb::Descriptor* d) {
  return d->full_name() == pb::FieldMask::descriptor()->full_name();
}

bool MapsItself(const pb::Descriptor* d, std::unordered_map<const pb::Descriptor*, bool>& seen) {
  if (auto it = seen.find(d); it != seen.end()) return it->second;
  seen[d] = true;  // a message that contains itself: decided by its other fields
  bool ok = true;
  if (IsTimestamp(d) || IsFieldMask(d)) {
    ok = true;
  } else if (d->file()->package() == "google.protobuf") {
    ok = false;  // Any, Struct, Duration, wrappers...
  } else {
    for (int i = 0; ok && i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      switch (f->cpp_type()) {
        case FD::CPPTYPE_FLOAT:
        case FD::CPPTYPE_DOUBLE:
          ok = false;
          break;
        case FD::CPPTYPE_STRING:
          ok = f->type() != FD::TYPE_BYTES;
          break;
        case FD::CPPTYPE_MESSAGE:
          ok = !f->is_map() && MapsItself(f->message_type(), seen);
          break;
        default:
          break;
      }
    }
  }
  seen[d] = ok;
  return ok;
}

// Decided once per message type and thread: no lock on the check-in path.
bool MapsItself(const pb::Descriptor* d) {
  thread_local std::unordered_map<const pb::Descriptor*, bool> decided;
  return MapsItself(d, decided);
}

// ---- parsing ----

struct ParseError {
  std::string path;
  std::string reason;
};

std::string Join(std::string_view path, std::string_view name) {
  return path.empty() ? std::string(name) : fmt::format("{}.{}", path, name);
}

const FD* FindField(const pb::Descriptor* d, std::string_view key) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    if (f->json_name() == key || f->name() == key) return f;
  }
  return nullptr;
}

template <typename Int>
std::optional<Int> IntegerOf(dom::element value) {
  switch (value.type()) {
    case dom::element_type::INT64: {
      int64_t v = value.get_int64().value_unsafe();
      if constexpr (std::is_signed_v<Int>) {
        if (v < std::numeric_limits<Int>::min() || v > std::numeric_limits<Int>::max()) break;
      } else {
        if (v < 0 || static_cast<uint64_t>(v) > std::numeric_limits<Int>::max()) break;
      }
      return static_cast<Int>(v);
    }
    case dom::element_type::UINT64: {
      uint64_t v = value.get_uint64().value_unsafe();
      if (v > static_cast<uint64_t>(std::numeric_limits<Int>::max())) break;
      return static_cast<Int>(v);
    }
    case dom::element_type::DOUBLE: {
      double v = value.get_double().value_unsafe();
      // 1e3 and 5.0 are integers; beyond 2^53 a double no longer says which.
      if (std::trunc(v) != v || std::fabs(v) > 9007199254740992.0) break;
      if (v < static_cast<double>(std::numeric_limits<Int>::min()) ||
          v > static_cast<double>(std::numeric_limits<Int>::max())) {
        break;
      }
      return static_cast<Int>(v);
    }
    case dom::element_type::STRING: {
      std::string_view text = value.get_string().value_unsafe();
      Int v{};
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty()) break;
      return v;
    }
    default:
      break;
  }
  return std::nullopt;
}

class Parser {
 public:
  std::optional<ParseError> error;

  bool Message(dom::element value, pb::Message& out, const std::string& path) {
    const pb::Descriptor* d = out.GetDescriptor();
    if (IsTimestamp(d) || IsFieldMask(d)) return WellKnown(value, out, path);
    dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
      return Fail(path, "not a JSON object");
    }
    for (auto [key, field_value] : object) {
      const FD* f = FindField(d, key);
      if (!f) return Fail(Join(path, key), "no such field");
      if (field_value.is_null()) continue;  // unset
      if (!Field(field_value, out, f, Join(path, f->json_name()))) return false;
    }
    return true;
  }

 private:
  bool Fail(const std::string& path, std::string reason) {
    error = ParseError{path, std::move(reason)};
    return false;
  }

  bool WellKnown(dom::element value, pb::Message& out, const std::string& path) {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      return Fail(path, IsTimestamp(out.GetDescriptor()) ? "not an RFC 3339 time"
                                                         : "not a field mask (\"a,b.c\")");
    }
    if (auto* ts = dynamic_cast<pb::Timestamp*>(&out)) {
      if (!pb::util::TimeUtil::FromString(std::string(text), ts)) {
        return Fail(path, "not an RFC 3339 time");
      }
      return true;
    }
    auto* mask = dynamic_cast<pb::FieldMask*>(&out);
    if (!mask || !pb::util::FieldMaskUtil::FromJsonString(text, mask)) {
      return Fail(path, "not a field mask (\"a,b.c\")");
    }
    return true;
  }

  bool Field(dom::element value, pb::Message& out, const FD* f, const std::string& path) {
    if (!f->is_repeated()) return One(value, out, f, path, /*index=*/-1);
    dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) return Fail(path, "not a JSON array");
    int index = 0;
    for (dom::element item : array) {
      if (item.is_null()) return Fail(fmt::format("{}[{}]", path, index), "null in a list");
      if (!One(item, out, f, fmt::format("{}[{}]", path, index), index)) return false;
      ++index;
    }
    return true;
  }

  // One value of `f`: the field itself, or appended to it (`index` >= 0).
  bool One(dom::element value, pb::Message& out, const FD* f, const std::string& path, int index) {
    const pb::Reflection* r = out.GetReflection();
    const bool add = index >= 0;
    switch (f->cpp_type()) {
      case FD::CPPTYPE_MESSAGE: {
        pb::Message* child = add ? r->AddMessage(&out, f) : r->MutableMessage(&out, f);
        return Message(value, *child, path);
      }
      case FD::CPPTYPE_STRING: {
        std::string_view text;
        if (value.get_string().get(text) != simdjson::SUCCESS) return Fail(path, "not a string");
        add ? r->AddString(&out, f, std::string(text)) : r->SetString(&out, f, std::string(text));
        return true;
      }
      case FD::CPPTYPE_BOOL: {
        bool b = false;
        if (value.get_bool().get(b) != simdjson::SUCCESS) return Fail(path, "not true or false");
        add ? r->AddBool(&out, f, b) : r->SetBool(&out, f, b);
        return true;
      }
      case FD::CPPTYPE_ENUM: {
        const pb::EnumValueDescriptor* e = nullptr;
        std::string_view name;
        if (value.get_string().get(name) == simdjson::SUCCESS) {
          e = f->enum_type()->FindValueByName(std::string(name));
          if (!e) return Fail(path, fmt::format("no such value: {}", name));
        } else if (auto number = IntegerOf<int32_t>(value)) {
          add ? r->AddEnumValue(&out, f, *number) : r->SetEnumValue(&out, f, *number);
          return true;
        } else {
          return Fail(path, "not a name of " + f->enum_type()->name());
        }
        add ? r->AddEnum(&out, f, e) : r->SetEnum(&out, f, e);
        return true;
      }
      case FD::CPPTYPE_INT32:
        return Integer<int32_t>(value, path, [&](int32_t v) {
          add ? r->AddInt32(&out, f, v) : r->SetInt32(&out, f, v);
        });
      case FD::CPPTYPE_INT64:
        return Integer<int64_t>(value, path, [&](int64_t v) {
          add ? r->AddInt64(&out, f, v) : r->SetInt64(&out, f, v);
        });
      case FD::CPPTYPE_UINT32:
        return Integer<uint32_t>(value, path, [&](uint32_t v) {
          add ? r->AddUInt32(&out, f, v) : r->SetUInt32(&out, f, v);
        });
      case FD::CPPTYPE_UINT64:
        return Integer<uint64_t>(value, path, [&](uint64_t v) {
          add ? r->AddUInt64(&out, f, v) : r->SetUInt64(&out, f, v);
        });
      default:
        return Fail(path, "not mapped");  // excluded by MapsItself
    }
  }

  template <typename Int, typename Set>
  bool Integer(dom::element value, const std::string& path, Set set) {
    auto v = IntegerOf<Int>(value);
    if (!v) {
      return Fail(path,
                  fmt::format("not an integer between {} and {}", std::numeric_limits<Int>::min(),
                              std::numeric_limits<Int>::max()));
    }
    set(*v);
    return true;
  }
};

// ---- printing ----

// As protobuf escapes: also < and > (JSON inside HTML never closes a
// <script>), DEL, and U+2028/U+2029 (line ends to JavaScript).
void Escape(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == '<' || c == '>' || c == 0x7f) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c == 0xe2 && text.substr(i + 1, 1) == "\x80" && i + 2 < text.size() &&
               (text[i + 2] == '\xa8' || text[i + 2] == '\xa9')) {
      out += text[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void PrintMessage(const pb::Message& m, std::string& out);

void PrintValue(const pb::Message& m, const FD* f, int index, std::string& out) {
  const pb::Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FD::CPPTYPE_MESSAGE:
      return PrintMessage(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
    case FD::CPPTYPE_STRING: {
      std::string scratch;
      return Escape(rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
                        : r->GetStringReference(m, f, &scratch),
                    out);
    }
    case FD::CPPTYPE_BOOL:
      out += (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
      return;
    case FD::CPPTYPE_ENUM: {
      int number = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      if (const auto* e = f->enum_type()->FindValueByNumber(number)) {
        Escape(e->name(), out);
      } else {
        out += std::to_string(number);
      }
      return;
    }
    case FD::CPPTYPE_INT32:
      out += std::to_string(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
      return;
    case FD::CPPTYPE_UINT32:
      out += std::to_string(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
      return;
    // 64-bit integers as strings: JavaScript's numbers stop at 2^53.
    case FD::CPPTYPE_INT64:
      out += '"' + std::to_string(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f)) + '"';
      return;
    case FD::CPPTYPE_UINT64:
      out +=
          '"' + std::to_string(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f)) + '"';
      return;
    default:
      out += "null";  // excluded by MapsItself
  }
}

void PrintMessage(const pb::Message& m, std::string& out) {
  const pb::Descriptor* d = m.GetDescriptor();
  if (auto* ts = dynamic_cast<const pb::Timestamp*>(&m)) {
    return Escape(pb::util::TimeUtil::ToString(*ts), out);
  }
  if (auto* mask = dynamic_cast<const pb::FieldMask*>(&m)) {
    std::string text;
    pb::util::FieldMaskUtil::ToJsonString(*mask, &text);
    return Escape(text, out);
  }
  const pb::Reflection* r = m.GetReflection();
  out += '{';
  bool first = true;
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    // Fields with presence (messages, oneof members, proto3 optional) only
    // when set; the others always, even at their default.
    if (!f->is_repeated() && f->has_presence() && !r->HasField(m, f)) continue;
    if (!first) out += ',';
    first = false;
    Escape(f->json_name(), out);
    out += ':';
    if (!f->is_repeated()) {
      PrintValue(m, f, -1, out);
      continue;
    }
    out += '[';
    const int n = r->FieldSize(m, f);
    for (int k = 0; k < n; ++k) {
      if (k) out += ',';
      PrintValue(m, f, k, out);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace

Status ParseJson(std::string_view json, pb::Message& out) {
  out.Clear();
  if (!MapsItself(out.GetDescriptor())) {
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto parsed =
        pb::util::JsonStringToMessage(pb::StringPiece(json.data(), json.size()), &out, options);
    if (!parsed.ok()) return InvalidArgument("body", std::string(parsed.message()));
    return Ok();
  }
  // One parser per thread: simdjson's keeps its buffers between documents.
  thread_local dom::parser parser;
  dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error) {
    return InvalidArgument("body", fmt::format("not JSON ({})", simdjson::error_message(error)));
  }
  Parser p;
  if (!p.Message(root, out, "")) {
    out.Clear();  // nothing half-read is used
    return InvalidArgument(p.error->path.empty() ? "body" : p.error->path, p.error->reason);
  }
  return Ok();
}

std::string PrintJson(const pb::Message& message) {
  std::string out;
  if (!MapsItself(message.GetDescriptor())) {
    pb::util::JsonPrintOptions options;
    options.always_print_primitive_fields = true;
    if (!pb::util::MessageToJsonString(message, &out, options).ok()) return "{}";
    return out;
  }
  PrintMessage(message, out);
  return out;
}

}  // namespace parc::http
