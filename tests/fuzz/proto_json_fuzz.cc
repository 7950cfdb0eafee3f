// Protobuf's JSON mapping as parcd's HTTP side reads it (daemon/http/
// proto_json.h), for any parc.v1 message. Input: the message's full name on
// the first line, then the JSON text ("parc.v1.CheckInRequest\n{...}"). A text
// ParseJson accepts is printed by PrintJson and read back to the same message.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/http/proto_json.h"
#include "parc/v1/admin.pb.h"
#include "parc/v1/allocation.pb.h"
#include "parc/v1/dashboard.pb.h"
#include "parc/v1/device.pb.h"
#include "parc/v1/inventory.pb.h"
#include "parc/v1/training.pb.h"
#include "parc/v1/types.pb.h"

namespace pb = google::protobuf;

namespace {

// One message of each .proto file, so that the linker keeps every file's
// descriptors in the generated pool.
[[maybe_unused]] const pb::Descriptor* const kFiles[] = {
    parc::v1::WhoAmIRequest::descriptor(),
    parc::v1::AssignRequest::descriptor(),
    parc::v1::DashboardRequest::descriptor(),
    parc::v1::EnrollRequest::descriptor(),
    parc::v1::GetAgentRequest::descriptor(),
    parc::v1::DomainResult::descriptor(),
    parc::v1::Agent::descriptor(),
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t end = text.find('\n');
  if (end == std::string_view::npos) return 0;
  std::string name(text.substr(0, end));
  if (!name.starts_with("parc.v1.")) return 0;
  const pb::Descriptor* type = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(name);
  if (!type) return 0;
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(type);
  std::unique_ptr<pb::Message> message(prototype->New());
  std::string_view json = text.substr(end + 1);
  if (!parc::http::ParseJson(json, *message)) return 0;

  std::string printed = parc::http::PrintJson(*message);
  std::unique_ptr<pb::Message> again(prototype->New());
  if (parc::Status reread = parc::http::ParseJson(printed, *again); !reread) {
    std::fprintf(stderr, "%s printed as %s is refused: %s\n", name.c_str(), printed.c_str(),
                 reread.error().message.c_str());
    std::abort();
  }
  pb::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  pb::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  std::string report;
  differencer.ReportDifferencesToString(&report);
  if (!differencer.Compare(*message, *again)) {
    std::fprintf(stderr, "%s changed through %s:\n%s\n", name.c_str(), printed.c_str(),
                 report.c_str());
    std::abort();
  }
  return 0;
}
