#include "tests/support/test_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "daemon/domain/bootstrap.h"
#include "daemon/domain/operators.h"
#include "daemon/http/listener.h"
#include "daemon/server.h"
#include "daemon/service/services.h"
#include "daemon/store/sqlite/sqlite_store.h"

namespace parc::testing {

struct TestServer::Impl {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<service::Services> services;
  std::unique_ptr<GrpcServer> server;
  // StartHttp: parcd's HTTP side on its own loop.
  boost::asio::io_context io;
  std::unique_ptr<http::HttpServer> http;
  http::ListenerOptions http_options;
  std::thread io_thread;

  void StopHttp() {
    if (!http) return;
    http->Stop();
    io.stop();
    io_thread.join();
    http.reset();
  }
};

namespace {
std::filesystem::path FreshDir() {
  static std::atomic<int> counter{0};
  std::random_device random;
  auto dir = std::filesystem::temp_directory_path() /
             ("parc-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
              std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}
}  // namespace

namespace {
std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A self-signed certificate for 127.0.0.1, written as cert.pem and key.pem.
bool MakeCertificate(const std::filesystem::path& dir) {
  std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string() + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}
}  // namespace

TestServer::TestServer(const Options& options) : impl_(std::make_unique<Impl>()), dir_(FreshDir()) {
  auto store = store::sqlite::Open({.path = (dir_ / "parc.db").string()});
  if (!store) {
    ADD_FAILURE() << "store: " << store.error().message;
    return;
  }
  impl_->store = std::move(*store);
  auto token = domain::Bootstrap(*impl_->store, clock_, "admin");
  if (!token) {
    ADD_FAILURE() << "bootstrap: " << token.error().message;
    return;
  }
  admin_token_ = *token;
  impl_->services = std::make_unique<service::Services>(
      *impl_->store, clock_,
      service::Services::Options{
          .backup_dir = (dir_ / "backups").string(),
          .checkin_interval_seconds = options.checkin_interval_seconds,
          .content_dir = (dir_ / "content").string(),
          .receipt_dir = (dir_ / "receipts").string(),
          .message_limits = MessageLimitsFrom(options.config),
          .max_call = std::chrono::seconds(options.config.grpc_max_call_seconds),
          .rate_limits = RateLimitsFrom(options.config)});
  Config config = options.config;
  impl_->http_options = ListenerOptionsFrom(config);
  config.listen = "127.0.0.1:0";
  if (options.tls) {
    if (!MakeCertificate(dir_)) {
      ADD_FAILURE() << "openssl could not make a test certificate";
      return;
    }
    config.tls_cert = (dir_ / "cert.pem").string();
    config.tls_key = (dir_ / "key.pem").string();
    ca_pem_ = ReadAll(dir_ / "cert.pem");
  }
  auto server = GrpcServer::Start(config, *impl_->services);
  if (!server) {
    ADD_FAILURE() << "server: " << server.error().message;
    return;
  }
  impl_->server = std::move(*server);
}

TestServer::~TestServer() {
  impl_->StopHttp();
  if (impl_->server) {
    impl_->server->Shutdown(std::chrono::seconds(5));
    impl_->server->Wait();
  }
  // The pipeline answers what is queued and stops before the store closes.
  if (impl_->services) impl_->services->Stop();
  impl_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestServer::address() const {
  return "127.0.0.1:" + std::to_string(impl_->server ? impl_->server->port() : 0);
}

size_t TestServer::open_connections() const {
  return impl_->server ? impl_->server->connections().Open() : 0;
}

uint64_t TestServer::refused_connections() const {
  return impl_->server ? impl_->server->connections().refused() : 0;
}

checkin::PipelineCounters TestServer::checkin_counters() const {
  return impl_->services ? impl_->services->checkin_counters() : checkin::PipelineCounters{};
}

int TestServer::StartHttp() {
  if (impl_->http) return impl_->http->port();
  if (!impl_->server) return 0;
  auto api = std::make_shared<http::Api>(
      *impl_->store, clock_,
      http::ApiOptions{.channel = impl_->server->InProcessChannel(),
                       .device_service = &impl_->services->device_service(),
                       .checkin_counters = [this] { return checkin_counters(); },
                       .database_path = (dir_ / "parc.db").string(),
                       // As parcd: /metrics' fleet gauges from the dashboards' index.
                       .fleet_gauges =
                           [this](int64_t stale_before_ms) {
                             return impl_->services->fleet_index().CountFleet(stale_before_ms);
                           }});
  auto server = http::HttpServer::Start(impl_->io, "127.0.0.1:0", api, impl_->http_options);
  if (!server) {
    ADD_FAILURE() << "http: " << server.error().message;
    return 0;
  }
  impl_->http = std::move(*server);
  impl_->io_thread = std::thread([this] {
    auto guard = boost::asio::make_work_guard(impl_->io);
    impl_->io.run();
  });
  return impl_->http->port();
}

std::shared_ptr<grpc::Channel> TestServer::Channel() const {
  if (ca_pem_.empty()) return grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_pem_;
  return grpc::CreateChannel(address(), grpc::SslCredentials(ssl));
}

std::unique_ptr<grpc::ClientContext> TestServer::Context(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

std::string TestServer::TokenFor(const std::string& name, v1::Role role,
                                 const std::vector<std::string>& departments) {
  std::string secret;
  auto status = impl_->store->Write([&](store::Writer& w) -> Status {
    domain::Principal admin{.name = "admin", .role = v1::ROLE_ADMIN};
    domain::Call call{admin, clock_.NowMs()};
    v1::Operator op;
    op.set_name(name);
    op.set_role(role);
    for (const auto& d : departments) op.add_departments(d);
    PARC_TRY(domain::CreateOperator(w, call, op));
    v1::CreateApiTokenRequest request;
    request.set_operator_name(name);
    PARC_ASSIGN_OR_RETURN(auto token, domain::CreateApiToken(w, call, request));
    secret = token.secret;
    return Ok();
  });
  EXPECT_TRUE(status) << status.error().message;
  return secret;
}

}  // namespace parc::testing
