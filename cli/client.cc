#include "cli/client.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "common/i18n.h"

namespace parc::cli {
namespace {

Expected<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("ca", TrF("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Error StatusError(const grpc::Status& status, const std::string& addr) {
  std::string message =
      TrF("{0}: {1}", CodeSentence(status.error_code()),
          status.error_message().empty() ? Tr("(no message)") : status.error_message());
  switch (status.error_code()) {
    case grpc::StatusCode::UNAUTHENTICATED:
      message += Tr(" (check PARC_TOKEN)");
      break;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      message += TrF(" (is parcd running at {}?)", addr);
      break;
    default:
      break;
  }
  return Error{static_cast<ErrorCode>(status.error_code()), std::move(message)};
}

Expected<std::unique_ptr<Client>> Client::Connect(const Settings& settings) {
  if (settings.token.empty()) {
    return Fail(ErrorCode::kUnauthenticated,
                Tr("no API token: pass --token, set PARC_TOKEN, or put token = \"...\" in "
                   "~/.config/parc/parcctl.toml"));
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!settings.ca.empty()) {
    grpc::SslCredentialsOptions options;
    PARC_ASSIGN_OR_RETURN(options.pem_root_certs, ReadWholeFile(settings.ca));
    credentials = grpc::SslCredentials(options);
  }
  auto channel = grpc::CreateChannel(settings.addr, credentials);
  Stubs stubs{v1::InventoryService::NewStub(channel), v1::AllocationService::NewStub(channel),
              v1::AdminService::NewStub(channel), v1::DashboardService::NewStub(channel),
              v1::TrainingService::NewStub(channel)};
  return std::make_unique<Client>(std::move(stubs), settings.addr, settings.token);
}

void Client::Prepare(grpc::ClientContext& context) const {
  context.AddMetadata("authorization", "Bearer " + token_);
  context.set_deadline(std::chrono::system_clock::now() + kDeadline);
}

std::unique_ptr<grpc::ClientContext> Client::StreamContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token_);
  return context;
}

}  // namespace parc::cli
