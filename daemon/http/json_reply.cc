#include "daemon/http/json_reply.h"

#include <boost/beast/http/field.hpp>

#include "daemon/http/inprocess_call.h"
#include "daemon/http/proto_json.h"
#include "daemon/http/status_map.h"

namespace parc::http {
namespace {

namespace bh = boost::beast::http;

void EscapeJson(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

Response JsonReply(bh::status status, std::string body) {
  Response resp{status, 11};
  resp.set(bh::field::content_type, "application/json; charset=utf-8");
  resp.set(bh::field::cache_control, "no-store");
  SetSecurityHeaders(resp);
  resp.body() = std::move(body);
  return resp;
}

}  // namespace

void SetSecurityHeaders(Response& resp) {
  resp.set("X-Content-Type-Options", "nosniff");
  resp.set("Referrer-Policy", "no-referrer");
  resp.set("X-Frame-Options", "DENY");
}

Response MessageReply(const google::protobuf::Message& message) {
  std::string json = PrintJson(message);
  json += '\n';
  return JsonReply(bh::status::ok, std::move(json));
}

Response ErrorReply(bh::status status, std::string_view code, std::string_view message) {
  std::string body = "{\"code\":";
  EscapeJson(code, body);
  body += ",\"message\":";
  EscapeJson(message, body);
  body += "}\n";
  Response resp = JsonReply(status, std::move(body));
  if (code == "UNAUTHENTICATED") resp.set(bh::field::www_authenticate, "Bearer");
  return resp;
}

Response ErrorReply(const grpc::Status& status) {
  return ErrorReply(HttpStatusOf(status.error_code()), GrpcCodeName(status.error_code()),
                    status.error_message());
}

Response ErrorReply(const grpc::Status& status, const grpc::ClientContext& ctx) {
  Response resp = ErrorReply(status);
  SetRetryAfter(resp, ctx);
  return resp;
}

}  // namespace parc::http
