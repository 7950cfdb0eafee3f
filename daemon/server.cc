#include "daemon/server.h"

#include <fmt/format.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "common/clock.h"
#include "common/logging.h"
#include "daemon/checkin/retention.h"
#include "daemon/content/content_gc.h"
#include "daemon/http/listener.h"
#include "daemon/limits/descriptor_limit.h"
#include "daemon/limits/grpc_limits.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "daemon/systemd.h"
#include "daemon/test_clock.h"

namespace parc {
namespace {

Expected<std::string> ReadFile(std::string_view key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(key, "cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

Expected<std::shared_ptr<grpc::ServerCredentials>> Credentials(const Config& config) {
  if (!config.UsesTls()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  PARC_ASSIGN_OR_RETURN(pair.cert_chain, ReadFile("tls_cert", config.tls_cert));
  PARC_ASSIGN_OR_RETURN(pair.private_key, ReadFile("tls_key", config.tls_key));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  return grpc::SslServerCredentials(options);
}

}  // namespace

service::MessageLimits MessageLimitsFrom(const Config& config) {
  return {.device_bytes = config.grpc_max_device_message_bytes,
          .report_bytes = config.grpc_max_report_message_bytes};
}

// Checked when the configuration was loaded (config.cc).
TrustedProxies TrustedProxiesFrom(const Config& config) {
  return TrustedProxies::Parse(config.trusted_proxies).value_or(TrustedProxies{});
}

service::RateLimits RateLimitsFrom(const Config& config) {
  return {.window_ms = config.rate_limit_window_seconds * 1000,
          .enroll_attempts_per_peer = config.enroll_attempts_per_peer,
          .enroll_attempts_per_token = config.enroll_attempts_per_token,
          .auth_failures_per_peer = config.auth_failures_per_peer,
          .auth_failures_per_token = config.auth_failures_per_token,
          .trusted_proxies = TrustedProxiesFrom(config)};
}

http::ListenerOptions ListenerOptionsFrom(const Config& config) {
  using std::chrono::seconds;
  return {
      .max_connections = static_cast<size_t>(config.http_max_connections),
      .header_limit_bytes = static_cast<size_t>(config.http_max_header_bytes),
      .body_limit_bytes = static_cast<size_t>(config.http_max_body_bytes),
      .device_body_limit_bytes = static_cast<size_t>(config.http_max_device_body_bytes),
      .max_requests_per_connection = static_cast<size_t>(config.http_max_requests_per_connection),
      .idle_timeout = seconds(config.http_idle_timeout_seconds),
      .header_timeout = seconds(config.http_header_timeout_seconds),
      .body_timeout = seconds(config.http_body_timeout_seconds),
      .write_timeout = seconds(config.http_write_timeout_seconds),
      .trusted_proxies = TrustedProxiesFrom(config)};
}

Expected<std::unique_ptr<GrpcServer>> GrpcServer::Start(const Config& config,
                                                        service::Services& services) {
  PARC_ASSIGN_OR_RETURN(auto credentials, Credentials(config));
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen, credentials, &port);
  auto connections = limits::ApplyGrpcLimits(config, builder);
  services.Register(builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return Fail(ErrorCode::kUnavailable, "listen: cannot listen on " + config.listen);
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  return std::unique_ptr<GrpcServer>(
      new GrpcServer(std::move(server), port, std::move(connections)));
}

std::shared_ptr<grpc::Channel> GrpcServer::InProcessChannel() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  return server_->InProcessChannel(args);
}

void GrpcServer::Shutdown(std::chrono::milliseconds grace) {
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + grace);
}

Status Serve(const Config& config) {
  auto log = Logger("main");
  PARC_ASSIGN_OR_RETURN(auto store,
                        store::sqlite::Open({.path = config.DatabasePath(), .create = false}));
  // The system clock, or (tests only) the system clock moved by a file.
  SystemClock system_clock;
  std::optional<TestClock> test_clock;
  if (!config.test_clock_file.empty()) {
    test_clock.emplace(config.test_clock_file);
    log->warn(
        "test clock: the time is the system clock plus the seconds in {} (test_clock_file;"
        " for tests only, never in production)",
        config.test_clock_file);
  }
  const Clock& clock = test_clock ? static_cast<const Clock&>(*test_clock) : system_clock;
  PARC_ASSIGN_OR_RETURN(auto skill_tiers, domain::ParseSkillTiers(config.skill_tiers));
  service::Services services(
      *store, clock,
      {.backup_dir = config.data_dir + "/backups",
       .checkin_interval_seconds = static_cast<int32_t>(config.checkin_interval_seconds),
       .skill_tiers = std::move(skill_tiers),
       .content_dir = config.ContentDir(),
       .max_content_bytes = config.max_content_bytes,
       .content_usage_window_ms = config.content_usage_window_days * 24 * 3600 * 1000,
       .token_default_ttl_seconds = config.token_default_ttl_days * 24 * 3600,
       .public_url = config.PublicUrl(),
       .receipt_dir = config.data_dir + "/receipts",
       .message_limits = MessageLimitsFrom(config),
       .max_call = std::chrono::seconds(config.grpc_max_call_seconds),
       .rate_limits = RateLimitsFrom(config)});
  // The connection limits that fit the process's descriptors (descriptor_limit.h).
  const Config fitted = limits::FitDescriptorLimit(config);
  PARC_ASSIGN_OR_RETURN(auto server, GrpcServer::Start(fitted, services));
  log->info("serving grpc={} port={} tls={} database={} schema={}", config.listen, server->port(),
            config.UsesTls(), config.DatabasePath(), store->SchemaVersion());

  // Signals and timers run on one Asio loop; the signal handler only starts
  // the shutdown.
  boost::asio::io_context io;
  checkin::RetentionJob retention(io, *store, clock,
                                  {.retention_days = config.history_retention_days});
  retention.Start();
  // Unreferenced training content and receipt files no receipt names, after a
  // grace period (content_gc.h).
  content::ContentGcJob content_gc(io, services.store(), services.content_files(),
                                   &services.receipt_files(), clock, {});
  content_gc.Start();
  // The dashboard page, its JSON and CSV, /metrics and /healthz; answered
  // through the gRPC services in-process (daemon/http/api.h).
  auto api = std::make_shared<http::Api>(
      *store, clock,
      http::ApiOptions{.channel = server->InProcessChannel(),
                       .device_service = &services.device_service(),
                       .checkin_counters = [&services] { return services.checkin_counters(); },
                       .database_path = config.DatabasePath(),
                       .fleet_gauges =
                           [&services](int64_t stale_before_ms) {
                             return services.fleet_index().CountFleet(stale_before_ms);
                           }});
  auto web = http::HttpServer::Start(io, config.http_listen, api, ListenerOptionsFrom(fitted));
  if (!web) {
    server->Shutdown(std::chrono::seconds(0));
    server->Wait();
    services.Stop();
    return std::unexpected(web.error());
  }
  log->info("serving http={} http_port={} url=http://{}:{}/", config.http_listen, (*web)->port(),
            (*web)->host(), (*web)->port());
  log->info("learner app url={}/apprendre/", config.PublicUrl());
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log->info("stopping signal={} grace_s={}", signal, config.shutdown_grace_seconds);
    systemd::NotifyStopping();
    (*web)->Stop();
    server->Shutdown(std::chrono::seconds(config.shutdown_grace_seconds));
  });
  systemd::StartWatchdog(io);
  systemd::NotifyReady(
      fmt::format("serving grpc port {}, http port {}", server->port(), (*web)->port()));
  std::thread loop_thread([&io] { io.run(); });
  server->Wait();
  // In-flight check-ins were answered by the pipeline during the shutdown; it
  // stops now, before the store closes (the store outlives everything here).
  services.Stop();
  io.stop();
  loop_thread.join();
  log->info("stopped");
  return Ok();
}

}  // namespace parc
