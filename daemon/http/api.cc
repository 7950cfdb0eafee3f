#include "daemon/http/api.h"

#include <fmt/format.h>
#include <google/protobuf/struct.pb.h>
#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>
#include <charconv>
#include <future>
#include <map>

#include "common/logging.h"
#include "common/time.h"
#include "daemon/http/api_helpers.h"
#include "daemon/http/assets.h"
#include "daemon/http/csv_tables.h"
#include "daemon/http/desk_routes.h"
#include "daemon/http/device_routes.h"
#include "daemon/http/inprocess_call.h"
#include "daemon/http/proto_json.h"
#include "daemon/http/status_map.h"
#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/dashboard.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"

namespace parc::http {
namespace {

namespace bh = boost::beast::http;

constexpr std::string_view kCookieName = "parc_session";
constexpr std::string_view kApiPrefix = "/api/v1/";
constexpr std::string_view kDashboardPrefix = "/api/v1/dashboard/";

// ---- small text helpers -------------------------------------------------------

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding ('+' is a space); nullopt when a
// '%' is not followed by two hex digits.
std::optional<std::string> FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

// The helpers below are shared with desk_routes.cc (api_helpers.h).

// "a=1&b=x+y" -> {a: 1, b: "x y"}; a name given twice keeps the last value.
Expected<Query> ParsePairs(std::string_view text) {
  Query out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == text.npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto name = FormDecode(pair.substr(0, eq));
    auto value = FormDecode(eq == pair.npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) return InvalidArgument("query", "bad %-escape");
    out[*name] = *value;
  }
  return out;
}

template <typename Field>
std::string_view HeaderValue(const Request& req, Field field) {
  auto it = req.find(field);
  if (it == req.end()) return {};
  return {it->value().data(), it->value().size()};
}

// The value of cookie `name` in the Cookie header, or "".
std::string_view CookieValue(const Request& req, std::string_view name) {
  std::string_view cookies = HeaderValue(req, bh::field::cookie);
  while (!cookies.empty()) {
    size_t semi = cookies.find(';');
    std::string_view one = cookies.substr(0, semi);
    cookies = semi == cookies.npos ? std::string_view() : cookies.substr(semi + 1);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    if (one.size() > name.size() && one.starts_with(name) && one[name.size()] == '=') {
      return one.substr(name.size() + 1);
    }
  }
  return {};
}

std::string_view BearerOf(const Request& req) {
  std::string_view value = HeaderValue(req, bh::field::authorization);
  constexpr std::string_view kBearer = "Bearer ";
  return value.starts_with(kBearer) ? value.substr(kBearer.size()) : std::string_view();
}

// True without an Origin header (scripts), or when Origin names the Host the
// request was sent to ("http://127.0.0.1:8080" and "127.0.0.1:8080").
bool SameOrigin(const Request& req) {
  std::string_view origin = HeaderValue(req, bh::field::origin);
  if (origin.empty()) return true;
  size_t scheme = origin.find("://");
  if (scheme == origin.npos) return false;  // "null" and the like
  return origin.substr(scheme + 3) == HeaderValue(req, bh::field::host);
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// ---- responses ------------------------------------------------------------------

void SecurityHeaders(Response& resp) {
  resp.set("X-Content-Type-Options", "nosniff");
  resp.set("Referrer-Policy", "no-referrer");
  resp.set("X-Frame-Options", "DENY");
}

Response Make(bh::status status, std::string_view content_type, std::string body) {
  Response resp{status, 11};
  resp.set(bh::field::content_type, std::string(content_type));
  resp.body() = std::move(body);
  SecurityHeaders(resp);
  return resp;
}

Response Json(bh::status status, std::string body) {
  Response resp = Make(status, "application/json; charset=utf-8", std::move(body));
  resp.set(bh::field::cache_control, "no-store");
  return resp;
}

Response JsonError(bh::status status, std::string_view code, std::string_view message) {
  return Json(status, fmt::format("{{\"error\":{{\"code\":{},\"message\":{}}}}}\n",
                                  JsonString(code), JsonString(message)));
}

Response FromGrpc(const grpc::Status& status) {
  Response resp = JsonError(HttpStatusOf(status.error_code()), GrpcCodeName(status.error_code()),
                            status.error_message());
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    resp.set(bh::field::www_authenticate, "Bearer");
  }
  return resp;
}

Response FromGrpc(const grpc::Status& status, const grpc::ClientContext& ctx) {
  Response resp = FromGrpc(status);
  SetRetryAfter(resp, ctx);
  return resp;
}

Response BadRequest(const Error& error) {
  return JsonError(bh::status::bad_request, "INVALID_ARGUMENT", error.message);
}

// ---- query parameters -> request fields (by reflection) -------------------------

Status SetField(google::protobuf::Message& msg, std::string_view name, const std::string& value) {
  const auto* field = msg.GetDescriptor()->FindFieldByName(std::string(name));
  if (!field || field->is_repeated() || field->message_type()) {
    return InvalidArgument(name, "unknown query parameter");
  }
  const auto* refl = msg.GetReflection();
  using FD = google::protobuf::FieldDescriptor;
  switch (field->cpp_type()) {
    case FD::CPPTYPE_STRING:
      refl->SetString(&msg, field, value);
      return Ok();
    case FD::CPPTYPE_INT32: {
      int32_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return InvalidArgument(name, "'" + value + "' is not an integer");
      }
      refl->SetInt32(&msg, field, n);
      return Ok();
    }
    case FD::CPPTYPE_BOOL:
      if (value != "true" && value != "false") return InvalidArgument(name, "true or false");
      refl->SetBool(&msg, field, value == "true");
      return Ok();
    case FD::CPPTYPE_ENUM: {
      // "tablet", "TABLET", "DEVICE_KIND_TABLET" or the number.
      const auto* type = field->enum_type();
      std::string upper;
      for (char c : value) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::string prefix = type->value(0)->name();  // "DEVICE_KIND_UNSPECIFIED"
      prefix = prefix.substr(0, prefix.rfind('_') + 1);
      for (int i = 0; i < type->value_count(); ++i) {
        const auto* v = type->value(i);
        if (v->name() == upper || v->name() == prefix + upper ||
            std::to_string(v->number()) == value) {
          refl->SetEnumValue(&msg, field, v->number());
          return Ok();
        }
      }
      if (value.empty()) return Ok();
      return InvalidArgument(name, "'" + value + "' is not a known value");
    }
    default:
      return InvalidArgument(name, "unknown query parameter");
  }
}

Status FillRequest(google::protobuf::Message& msg, const Query& query) {
  for (const auto& [name, value] : query) {
    if (name == "by") continue;  // the CSV's table choice
    PARC_TRY(SetField(msg, name, value));
  }
  return Ok();
}

namespace {

// "parc-couverture-par-service-2026-05-28.csv"
Response CsvResponse(const CsvTable& table, int64_t now_ms) {
  Response resp = Make(bh::status::ok, "text/csv; charset=utf-8", table.body);
  resp.set(bh::field::content_disposition,
           fmt::format("attachment; filename=\"{}-{}.csv\"", table.file_stem, FormatDate(now_ms)));
  resp.set(bh::field::cache_control, "no-store");
  return resp;
}

}  // namespace

struct Api::Impl {
  store::Store& store;
  const Clock& clock;
  ApiOptions options;
  Sessions sessions;
  const HttpCounters* counters = nullptr;  // the Api's, for /metrics
  std::unique_ptr<v1::DashboardService::Stub> dashboard;
  std::unique_ptr<v1::AdminService::Stub> admin;
  std::unique_ptr<v1::InventoryService::Stub> inventory;
  DeskRoutes desk;
  DeviceRoutes device_routes;

  Impl(store::Store& s, const Clock& c, ApiOptions o)
      : store(s),
        clock(c),
        options(std::move(o)),
        sessions(c, options.sessions),
        dashboard(v1::DashboardService::NewStub(options.channel)),
        admin(v1::AdminService::NewStub(options.channel)),
        inventory(v1::InventoryService::NewStub(options.channel)),
        desk(options.channel, options.call_timeout),
        device_routes(options.channel, *options.device_service, options.call_timeout) {}

  std::unique_ptr<grpc::ClientContext> Context(const Request& req, std::string_view token) const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    PrepareCall(*ctx, req, token, options.call_timeout);
    return ctx;
  }

  // The operator token behind the request: the bearer header, else the
  // session cookie's.
  std::optional<std::string> TokenOf(const Request& req) {
    if (auto bearer = BearerOf(req); !bearer.empty()) return std::string(bearer);
    return sessions.Resolve(CookieValue(req, kCookieName));
  }

  bool Secure(const Request& req) const {
    return options.secure_cookies || HeaderValue(req, "X-Forwarded-Proto") == "https";
  }

  Response Route(const Request& req);
  Response Static(const Request& req, std::string_view path);
  Response SignIn(const Request& req);
  Response SignOut(const Request& req);
  Response Health();
  Response Metrics(const HttpCounters& counters);

  template <typename Req, typename Resp>
  Response Ask(const Request& req, const std::string& token, const Query& query,
               grpc::Status (v1::DashboardService::Stub::*rpc)(grpc::ClientContext*, const Req&,
                                                               Resp*),
               Expected<CsvTable> (*csv)(const Resp&, std::string_view, const DepartmentNames&),
               bool as_csv) {
    Req request;
    if (Status filled = FillRequest(request, query); !filled) return BadRequest(filled.error());
    Resp response;
    auto ctx = Context(req, token);
    grpc::Status status = ((*dashboard).*rpc)(ctx.get(), request, &response);
    if (!status.ok()) return FromGrpc(status, *ctx);
    if (!as_csv) return Json(bh::status::ok, PrintJson(response));
    DepartmentNames names;
    v1::ListDepartmentsResponse departments;
    auto list_ctx = Context(req, token);
    status = inventory->ListDepartments(list_ctx.get(), v1::ListDepartmentsRequest(), &departments);
    if (!status.ok()) return FromGrpc(status, *list_ctx);
    for (const auto& d : departments.departments()) names.emplace(d.code(), d.name());
    auto by = query.find("by");
    auto table = csv(response, by == query.end() ? std::string_view() : by->second, names);
    if (!table) return BadRequest(table.error());
    return CsvResponse(*table, clock.NowMs());
  }
};

Api::Api(store::Store& store, const Clock& clock, ApiOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {
  impl_->counters = &counters_;
}

Api::~Api() = default;

Response Api::Handle(const Request& request) {
  std::promise<Response> answer;
  HandleAsync(request, [&answer](Response resp) { answer.set_value(std::move(resp)); });
  return answer.get_future().get();
}

void Api::HandleAsync(const Request& request, std::function<void(Response)> done) {
  auto start = std::chrono::steady_clock::now();
  std::string_view target(request.target().data(), request.target().size());
  // The path only: query strings are filters, but keep log lines short.
  auto finish = [this, start, head = request.method() == bh::verb::head,
                 method = std::string(request.method_string()),
                 path = std::string(target.substr(0, target.find('?'))),
                 done = std::move(done)](Response resp) {
    static const auto log = Logger("http");
    if (head) resp.body().clear();
    counters_.Count(resp.result_int());
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    log->debug("http method={} path={} status={} us={}", method, path, resp.result_int(), micros);
    done(std::move(resp));
  };
  if (target.starts_with(kDevicePrefix)) {
    impl_->device_routes.Handle(request, std::move(finish));
  } else {
    finish(impl_->Route(request));
  }
}

Response Api::Impl::Route(const Request& req) {
  std::string_view target(req.target().data(), req.target().size());
  size_t qmark = target.find('?');
  std::string_view path = target.substr(0, qmark);
  std::string_view query_text =
      qmark == target.npos ? std::string_view() : target.substr(qmark + 1);
  const bool get = req.method() == bh::verb::get || req.method() == bh::verb::head;

  auto not_allowed = [](std::string_view allow) {
    Response resp =
        JsonError(bh::status::method_not_allowed, "METHOD_NOT_ALLOWED", "method not allowed here");
    resp.set(bh::field::allow, std::string(allow));
    return resp;
  };

  if (path == "/healthz") return get ? Health() : not_allowed("GET");
  if (path == "/metrics") {
    return get ? Metrics(*counters) : not_allowed("GET");
  }
  if (path == "/api/v1/session") {
    // A page of another site may post forms here (login CSRF): a browser
    // always says where the request comes from, and it must be this server.
    if (!SameOrigin(req)) {
      return JsonError(bh::status::forbidden, "PERMISSION_DENIED", "sign in from parcd's own page");
    }
    if (req.method() == bh::verb::post) return SignIn(req);
    if (req.method() == bh::verb::delete_) return SignOut(req);
    return not_allowed("POST, DELETE");
  }
  if (path.starts_with(kApiPrefix)) {
    const bool desk_route = path.starts_with(DeskRoutes::kPrefix);
    if (!get && !desk_route) return not_allowed("GET");
    auto token = TokenOf(req);
    if (!token) {
      Response resp = JsonError(bh::status::unauthorized, "UNAUTHENTICATED",
                                "sign in first (session cookie or Authorization: Bearer)");
      resp.set(bh::field::www_authenticate, "Bearer");
      return resp;
    }
    auto query = ParsePairs(query_text);
    if (!query) return BadRequest(query.error());
    if (desk_route) {
      std::string_view session = BearerOf(req).empty() ? CookieValue(req, kCookieName) : "";
      return desk.Handle(req, path, *query, *token, session);
    }
    if (path == "/api/v1/whoami") {
      v1::Operator me;
      auto ctx = Context(req, *token);
      grpc::Status status = admin->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me);
      if (!status.ok()) return FromGrpc(status, *ctx);
      return Json(bh::status::ok, PrintJson(me));
    }
    if (path == "/api/v1/departments") {
      v1::ListDepartmentsResponse list;
      auto ctx = Context(req, *token);
      grpc::Status status =
          inventory->ListDepartments(ctx.get(), v1::ListDepartmentsRequest(), &list);
      if (!status.ok()) return FromGrpc(status, *ctx);
      return Json(bh::status::ok, PrintJson(list));
    }
    if (path.starts_with(kDashboardPrefix)) {
      std::string_view name = path.substr(kDashboardPrefix.size());
      bool csv = name.ends_with(".csv");
      if (csv) name.remove_suffix(4);
      using S = v1::DashboardService::Stub;
      if (name == "allocation-summary")
        return Ask(req, *token, *query, &S::AllocationSummary, &AllocationCsv, csv);
      if (name == "coverage") return Ask(req, *token, *query, &S::Coverage, &CoverageCsv, csv);
      if (name == "stale-devices")
        return Ask(req, *token, *query, &S::StaleDevices, &StaleCsv, csv);
      if (name == "fleet-health") return Ask(req, *token, *query, &S::FleetHealth, &HealthCsv, csv);
      if (name == "training-funnel")
        return Ask(req, *token, *query, &S::TrainingFunnel, &FunnelCsv, csv);
      if (name == "overdue-loans")
        return Ask(req, *token, *query, &S::OverdueLoans, &OverdueCsv, csv);
    }
    return JsonError(bh::status::not_found, "NOT_FOUND", "no such endpoint");
  }
  if (!get) return not_allowed("GET");
  if (path == "/apprendre") {
    // The learner app's address without its slash: its relative scope needs
    // it (the enrollment token in the query goes along).
    Response resp = Make(bh::status::moved_permanently, "text/plain; charset=utf-8", "");
    resp.set(bh::field::location, qmark == target.npos ? std::string("/apprendre/")
                                                       : "/apprendre/?" + std::string(query_text));
    return resp;
  }
  return Static(req, path);
}

Response Api::Impl::Static(const Request& req, std::string_view path) {
  // A directory ("/", "/apprendre/") is its index.html.
  const Asset* asset =
      path.ends_with('/') ? FindAsset(std::string(path) + "index.html") : FindAsset(path);
  if (!asset) {
    return Make(bh::status::not_found, "text/plain; charset=utf-8", "not found\n");
  }
  Response resp{bh::status::ok, 11};
  SecurityHeaders(resp);
  resp.set(bh::field::content_type, std::string(asset->content_type));
  resp.set(bh::field::etag, std::string(asset->etag));
  // Revalidated each time: cheap with the ETag, and a new parcd is never
  // hidden behind a cached page.
  resp.set(bh::field::cache_control, "no-cache");
  if (asset->content_type.starts_with("text/html")) {
    resp.set("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
             "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }
  if (!asset->etag.empty() && HeaderValue(req, bh::field::if_none_match) == asset->etag) {
    resp.result(bh::status::not_modified);
    return resp;
  }
  resp.body() = std::string(asset->body);
  return resp;
}

Response Api::Impl::SignIn(const Request& req) {
  std::string_view type = HeaderValue(req, bh::field::content_type);
  std::string token;
  if (type.starts_with("application/json")) {
    google::protobuf::Struct body;
    if (!ParseJson(req.body(), body)) {
      return BadRequest(Error{ErrorCode::kInvalidArgument, "body: not a JSON object"});
    }
    auto it = body.fields().find("token");
    if (it != body.fields().end()) token = it->second.string_value();
  } else if (type.starts_with("application/x-www-form-urlencoded")) {
    auto form = ParsePairs(req.body());
    if (!form) return BadRequest(form.error());
    if (auto it = form->find("token"); it != form->end()) token = it->second;
  } else {
    return JsonError(bh::status::unsupported_media_type, "INVALID_ARGUMENT",
                     "send the token as application/x-www-form-urlencoded or application/json");
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front())))
    token.erase(0, 1);
  if (token.empty()) {
    return BadRequest(Error{ErrorCode::kInvalidArgument, "token: required"});
  }
  // The Gate checks the token exactly as for any gRPC call.
  v1::Operator me;
  auto ctx = Context(req, token);
  grpc::Status status = admin->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me);
  if (!status.ok()) return FromGrpc(status, *ctx);
  auto id = sessions.Create(std::move(token));
  if (!id) {
    return JsonError(bh::status::service_unavailable, "RESOURCE_EXHAUSTED", id.error().message);
  }
  Response resp{bh::status::no_content, 11};
  SecurityHeaders(resp);
  resp.set(bh::field::cache_control, "no-store");
  resp.set(bh::field::set_cookie,
           fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}", kCookieName, *id,
                       sessions.lifetime_seconds(), Secure(req) ? "; Secure" : ""));
  return resp;
}

Response Api::Impl::SignOut(const Request& req) {
  sessions.End(CookieValue(req, kCookieName));
  Response resp{bh::status::no_content, 11};
  SecurityHeaders(resp);
  resp.set(bh::field::cache_control, "no-store");
  resp.set(bh::field::set_cookie, fmt::format("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
                                              kCookieName, Secure(req) ? "; Secure" : ""));
  return resp;
}

Response Api::Impl::Health() {
  // A real read through the store (an index lookup that finds nothing).
  Status read = store.Read([](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto site, r.FindSite("-"));
    (void)site;
    return Ok();
  });
  if (!read) {
    Response resp = Make(bh::status::service_unavailable, "text/plain; charset=utf-8",
                         "unavailable: " + read.error().message + "\n");
    resp.set(bh::field::cache_control, "no-store");
    return resp;
  }
  Response resp = Make(bh::status::ok, "text/plain; charset=utf-8", "ok\n");
  resp.set(bh::field::cache_control, "no-store");
  return resp;
}

Response Api::Impl::Metrics(const HttpCounters& counters) {
  MetricsInput input{.checkin = options.checkin_counters ? options.checkin_counters()
                                                         : checkin::PipelineCounters{},
                     .http = &counters,
                     .sessions = sessions.size(),
                     .database_path = options.database_path,
                     .fleet_gauges = options.fleet_gauges};
  auto text = RenderMetrics(store, clock, input);
  if (!text) {
    return Make(bh::status::service_unavailable, "text/plain; charset=utf-8",
                "metrics unavailable: " + text.error().message + "\n");
  }
  Response resp = Make(bh::status::ok, "text/plain; version=0.0.4; charset=utf-8", *text);
  resp.set(bh::field::cache_control, "no-store");
  return resp;
}

}  // namespace parc::http
