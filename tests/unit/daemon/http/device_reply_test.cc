// The device routes' pieces without a server: which bytes a Range header asks
// for, the one gRPC -> HTTP status table, and the JSON bodies (protobuf's JSON
// mapping for messages, {"code","message"} for errors).
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "daemon/http/device_content.h"
#include "daemon/http/json_reply.h"
#include "daemon/http/status_map.h"
#include "parc/v1/device.pb.h"

namespace parc::http {
namespace {

namespace bh = boost::beast::http;

void ExpectRange(std::string_view header, int64_t size, int64_t first, int64_t last) {
  RangeAnswer answer = ResolveRange(header, size, 1000);
  ASSERT_TRUE(answer.satisfiable) << header;
  ASSERT_TRUE(answer.range) << header;
  EXPECT_EQ(answer.range->first, first) << header;
  EXPECT_EQ(answer.range->last, last) << header;
}

TEST(ResolveRangeTest, ReadsTheThreeFormsAndCutsAtTheEnd) {
  ExpectRange("bytes=0-99", 500, 0, 99);
  ExpectRange("bytes=100-", 500, 100, 499);
  ExpectRange("bytes=-50", 500, 450, 499);
  ExpectRange("bytes=-5000", 500, 0, 499);
  ExpectRange("bytes=400-9999", 500, 400, 499);
}

TEST(ResolveRangeTest, CutsALongRangeToTheLargestPiece) {
  ExpectRange("bytes=0-", 5000, 0, 999);
  ExpectRange("bytes=2000-4999", 5000, 2000, 2999);
}

TEST(ResolveRangeTest, PastTheEndIsUnsatisfiable) {
  EXPECT_FALSE(ResolveRange("bytes=500-", 500, 1000).satisfiable);
  EXPECT_FALSE(ResolveRange("bytes=600-700", 500, 1000).satisfiable);
  EXPECT_FALSE(ResolveRange("bytes=-0", 500, 1000).satisfiable);
  EXPECT_FALSE(ResolveRange("bytes=0-", 0, 1000).satisfiable);
}

TEST(ResolveRangeTest, IgnoresWhatItDoesNotRead) {
  for (std::string_view header :
       {"", "items=0-1", "bytes=0-1,5-9", "bytes=9-1", "bytes=a-b", "bytes=-", "bytes=5"}) {
    RangeAnswer answer = ResolveRange(header, 500, 1000);
    EXPECT_TRUE(answer.satisfiable) << header;
    EXPECT_FALSE(answer.range) << header;
  }
}

TEST(StatusMapTest, MapsEveryCodeTheDeviceRoutesAnswer) {
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::OK), bh::status::ok);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), bh::status::unauthorized);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), bh::status::forbidden);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INVALID_ARGUMENT), bh::status::bad_request);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), bh::status::bad_request);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::NOT_FOUND), bh::status::not_found);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ALREADY_EXISTS), bh::status::conflict);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), bh::status::too_many_requests);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAVAILABLE), bh::status::service_unavailable);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DEADLINE_EXCEEDED), bh::status::gateway_timeout);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DATA_LOSS), bh::status::internal_server_error);
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(GrpcCodeName(static_cast<grpc::StatusCode>(99)), "UNKNOWN");
}

TEST(JsonReplyTest, ErrorsAreCodeAndMessage) {
  Response resp = ErrorReply(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown \"x\"\n"));
  EXPECT_EQ(resp.result(), bh::status::unauthorized);
  EXPECT_EQ(resp.body(),
            "{\"code\":\"UNAUTHENTICATED\",\"message\":\"unknown \\\"x\\\"\\u000a\"}\n");
  EXPECT_EQ(resp[bh::field::www_authenticate], "Bearer");
  EXPECT_EQ(resp[bh::field::cache_control], "no-store");
  Response denied = ErrorReply(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no"));
  EXPECT_EQ(denied.result(), bh::status::forbidden);
  EXPECT_EQ(denied.find(bh::field::www_authenticate), denied.end());
}

// What the learner app reads: camelCase names, 64-bit integers as strings,
// enums by name, zeros printed; and what it sends parses back the same.
TEST(JsonReplyTest, MessagesUseProtobufsJsonMapping) {
  v1::CheckInResponse answer;
  answer.set_next_interval_seconds(300);
  answer.set_acknowledged_through(7);
  answer.mutable_server_time()->set_seconds(1'780'000'000);
  Response resp = MessageReply(answer);
  EXPECT_EQ(resp.result(), bh::status::ok);
  for (const char* field :
       {"\"nextIntervalSeconds\":300", "\"serverTime\":\"2026-05-28T20:26:40Z\"",
        "\"contentRevision\":\"0\"", "\"acknowledgedThrough\":\"7\""}) {
    EXPECT_NE(resp.body().find(field), std::string::npos) << field << " in " << resp.body();
  }

  v1::CheckInRequest request;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  R"({"reports":[{"sequence":"3","status":{"battery_percent":40,)"
                  R"("networkInterface":"4g","agentVersion":"apprendre 1.0; Firefox 128"}}]})",
                  &request)
                  .ok());
  EXPECT_EQ(request.reports(0).sequence(), 3u);
  EXPECT_EQ(request.reports(0).status().battery_percent(), 40);
  EXPECT_EQ(request.reports(0).status().network_interface(), "4g");
  EXPECT_EQ(request.reports(0).status().agent_version(), "apprendre 1.0; Firefox 128");

  v1::ProgressEvent event;
  event.set_kind(v1::PROGRESS_KIND_ITEM_COMPLETED);
  EXPECT_NE(MessageReply(event).body().find("\"kind\":\"PROGRESS_KIND_ITEM_COMPLETED\""),
            std::string::npos);
}

}  // namespace
}  // namespace parc::http
