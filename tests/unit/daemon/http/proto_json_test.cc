// proto_json.h against protobuf's own JSON mapping: on every parc.v1 message,
// filled at random (every field kind, oneofs, nesting, times, masks, awkward
// text), each side reads what the other prints and both print the same JSON
// value; then the errors, which name the field.
#include "daemon/http/proto_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "parc/v1/device.pb.h"
#include "parc/v1/inventory.pb.h"

namespace parc::http {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

constexpr const char* kFiles[] = {"parc/v1/types.proto",     "parc/v1/device.proto",
                                  "parc/v1/inventory.proto", "parc/v1/allocation.proto",
                                  "parc/v1/dashboard.proto", "parc/v1/training.proto",
                                  "parc/v1/admin.proto"};

// Every message type of parc.v1, nested ones included.
std::vector<const pb::Descriptor*> AllMessages() {
  // Linked in by the includes above; the other files come with them.
  (void)v1::CheckInRequest::descriptor();
  (void)v1::ListDevicesRequest::descriptor();
  std::vector<const pb::Descriptor*> out;
  std::function<void(const pb::Descriptor*)> add = [&](const pb::Descriptor* d) {
    if (d->options().map_entry()) return;
    out.push_back(d);
    for (int i = 0; i < d->nested_type_count(); ++i) add(d->nested_type(i));
  };
  for (const char* name : kFiles) {
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    if (!file) continue;  // a file no test binary links
    for (int i = 0; i < file->message_type_count(); ++i) add(file->message_type(i));
  }
  return out;
}

class Filler {
 public:
  explicit Filler(uint32_t seed) : rng_(seed) {}

  void Fill(pb::Message& m, int depth) {
    const pb::Descriptor* d = m.GetDescriptor();
    if (auto* ts = dynamic_cast<pb::Timestamp*>(&m)) {
      ts->set_seconds(Pick(0, 253402300799));  // 0001..9999 as RFC 3339 allows: from 1970 here
      static constexpr int32_t kNanos[] = {0, 123000000, 123456000, 123456789, 5};
      ts->set_nanos(kNanos[Pick(0, 4)]);
      return;
    }
    if (auto* mask = dynamic_cast<pb::FieldMask*>(&m)) {
      static constexpr const char* kPaths[] = {"display_name", "site.code", "asset_tag", "kind"};
      for (int i = 0, n = static_cast<int>(Pick(1, 3)); i < n; ++i) {
        mask->add_paths(kPaths[Pick(0, 3)]);
      }
      return;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      if (Pick(0, 9) < 3) continue;  // some fields stay unset
      if (f->cpp_type() == FD::CPPTYPE_MESSAGE && depth >= 3) continue;
      if (f->is_repeated()) {
        for (int k = 0, n = static_cast<int>(Pick(0, 3)); k < n; ++k) Set(m, f, true, depth);
      } else {
        Set(m, f, false, depth);
      }
    }
  }

 private:
  int64_t Pick(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  std::string Text() {
    static constexpr const char* kTexts[] = {"",
                                             "Tablette 03",
                                             "Élodie Müller-Noël",
                                             "quote \" backslash \\ slash /",
                                             "<script>alert(1)</script>",
                                             "tab\tnew\nline\r",
                                             "\x01\x1f control",
                                             "ligne\u2028sep",
                                             "emoji 😀",
                                             "'; DROP TABLE devices; --"};
    return kTexts[Pick(0, 9)];
  }

  template <typename Int>
  Int Integer() {
    switch (Pick(0, 3)) {
      case 0:
        return 0;
      case 1:
        return std::numeric_limits<Int>::max();
      case 2:
        return std::numeric_limits<Int>::min();
      default:
        return static_cast<Int>(Pick(0, 100000));
    }
  }

  void Set(pb::Message& m, const FD* f, bool add, int depth) {
    const pb::Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FD::CPPTYPE_MESSAGE:
        return Fill(add ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), depth + 1);
      case FD::CPPTYPE_STRING: {
        std::string v = f->type() == FD::TYPE_BYTES ? std::string("\0\xff bytes", 8) : Text();
        return add ? r->AddString(&m, f, v) : r->SetString(&m, f, v);
      }
      case FD::CPPTYPE_BOOL: {
        bool v = Pick(0, 1) == 1;
        return add ? r->AddBool(&m, f, v) : r->SetBool(&m, f, v);
      }
      case FD::CPPTYPE_ENUM: {
        const auto* e =
            f->enum_type()->value(static_cast<int>(Pick(0, f->enum_type()->value_count() - 1)));
        return add ? r->AddEnum(&m, f, e) : r->SetEnum(&m, f, e);
      }
      case FD::CPPTYPE_INT32: {
        auto v = Integer<int32_t>();
        return add ? r->AddInt32(&m, f, v) : r->SetInt32(&m, f, v);
      }
      case FD::CPPTYPE_INT64: {
        auto v = Integer<int64_t>();
        return add ? r->AddInt64(&m, f, v) : r->SetInt64(&m, f, v);
      }
      case FD::CPPTYPE_UINT32: {
        auto v = Integer<uint32_t>();
        return add ? r->AddUInt32(&m, f, v) : r->SetUInt32(&m, f, v);
      }
      case FD::CPPTYPE_UINT64: {
        auto v = Integer<uint64_t>();
        return add ? r->AddUInt64(&m, f, v) : r->SetUInt64(&m, f, v);
      }
      case FD::CPPTYPE_DOUBLE:
        return add ? r->AddDouble(&m, f, 0.5) : r->SetDouble(&m, f, 0.5);
      case FD::CPPTYPE_FLOAT:
        return add ? r->AddFloat(&m, f, 0.25f) : r->SetFloat(&m, f, 0.25f);
    }
  }

  std::mt19937 rng_;
};

std::string ProtobufPrint(const pb::Message& m) {
  pb::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  EXPECT_TRUE(pb::util::MessageToJsonString(m, &out, options).ok());
  return out;
}

// The JSON value a text holds (objects compared as maps).
pb::Value ValueOf(const std::string& json) {
  pb::Value value;
  EXPECT_TRUE(pb::util::JsonStringToMessage(json, &value).ok()) << json;
  return value;
}

TEST(ProtoJsonTest, ReadsAndPrintsEveryParcMessageAsProtobufDoes) {
  auto messages = AllMessages();
  ASSERT_GT(messages.size(), 100u);  // every file was found
  int compared = 0;
  for (const pb::Descriptor* d : messages) {
    const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(d);
    ASSERT_NE(prototype, nullptr) << d->full_name();
    for (uint32_t seed = 0; seed < 12; ++seed) {
      std::unique_ptr<pb::Message> m(prototype->New());
      if (seed > 0) Filler(seed * 7919 + static_cast<uint32_t>(compared)).Fill(*m, 0);
      const std::string theirs = ProtobufPrint(*m);
      const std::string ours = PrintJson(*m);
      SCOPED_TRACE(d->full_name() + " seed " + std::to_string(seed) + "\n ours:   " + ours +
                   "\n theirs: " + theirs);
      // The same JSON value (protobuf orders an object's keys its own way).
      EXPECT_TRUE(pb::util::MessageDifferencer::Equals(ValueOf(ours), ValueOf(theirs)));

      std::unique_ptr<pb::Message> read(prototype->New());
      ASSERT_TRUE(ParseJson(theirs, *read)) << ParseJson(theirs, *read).error().message;
      EXPECT_TRUE(pb::util::MessageDifferencer::Equals(*read, *m));

      std::unique_ptr<pb::Message> back(prototype->New());
      ASSERT_TRUE(pb::util::JsonStringToMessage(ours, back.get()).ok());
      EXPECT_TRUE(pb::util::MessageDifferencer::Equals(*back, *m));
      ++compared;
    }
  }
  EXPECT_EQ(compared, static_cast<int>(messages.size()) * 12);
}

TEST(ProtoJsonTest, EscapesWhatCouldEndAScriptOrALine) {
  v1::EnrollRequest req;
  req.set_model("</script>\u2028\"\\\x01");
  const std::string json = PrintJson(req);
  EXPECT_NE(json.find(R"("model":"\u003c/script\u003e\u2028\"\\\u0001")"), std::string::npos)
      << json;
  std::string theirs;
  ASSERT_TRUE(pb::util::MessageToJsonString(req, &theirs).ok());
  EXPECT_NE(theirs.find(R"("model":"\u003c/script\u003e\u2028\"\\\u0001")"), std::string::npos)
      << theirs;
}

TEST(ProtoJsonTest, TakesEitherNameNumbersAsStringsAndNullAsUnset) {
  v1::CheckInRequest req;
  ASSERT_TRUE(ParseJson(R"({"dropped_reports":"7","reports":[{"sequence":3,
      "collected_at":"2026-12-07T10:00:00.250+01:00","status":{"batteryPercent":"55",
      "charging":true,"loggedInUsers":["a","b"],"osName":null}},{"sequence":"4","usage":{}}]})",
                        req));
  EXPECT_EQ(req.dropped_reports(), 7u);
  ASSERT_EQ(req.reports_size(), 2);
  EXPECT_EQ(req.reports(0).sequence(), 3u);
  EXPECT_EQ(req.reports(0).collected_at().seconds(), 1796634000);  // 09:00 UTC
  EXPECT_EQ(req.reports(0).collected_at().nanos(), 250000000);
  EXPECT_EQ(req.reports(0).status().battery_percent(), 55);
  EXPECT_TRUE(req.reports(0).status().charging());
  EXPECT_EQ(req.reports(0).status().logged_in_users_size(), 2);
  EXPECT_TRUE(req.reports(1).has_usage());

  v1::ListDevicesRequest list;
  ASSERT_TRUE(ParseJson(R"({"kind":"DEVICE_KIND_TABLET"})", list));
  EXPECT_EQ(list.kind(), v1::DEVICE_KIND_TABLET);
  ASSERT_TRUE(ParseJson(R"({"kind":1})", list));
  EXPECT_EQ(static_cast<int>(list.kind()), 1);
}

void ExpectRefused(std::string_view json, std::string_view message) {
  v1::CheckInRequest req;
  Status parsed = ParseJson(json, req);
  ASSERT_FALSE(parsed) << json;
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().message, message) << json;
  EXPECT_EQ(req.ByteSizeLong(), 0u) << "nothing half-read is kept";
}

TEST(ProtoJsonTest, RefusalsNameTheField) {
  ExpectRefused(R"({"reports":[{"sequence":1,"bogus":2}]})", "reports[0].bogus: no such field");
  ExpectRefused(R"({"droppedReports":-1})",
                "droppedReports: not an integer between 0 and 18446744073709551615");
  ExpectRefused(R"({"reports":[{"status":{"batteryPercent":1.5}}]})",
                "reports[0].status.batteryPercent: not an integer between -2147483648 and "
                "2147483647");
  ExpectRefused(R"({"reports":[{"status":{"batteryPercent":"3000000000"}}]})",
                "reports[0].status.batteryPercent: not an integer between -2147483648 and "
                "2147483647");
  ExpectRefused(R"({"reports":[{"collectedAt":"hier"}]})",
                "reports[0].collectedAt: not an RFC 3339 time");
  ExpectRefused(R"({"reports":[{"status":{"charging":"yes"}}]})",
                "reports[0].status.charging: not true or false");
  ExpectRefused(R"({"reports":[{"status":{"osName":5}}]})",
                "reports[0].status.osName: not a string");
  ExpectRefused(R"({"reports":{}})", "reports: not a JSON array");
  ExpectRefused(R"({"reports":[null]})", "reports[0]: null in a list");
  ExpectRefused(R"([1,2])", "body: not a JSON object");
  ExpectRefused(R"({"reports":[)",
                "body: not JSON (The JSON document has an improper structure: missing or "
                "superfluous commas, braces, missing keys, etc.)");

  v1::ListDevicesRequest list;
  Status parsed = ParseJson(R"({"kind":"TABLETTE"})", list);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "kind: no such value: TABLETTE");
}

}  // namespace
}  // namespace parc::http
