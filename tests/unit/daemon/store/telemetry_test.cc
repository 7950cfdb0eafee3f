// Device telemetry: batched reports, latest status, usage sessions, retention.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

v1::Report StatusAt(uint64_t sequence, int battery, int64_t collected_ms = kNowMs - 1000) {
  v1::Report r;
  r.set_sequence(sequence);
  SetTime(r.mutable_collected_at(), collected_ms);
  v1::StatusReport* s = r.mutable_status();
  s->set_battery_percent(battery);
  s->set_charging(battery % 2 == 0);
  s->set_storage_total_bytes(64'000'000'000);
  s->set_storage_free_bytes(1'000'000 * battery);
  s->set_os_version("14");
  s->set_agent_version("0.3." + std::to_string(sequence));
  s->set_ip_address("10.0.0." + std::to_string(sequence % 250));
  return r;
}

v1::Report Usage(uint64_t sequence, const std::string& employee, bool login, int64_t collected_ms) {
  v1::Report r;
  r.set_sequence(sequence);
  SetTime(r.mutable_collected_at(), collected_ms);
  r.mutable_usage()->set_employee_number(employee);
  r.mutable_usage()->set_login(login);
  return r;
}

v1::CheckInRequest Request(std::initializer_list<v1::Report> reports, uint64_t dropped = 0) {
  v1::CheckInRequest request;
  for (const v1::Report& r : reports) *request.add_reports() = r;
  request.set_dropped_reports(dropped);
  return request;
}

class Telemetry {
 public:
  explicit Telemetry(Store& store) : store_(store) {}

  // Records one request for one device; fails the test on error.
  uint64_t Record(int64_t device_id, const v1::CheckInRequest& request, int64_t now_ms = kNowMs,
                  const std::string& holder = "") {
    auto highest = store_.RecordReports({{device_id, &request, holder}}, now_ms);
    EXPECT_TRUE(highest) << highest.error().message;
    if (!highest) return 0;
    EXPECT_EQ(highest->size(), 1u);
    return highest->empty() ? 0 : highest->front();
  }
  std::optional<v1::DeviceStatus> Status(int64_t device_id) {
    return Get<std::optional<v1::DeviceStatus>>(
        store_, [&](Reader& r) { return r.GetDeviceStatus(device_id); });
  }
  std::vector<v1::Report> Reports(int64_t device_id, int limit = 100) {
    return Get<std::vector<v1::Report>>(
        store_, [&](Reader& r) { return r.ListRecentReports(device_id, limit); });
  }
  std::vector<v1::UsageSession> Sessions(const UsageFilter& filter) {
    return Get<std::vector<v1::UsageSession>>(
        store_, [&](Reader& r) { return r.ListUsageSessions(filter); });
  }

 private:
  Store& store_;
};

TEST_P(StoreTest, RecordsReportsOnceWhenTheSameBatchArrivesTwice) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  const auto request = Request({StatusAt(1, 80), StatusAt(2, 79), StatusAt(3, 78)});
  EXPECT_EQ(t.Record(device, request), 3u);
  EXPECT_EQ(t.Record(device, request, kNowMs + 5000), 3u);

  const auto reports = t.Reports(device);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].sequence(), 3u);  // newest first
  EXPECT_EQ(reports[2].sequence(), 1u);
  EXPECT_EQ(reports[0].status().battery_percent(), 78);
  EXPECT_EQ(reports[0].status().agent_version(), "0.3.3");
  // The retry still counts as the device being seen.
  auto status = t.Status(device);
  ASSERT_TRUE(status);
  EXPECT_EQ(FromTimestamp(status->last_seen()), kNowMs + 5000);
  EXPECT_EQ(status->last_sequence(), 3u);
  EXPECT_EQ(status->battery_percent(), 78);
}

TEST_P(StoreTest, StatusIsNulloptForADeviceThatNeverReported) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  EXPECT_FALSE(t.Status(device));
  EXPECT_TRUE(t.Reports(device).empty());
  auto read =
      Get<std::optional<v1::Device>>(store(), [&](Reader& r) { return r.FindDeviceById(device); });
  ASSERT_TRUE(read);
  EXPECT_FALSE(read->has_last_seen());
  EXPECT_EQ(read->enrollment(), v1::ENROLLMENT_STATE_NOT_ENROLLED);
}

TEST_P(StoreTest, RecordsABatchOfManyDevicesAndReturnsEachDevicesHighestSequence) {
  const int64_t a = Add(MakeDevice("SN-A"));
  const int64_t b = Add(MakeDevice("SN-B"));
  const auto for_a = Request({StatusAt(7, 50), StatusAt(8, 49)});
  const auto for_b = Request({StatusAt(1, 90)});
  const auto empty = Request({});
  auto highest = store().RecordReports({{a, &for_a, ""}, {b, &for_b, ""}, {b, &empty, ""}}, kNowMs);
  ASSERT_TRUE(highest) << highest.error().message;
  EXPECT_EQ(*highest, (std::vector<uint64_t>{8, 1, 1}));
  Telemetry t(store());
  EXPECT_EQ(t.Status(a)->battery_percent(), 49);
  EXPECT_EQ(t.Status(b)->battery_percent(), 90);
}

TEST_P(StoreTest, BatchIsAllOrNothingWhenOneDeviceIsUnknown) {
  const int64_t a = Add(MakeDevice("SN-A"));
  const int64_t b = Add(MakeDevice("SN-B"));
  const auto request = Request({StatusAt(1, 50)}, 3);
  auto highest =
      store().RecordReports({{a, &request, ""}, {9999, &request, ""}, {b, &request, ""}}, kNowMs);
  ASSERT_FALSE(highest);
  EXPECT_NE(highest.error().message.find("device 9999"), std::string::npos)
      << highest.error().message;
  Telemetry t(store());
  EXPECT_FALSE(t.Status(a));  // the first entry was rolled back with the rest
  EXPECT_TRUE(t.Reports(a).empty());
  auto stored = QueryInt("SELECT COUNT(*) FROM device_reports");
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, 0);
  // The writer is usable afterwards, and the batch goes through without the stranger.
  EXPECT_EQ(t.Record(a, request), 1u);
  EXPECT_EQ(t.Status(a)->dropped_reports(), 3u);
}

TEST_P(StoreTest, RecordingReportsNeedsNoAuditEvent) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  t.Record(device, Request({StatusAt(1, 50)}));
  auto events =
      Get<std::vector<v1::AuditEvent>>(store(), [](Reader& r) { return r.ListAuditEvents({}); });
  EXPECT_EQ(events.size(), 1u);  // only the device's creation
}

TEST_P(StoreTest, LatestStatusFollowsTheHighestSequenceWhenReportsArriveOutOfOrder) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  EXPECT_EQ(t.Record(device, Request({StatusAt(5, 55), StatusAt(4, 44)})), 5u);
  EXPECT_EQ(t.Status(device)->battery_percent(), 55);
  // An older request retried late: stored, but the status stays at 5.
  EXPECT_EQ(t.Record(device, Request({StatusAt(2, 22), StatusAt(3, 33)}), kNowMs + 1000), 5u);
  auto status = t.Status(device);
  EXPECT_EQ(status->last_sequence(), 5u);
  EXPECT_EQ(status->battery_percent(), 55);
  EXPECT_EQ(FromTimestamp(status->last_seen()), kNowMs + 1000);
  EXPECT_EQ(t.Reports(device).size(), 4u);

  EXPECT_EQ(t.Record(device, Request({StatusAt(6, 66)})), 6u);
  status = t.Status(device);
  EXPECT_EQ(status->last_sequence(), 6u);
  EXPECT_EQ(status->battery_percent(), 66);
  EXPECT_TRUE(status->charging());
  EXPECT_EQ(status->storage_free_bytes(), 66'000'000);
  EXPECT_EQ(status->storage_total_bytes(), 64'000'000'000);
  EXPECT_EQ(status->os_version(), "14");
  EXPECT_EQ(status->agent_version(), "0.3.6");
  EXPECT_EQ(status->ip_address(), "10.0.0.6");
  EXPECT_EQ(FromTimestamp(status->collected_at()), kNowMs - 1000);
}

TEST_P(StoreTest, DroppedReportsAreNotCountedTwiceWhenARequestIsRetried) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  const auto request = Request({StatusAt(1, 50), StatusAt(2, 50)}, 7);
  t.Record(device, request);
  t.Record(device, request);  // the acknowledgement was lost
  EXPECT_EQ(t.Status(device)->dropped_reports(), 7u);
  t.Record(device, Request({StatusAt(3, 50)}, 2));
  EXPECT_EQ(t.Status(device)->dropped_reports(), 9u);
}

TEST_P(StoreTest, UsageLoginOpensASessionAndLogoutClosesIt) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  t.Record(device, Request({Usage(1, "E1", true, kNowMs - 3000)}));
  EXPECT_EQ(t.Status(device)->current_user(), "E1");
  // A second login closes the first session.
  t.Record(device, Request({Usage(2, "E2", true, kNowMs - 2000)}));
  EXPECT_EQ(t.Status(device)->current_user(), "E2");
  t.Record(device, Request({Usage(3, "E2", false, kNowMs - 1000)}));
  EXPECT_EQ(t.Status(device)->current_user(), "");

  auto sessions = t.Sessions({.device_id = device});
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].employee_number(), "E2");  // newest first
  EXPECT_EQ(sessions[0].device_serial(), "SN1");
  EXPECT_EQ(FromTimestamp(sessions[0].started_at()), kNowMs - 2000);
  EXPECT_EQ(FromTimestamp(sessions[0].ended_at()), kNowMs - 1000);
  EXPECT_EQ(sessions[1].employee_number(), "E1");
  EXPECT_EQ(FromTimestamp(sessions[1].ended_at()), kNowMs - 2000);
  EXPECT_FALSE(sessions[1].not_the_holder());

  // Retrying the requests changes nothing.
  t.Record(device, Request({Usage(2, "E2", true, kNowMs - 2000)}));
  EXPECT_EQ(t.Sessions({.device_id = device}).size(), 2u);
  EXPECT_EQ(t.Status(device)->current_user(), "");
}

TEST_P(StoreTest, ALateUsageEventOlderThanTheLatestSessionIsKeptAsHistoryOnly) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  t.Record(device,
           Request({Usage(2, "E1", true, kNowMs - 2000), Usage(3, "E1", false, kNowMs - 1000)}));
  // Sequence 1 (a request retried after the newer one went through).
  EXPECT_EQ(t.Record(device, Request({Usage(1, "E9", true, kNowMs - 3000)})), 3u);
  auto sessions = t.Sessions({.device_id = device});
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].employee_number(), "E1");
  EXPECT_TRUE(sessions[0].has_ended_at());
  EXPECT_EQ(t.Status(device)->current_user(), "");
  EXPECT_EQ(t.Reports(device).size(), 3u);
}

TEST_P(StoreTest, RefusesASequenceBeyondTheStoredRange) {
  const int64_t device = Add(MakeDevice("SN1"));
  const auto request = Request({StatusAt(UINT64_MAX, 50)});
  auto highest = store().RecordReports({{device, &request, ""}}, kNowMs);
  ASSERT_FALSE(highest);
  EXPECT_EQ(highest.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreTest, UsageByAnotherThanThePersonalHolderIsFlagged) {
  const int64_t tablet = Add(MakeDevice("SN1"));
  const int64_t pc = Add(MakeDevice("PC1"));
  Telemetry t(store());
  t.Record(tablet, Request({Usage(1, "E1", true, kNowMs - 3000)}), kNowMs, "E1");
  t.Record(tablet, Request({Usage(2, "E2", true, kNowMs - 2000)}), kNowMs, "E1");
  t.Record(pc, Request({Usage(1, "E2", true, kNowMs - 1000)}), kNowMs, "");

  auto by_e2 = t.Sessions({.employee_number = "E2"});
  ASSERT_EQ(by_e2.size(), 2u);
  EXPECT_EQ(by_e2[0].device_serial(), "PC1");
  EXPECT_FALSE(by_e2[0].not_the_holder());  // a shared PC has no holder
  EXPECT_FALSE(by_e2[0].has_ended_at());
  EXPECT_EQ(by_e2[1].device_serial(), "SN1");
  EXPECT_TRUE(by_e2[1].not_the_holder());
  EXPECT_FALSE(by_e2[1].has_ended_at());  // logging in elsewhere does not close it

  auto by_e1 = t.Sessions({.employee_number = "E1"});
  ASSERT_EQ(by_e1.size(), 1u);
  EXPECT_FALSE(by_e1[0].not_the_holder());
  EXPECT_TRUE(by_e1[0].has_ended_at());
  EXPECT_EQ(t.Sessions({.device_id = tablet, .employee_number = "E2"}).size(), 1u);
  EXPECT_EQ(t.Sessions({.device_id = tablet, .limit = 1}).size(), 1u);
}

TEST_P(StoreTest, StaleFilterListsEnrolledDevicesSilentSinceOrNeverSeen) {
  const int64_t fresh = Add(MakeDevice("SN-FRESH"));
  const int64_t silent = Add(MakeDevice("SN-SILENT"));
  const int64_t never = Add(MakeDevice("SN-NEVER"));
  const int64_t unenrolled = Add(MakeDevice("SN-STOCK"));
  int n = 0;
  for (int64_t id : {fresh, silent, never}) {
    ASSERT_TRUE(Audited([&](Writer& w) {
      return w.SetDeviceCredential(id, "hash-" + std::to_string(n++), kNowMs);
    }));
  }
  Telemetry t(store());
  t.Record(fresh, Request({StatusAt(1, 50)}), kNowMs);
  t.Record(silent, Request({StatusAt(1, 50)}), kNowMs - 3'600'000);
  t.Record(unenrolled, Request({}), kNowMs - 3'600'000);

  DeviceFilter filter;
  filter.stale_before_ms = kNowMs - 60'000;
  auto stale =
      Get<std::vector<v1::Device>>(store(), [&](Reader& r) { return r.ListDevices(filter); });
  ASSERT_EQ(stale.size(), 2u);
  EXPECT_EQ(stale[0].serial(), "SN-SILENT");
  EXPECT_EQ(FromTimestamp(stale[0].last_seen()), kNowMs - 3'600'000);
  EXPECT_EQ(stale[0].enrollment(), v1::ENROLLMENT_STATE_ENROLLED);
  EXPECT_EQ(stale[1].serial(), "SN-NEVER");
  EXPECT_FALSE(stale[1].has_last_seen());

  auto all = Get<std::vector<v1::Device>>(store(), [&](Reader& r) { return r.ListDevices({}); });
  EXPECT_EQ(all.size(), 4u);
  auto found =
      Get<std::optional<v1::Device>>(store(), [](Reader& r) { return r.FindDevice("SN-FRESH"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(FromTimestamp(found->last_seen()), kNowMs);
}

TEST_P(StoreTest, PruneDeletesOldReportsAndKeepsTheLatestStatus) {
  const int64_t device = Add(MakeDevice("SN1"));
  Telemetry t(store());
  t.Record(device, Request({StatusAt(1, 10), Usage(2, "E1", true, kNowMs - 5000)}),
           kNowMs - 10'000);
  t.Record(device, Request({StatusAt(3, 30)}), kNowMs);

  auto pruned = store().PruneReports(kNowMs - 1);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 2);
  const auto left = t.Reports(device);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].sequence(), 3u);
  auto status = t.Status(device);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->battery_percent(), 30);
  EXPECT_EQ(status->current_user(), "E1");
  EXPECT_EQ(t.Sessions({.device_id = device}).size(), 1u);
  // An old report retried after pruning does not roll the status back.
  t.Record(device, Request({StatusAt(1, 10)}), kNowMs + 1);
  EXPECT_EQ(t.Status(device)->battery_percent(), 30);
  auto again = store().PruneReports(kNowMs - 1);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

TEST_P(StoreTest, PruneWorksThroughManyChunks) {
  const int64_t device = Add(MakeDevice("SN1"));
  v1::CheckInRequest request;
  for (uint64_t seq = 1; seq <= 12'001; ++seq) *request.add_reports() = StatusAt(seq, 50);
  auto highest = store().RecordReports({{device, &request, ""}}, kNowMs - 1000);
  ASSERT_TRUE(highest) << highest.error().message;
  EXPECT_EQ(highest->front(), 12'001u);
  auto pruned = store().PruneReports(kNowMs);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 12'001);
}

// Not a timing assertion: prints the throughput of durable batches so that a
// change in the hot path shows up in the test log.
TEST_P(StoreTest, RecordReportsThroughput) {
  constexpr int kDevices = 100, kReportsPerDevice = 10, kBatches = 100;
  std::vector<int64_t> ids;
  ASSERT_TRUE(Audited([&](Writer& w) -> Status {
    for (int i = 0; i < kDevices; ++i) {
      PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertDevice(MakeDevice("SN" + std::to_string(i))));
      ids.push_back(id);
    }
    return Ok();
  }));
  std::vector<std::vector<v1::CheckInRequest>> requests(kBatches);
  for (int b = 0; b < kBatches; ++b) {
    for (int d = 0; d < kDevices; ++d) {
      v1::CheckInRequest& request = requests[b].emplace_back();
      for (int r = 0; r < kReportsPerDevice; ++r) {
        const uint64_t seq = static_cast<uint64_t>(b * kReportsPerDevice + r + 1);
        *request.add_reports() =
            r == 5 ? Usage(seq, "E" + std::to_string(d), b % 2 == 0, kNowMs) : StatusAt(seq, 50);
      }
    }
  }
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  for (int b = 0; b < kBatches; ++b) {
    std::vector<DeviceReports> batch;
    for (int d = 0; d < kDevices; ++d) batch.push_back({ids[d], &requests[b][d], ""});
    auto highest = store().RecordReports(batch, kNowMs + b);
    ASSERT_TRUE(highest) << highest.error().message;
    ASSERT_EQ(highest->front(), static_cast<uint64_t>((b + 1) * kReportsPerDevice));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const int total = kDevices * kReportsPerDevice * kBatches;
  std::printf(
      "[ bench    ] RecordReports: %d reports in %d batches of %d devices, %.3f s "
      "(%.3f s CPU), %.0f reports/s, %.1f ms per batch\n",
      total, kBatches, kDevices, seconds, cpu_seconds, total / seconds, 1000 * seconds / kBatches);
  auto stored = QueryInt("SELECT COUNT(*) FROM device_reports");
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, total);
}

}  // namespace
}  // namespace parc::store::testing
