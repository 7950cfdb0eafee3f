// The gRPC plugins a statically linked parc-agent registers (cmake/ParcStaticLink.cmake).
//
// gRPC core builds its configuration (resolvers, load-balancing policies,
// filters, handshakers) in grpc_core::BuildCoreConfiguration, which libgrpc
// defines in src/core/plugin_registry/grpc_plugin_registry.cc and which
// registers everything gRPC has: xDS (resolver, cluster policies, RBAC, fault
// injection), RLS, grpclb, ring hash, cloud-to-prod, file-watcher certificates.
// Linked statically, that one function pulls all of them into the binary, and
// the pages they sit on into the resident memory of every device, although
// the agent only ever dials "host:port" (DNS, pick_first, plaintext or TLS).
//
// This definition, linked before libgrpc.a, replaces it: the same calls in the
// same order (the handshaker order matters), without the plugins the agent
// cannot use: xDS and its filters (RBAC, fault injection, channel stack
// modifier, default channel credentials), RLS, grpclb, priority, weighted
// target, ring hash, outlier detection, cloud-to-prod, the fake resolver.
// The declarations name gRPC 1.51's internal functions (Debian 12 ships no
// src/core headers; the list was read from libgrpc.a's own definition), so
// cmake/ParcStaticLink.cmake compiles this file only against gRPC 1.51 and
// links every plugin otherwise. Only for static links: against libgrpc.so
// this symbol would interpose the library's own.
namespace grpc_core {
class CoreConfiguration {
 public:
  class Builder;
};
using Builder = CoreConfiguration::Builder;

void RegisterHttpConnectHandshaker(Builder* builder);
void RegisterTCPConnectHandshaker(Builder* builder);
void RegisterPickFirstLbPolicy(Builder* builder);
void RegisterRoundRobinLbPolicy(Builder* builder);
void BuildClientChannelConfiguration(Builder* builder);
void SecurityRegisterHandshakerFactories(Builder* builder);
void RegisterClientAuthorityFilter(Builder* builder);
void RegisterChannelIdleFilters(Builder* builder);
void RegisterHttpFilters(Builder* builder);
void RegisterDeadlineFilter(Builder* builder);
void RegisterMessageSizeFilter(Builder* builder);
void RegisterServiceConfigChannelArgFilter(Builder* builder);
void RegisterResourceQuota(Builder* builder);
void RegisterAresDnsResolver(Builder* builder);
void RegisterNativeDnsResolver(Builder* builder);
void RegisterSockaddrResolver(Builder* builder);
void RegisterHttpProxyMapper(Builder* builder);
void RegisterSecurityFilters(Builder* builder);
void RegisterBuiltins(Builder* builder);

void BuildCoreConfiguration(Builder* builder);
}  // namespace grpc_core

namespace grpc_event_engine::experimental {
void RegisterEventEngineChannelArgPreconditioning(grpc_core::Builder* builder);
}  // namespace grpc_event_engine::experimental

void grpc_core::BuildCoreConfiguration(Builder* builder) {
  grpc_event_engine::experimental::RegisterEventEngineChannelArgPreconditioning(builder);
  // Handshakers first, in gRPC's order: HTTP CONNECT (proxies), then TCP.
  RegisterHttpConnectHandshaker(builder);
  RegisterTCPConnectHandshaker(builder);
  RegisterPickFirstLbPolicy(builder);
  RegisterRoundRobinLbPolicy(builder);
  BuildClientChannelConfiguration(builder);
  SecurityRegisterHandshakerFactories(builder);
  RegisterClientAuthorityFilter(builder);
  RegisterChannelIdleFilters(builder);
  RegisterHttpFilters(builder);
  RegisterDeadlineFilter(builder);
  RegisterMessageSizeFilter(builder);
  RegisterServiceConfigChannelArgFilter(builder);
  RegisterResourceQuota(builder);
  RegisterAresDnsResolver(builder);
  RegisterNativeDnsResolver(builder);
  RegisterSockaddrResolver(builder);
  RegisterHttpProxyMapper(builder);
  // Last, as in gRPC, so the security filters keep their place in the stack.
  RegisterSecurityFilters(builder);
  RegisterBuiltins(builder);
}
