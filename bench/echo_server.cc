// bench/echo_server: the transport ceiling of bench/run.sh. The same gRPC
// build and server settings as parcd (daemon/server.cc: callback API, default
// threading, health service, reflection, the same message size limits) and
// the same DeviceService.CheckIn method, answered at once with an empty
// response: what is left when Parc does no work at all. The load generator
// targets it with the very requests it sends to parcd.
//
//   echo_server [--listen 127.0.0.1:0]   prints "serving port=N", serves until SIGTERM
#include <absl/synchronization/mutex.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <csignal>
#include <iostream>
#include <string>
#include <thread>

#include "parc/v1/device.grpc.pb.h"

namespace {

class Echo final : public parc::v1::DeviceService::CallbackService {
  grpc::ServerUnaryReactor* CheckIn(grpc::CallbackServerContext* ctx,
                                    const parc::v1::CheckInRequest*,
                                    parc::v1::CheckInResponse*) override {
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--listen") listen = argv[i + 1];
  }
  // As parcd does (daemon/main.cc): no lock-order checking on every absl::Mutex lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by gRPC's threads

  // parcd's defaults (deploy/parcd.toml) for what shapes throughput: the
  // message cap and the streams per connection.
  constexpr int kMaxMessageBytes = 16 * 1024 * 1024;  // max_message_bytes
  constexpr int kMaxConcurrentStreams = 100;          // grpc_max_concurrent_streams
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  Echo echo;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams);
  builder.RegisterService(&echo);
  auto server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::cerr << "echo_server: cannot listen on " << listen << "\n";
    return 1;
  }
  std::cout << "serving port=" << port << std::endl;
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    server->Shutdown();
  });
  server->Wait();
  stopper.join();
  return 0;
}
