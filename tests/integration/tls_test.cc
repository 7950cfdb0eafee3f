#include <gtest/gtest.h>

#include "parc/v1/admin.grpc.pb.h"
#include "tests/support/test_server.h"

namespace parc::testing {
namespace {

TEST(TlsTest, ServesOverTlsWithTheConfiguredCertificate) {
  TestServer server(TestServer::Options{.tls = true});
  ASSERT_FALSE(server.ca_pem().empty());
  auto stub = v1::AdminService::NewStub(server.Channel());
  v1::Operator me;
  grpc::Status status = stub->WhoAmI(TestServer::Context(server.admin_token()).get(), {}, &me);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(me.name(), "admin");
}

TEST(TlsTest, RefusesPlaintextClients) {
  TestServer server(TestServer::Options{.tls = true});
  auto plain = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::AdminService::NewStub(plain);
  v1::Operator me;
  auto ctx = TestServer::Context(server.admin_token());
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  EXPECT_FALSE(stub->WhoAmI(ctx.get(), {}, &me).ok());
}

}  // namespace
}  // namespace parc::testing
