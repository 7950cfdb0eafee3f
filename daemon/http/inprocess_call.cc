#include "daemon/http/inprocess_call.h"

#include <boost/beast/http/field.hpp>
#include <charconv>

#include "daemon/http/device_routes.h"
#include "daemon/service/admission.h"

namespace parc::http {

std::string_view PeerOf(const Request& req) {
  auto it = req.find(boost::beast::string_view(kPeerHeader.data(), kPeerHeader.size()));
  if (it == req.end()) return {};
  return {it->value().data(), it->value().size()};
}

void PrepareCall(grpc::ClientContext& ctx, const Request& req, std::string_view bearer,
                 std::chrono::seconds timeout) {
  if (!bearer.empty()) ctx.AddMetadata("authorization", "Bearer " + std::string(bearer));
  if (std::string_view peer = PeerOf(req); !peer.empty()) {
    ctx.AddMetadata(std::string(kPeerHeader), std::string(peer));
  }
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
}

void SetRetryAfter(Response& resp, const grpc::ClientContext& ctx) {
  const auto& trailers = ctx.GetServerTrailingMetadata();
  auto it = trailers.find(std::string(service::kRetryAfterTrailer));
  if (it == trailers.end()) return;
  std::string_view text(it->second.data(), it->second.size());
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) return;
  resp.set(boost::beast::http::field::retry_after, std::to_string(seconds));
}

}  // namespace parc::http
