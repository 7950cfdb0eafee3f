// Content sync and progress against a fake transport and a real state
// directory: resume from a partial file, corrupt downloads and cache files
// fetched again, unassigned content removed, the download and bandwidth
// limits, the progress queue across a restart, and the background threads.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "agent_client/content/background.h"
#include "agent_client/content/content_store.h"
#include "agent_client/content/content_sync.h"
#include "agent_client/content/rate_limiter.h"
#include "agent_client/content/sha256_file.h"
#include "agent_client/durable_file.h"
#include "agent_client/progress/progress_queue.h"
#include "common/crypto.h"
#include "common/time.h"
#include "fake_content.h"
#include "tests/support/temp_dir.h"

namespace parc::agent {
namespace {

using parc::testing::TempDir;
using std::chrono::microseconds;
using testing::FakeContentTransport;

// Deterministic bytes that differ from one seed to the next.
std::string Blob(size_t size, unsigned seed) {
  std::string data(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : data) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return data;
}

int64_t FileSize(const std::filesystem::path& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

class ContentSyncTest : public ::testing::Test {
 protected:
  ContentSyncTest() : store_(dir_.path() / "content") { EXPECT_TRUE(store_.Create()); }

  SyncResult Cycle() {
    ContentSync sync(store_, transport_, clock_, options_);
    auto result = sync.RunCycle();
    EXPECT_TRUE(result) << result.error().message;
    return result.value_or(SyncResult{});
  }

  bool CachedIntact(const std::string& sha) {
    return Sha256OfFile(store_.CachePath(sha)).value_or("") == sha;
  }

  TempDir dir_;
  ContentStore store_;
  FakeContentTransport transport_;
  ManualClock clock_{1'780'000'000'000};
  SyncOptions options_;
};

TEST_F(ContentSyncTest, DownloadsWhatIsMissingAndSavesTheListAndRevision) {
  std::string a = transport_.AddItem("BUR-1", 1, Blob(100'000, 1));
  std::string b = transport_.AddItem("BUR-1", 2, Blob(5'000, 2));
  std::string c = transport_.AddItem("MAIL-2", 1, Blob(70'000, 3));
  SyncResult result = Cycle();
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(result.items, 3);
  EXPECT_EQ(result.downloaded, 3);
  EXPECT_EQ(result.failed, 0);
  for (const auto& sha : {a, b, c}) EXPECT_TRUE(CachedIntact(sha)) << sha;
  EXPECT_EQ(store_.LoadSyncState().revision, transport_.revision());
  auto saved = store_.LoadModules();
  ASSERT_TRUE(saved && *saved);
  EXPECT_EQ((*saved)->modules_size(), 2);
  EXPECT_TRUE(std::filesystem::is_empty(store_.partial_dir()));

  // Nothing new: nothing fetched again.
  size_t fetches = transport_.fetches().size();
  options_.verify_every = std::chrono::hours(24);
  ContentSync sync(store_, transport_, clock_, options_);
  EXPECT_FALSE(sync.Due(transport_.revision()));
  EXPECT_TRUE(sync.Due(transport_.revision() + 1));
  EXPECT_TRUE(Cycle().complete);
  EXPECT_EQ(transport_.fetches().size(), fetches);
}

TEST_F(ContentSyncTest, ResumesFromThePartialFileSizeInsteadOfStartingOver) {
  std::string data = Blob(300'000, 4);
  std::string sha = transport_.AddItem("VID-1", 1, data);
  // A previous run got this far before the agent or the server died.
  ASSERT_TRUE(WriteFileDurably(store_.PartialPath(sha), data.substr(0, 123'457)));
  SyncResult result = Cycle();
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(result.resumed, 1);
  auto fetches = transport_.fetches();
  ASSERT_EQ(fetches.size(), 1u);
  EXPECT_EQ(fetches[0].second, 123'457);  // did not start over
  EXPECT_EQ(transport_.bytes_sent(), 300'000 - 123'457);
  EXPECT_TRUE(CachedIntact(sha));
}

TEST_F(ContentSyncTest, AStreamBrokenMidwayResumesOnTheNextCycle) {
  std::string sha = transport_.AddItem("VID-1", 1, Blob(200'000, 5));
  transport_.break_after = 50'000;  // the server dies after ~50 KB
  SyncResult first = Cycle();
  EXPECT_FALSE(first.complete);
  EXPECT_EQ(first.failed, 1);
  EXPECT_NE(store_.LoadSyncState().revision, transport_.revision());  // so the next cycle runs
  int64_t partial = FileSize(store_.PartialPath(sha));
  EXPECT_GE(partial, 50'000);
  EXPECT_LT(partial, 200'000);
  EXPECT_FALSE(std::filesystem::exists(store_.CachePath(sha)));

  SyncResult second = Cycle();
  EXPECT_TRUE(second.complete);
  auto fetches = transport_.fetches();
  ASSERT_EQ(fetches.size(), 2u);
  EXPECT_EQ(fetches[0].second, 0);
  EXPECT_EQ(fetches[1].second, partial);
  EXPECT_EQ(transport_.bytes_sent(), 200'000);  // every byte sent once
  EXPECT_TRUE(CachedIntact(sha));
}

TEST_F(ContentSyncTest, ACorruptDownloadIsDiscardedAndFetchedAgain) {
  std::string sha = transport_.AddItem("BUR-1", 1, Blob(40'000, 6));
  transport_.corrupt_streams = 1;
  SyncResult result = Cycle();
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(result.corrupt, 1);
  EXPECT_EQ(result.downloaded, 1);
  auto fetches = transport_.fetches();
  ASSERT_EQ(fetches.size(), 2u);
  EXPECT_EQ(fetches[1].second, 0);  // the corrupt partial was not resumed from
  EXPECT_TRUE(CachedIntact(sha));
}

TEST_F(ContentSyncTest, AlwaysCorruptGivesUpAfterTheAttemptsAndTriesAgainNextCycle) {
  std::string sha = transport_.AddItem("BUR-1", 1, Blob(10'000, 7));
  transport_.corrupt_streams = 1000;
  options_.attempts = 3;
  SyncResult result = Cycle();
  EXPECT_FALSE(result.complete);
  EXPECT_EQ(result.corrupt, 3);
  EXPECT_EQ(transport_.fetches().size(), 3u);
  EXPECT_FALSE(std::filesystem::exists(store_.CachePath(sha)));
  EXPECT_FALSE(std::filesystem::exists(store_.PartialPath(sha)));
  ContentSync sync(store_, transport_, clock_, options_);
  EXPECT_TRUE(sync.Due(transport_.revision()));
  transport_.corrupt_streams = 0;
  EXPECT_TRUE(Cycle().complete);
  EXPECT_TRUE(CachedIntact(sha));
}

TEST_F(ContentSyncTest, AFlippedByteInTheCacheIsDetectedAndFetchedAgain) {
  std::string sha = transport_.AddItem("BUR-1", 1, Blob(64'000, 8));
  ASSERT_TRUE(Cycle().complete);
  {
    std::fstream file(store_.CachePath(sha), std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(1000);
    char c = 0;
    file.read(&c, 1);
    c = static_cast<char>(c ^ 0x20);
    file.seekp(1000);
    file.write(&c, 1);
  }
  ASSERT_FALSE(CachedIntact(sha));
  // Due once the cache is due for hashing, though the revision did not change.
  options_.verify_every = std::chrono::hours(1);
  ContentSync sync(store_, transport_, clock_, options_);
  EXPECT_FALSE(sync.Due(transport_.revision()));
  clock_.Advance(3'600'000);
  EXPECT_TRUE(sync.Due(transport_.revision()));
  SyncResult result = Cycle();
  EXPECT_TRUE(result.verified);
  EXPECT_EQ(result.corrupt, 1);
  EXPECT_EQ(result.downloaded, 1);
  EXPECT_TRUE(CachedIntact(sha));
  EXPECT_EQ(store_.LoadSyncState().verified_at_ms, clock_.NowMs());
}

TEST_F(ContentSyncTest, ContentNoLongerAssignedAndStalePartialsAreRemoved) {
  std::string a = transport_.AddItem("OLD-1", 1, Blob(10'000, 9));
  std::string b = transport_.AddItem("KEEP-1", 1, Blob(10'000, 10));
  ASSERT_TRUE(Cycle().complete);
  transport_.RemoveModule("OLD-1");
  std::string stranger = Sha256Hex("not assigned anywhere");
  ASSERT_TRUE(WriteFileDurably(store_.PartialPath(stranger), "half"));
  ASSERT_TRUE(WriteFileDurably(store_.partial_dir() / "junk", "x"));
  SyncResult result = Cycle();
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(result.removed, 3);
  EXPECT_FALSE(std::filesystem::exists(store_.CachePath(a)));
  EXPECT_TRUE(CachedIntact(b));
  EXPECT_TRUE(std::filesystem::is_empty(store_.partial_dir()));
  EXPECT_TRUE(std::filesystem::exists(store_.dir() / "modules.pb"));
}

TEST_F(ContentSyncTest, AtMostMaxDownloadsRunAtOnce) {
  for (int i = 1; i <= 6; ++i) transport_.AddItem("M" + std::to_string(i), 1, Blob(40'000, 20 + i));
  transport_.chunk_delay = std::chrono::milliseconds(3);  // the fetches overlap
  options_.max_downloads = 2;
  SyncResult result = Cycle();
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(result.downloaded, 6);
  EXPECT_EQ(transport_.max_concurrent(), 2);
}

TEST_F(ContentSyncTest, OneDownloadAtATimeWhenAskedSo) {
  for (int i = 1; i <= 3; ++i) transport_.AddItem("M" + std::to_string(i), 1, Blob(20'000, 30 + i));
  transport_.chunk_delay = std::chrono::milliseconds(2);
  options_.max_downloads = 1;
  EXPECT_TRUE(Cycle().complete);
  EXPECT_EQ(transport_.max_concurrent(), 1);
}

TEST_F(ContentSyncTest, AFetchMayLastAsLongAsItsShareOfTheBandwidthCapNeeds) {
  std::string data = Blob(3'000'000, 50);
  std::string sha = transport_.AddItem("VID-1", 1, data);
  ASSERT_TRUE(WriteFileDurably(store_.PartialPath(sha), data.substr(0, 1'000'000)));
  options_.bytes_per_second = 1'000'000'000;  // no real wait in this test
  options_.max_downloads = 2;
  ASSERT_TRUE(Cycle().complete);
  // A fast cap: the remaining 2 MB at a poor link's 32 KiB/s, plus 30 s.
  ASSERT_EQ(transport_.timeouts().size(), 1u);
  EXPECT_EQ(transport_.timeouts()[0].count(), 30 + 2'000'000 / 32'768);
  // A slow cap shared by two downloads: 10 kB/s each.
  ContentSync slow(store_, transport_, clock_, {2, 20'000, 3, std::chrono::hours(24)});
  std::filesystem::remove(store_.CachePath(sha));
  ASSERT_TRUE(WriteFileDurably(store_.PartialPath(sha), data.substr(0, 2'990'000)));
  ASSERT_TRUE(slow.RunCycle());
  ASSERT_EQ(transport_.timeouts().size(), 2u);
  EXPECT_EQ(transport_.timeouts()[1].count(), 30 + 10'000 / 10'000);
}

TEST_F(ContentSyncTest, OfflineCycleFailsAndKeepsTheSavedList) {
  transport_.AddItem("BUR-1", 1, Blob(1'000, 11));
  ASSERT_TRUE(Cycle().complete);
  transport_.AddItem("BUR-1", 2, Blob(1'000, 12));
  transport_.offline = true;
  ContentSync sync(store_, transport_, clock_, options_);
  auto result = sync.RunCycle();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  auto saved = store_.LoadModules();
  ASSERT_TRUE(saved && *saved);
  EXPECT_EQ((*saved)->modules(0).items_size(), 1);
}

TEST_F(ContentSyncTest, ANameThatIsNotAHashIsNeverWritten) {
  v1::ContentItem item;
  item.set_sha256("../../etc/passwd");
  item.set_size(4);
  EXPECT_FALSE(store_.IsCached(item));
  EXPECT_FALSE(IsSha256Hex("../../etc/passwd"));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
  EXPECT_TRUE(IsSha256Hex(Sha256Hex("x")));
  EXPECT_EQ(SafeFileName("../../x/cours.pdf"), "cours.pdf");
  EXPECT_EQ(SafeFileName(".."), "");
}

// The bandwidth cap, on a clock the test moves: a reader that waits what
// Take() says gets the rate over a window, plus at most one second's burst.
TEST(RateLimiterTest, BytesPerWindowStayNearTheRate) {
  microseconds now{1'000'000'000};
  RateLimiter limiter(100'000, [&] { return now; });
  const int64_t chunk = 16'384;
  int64_t bytes = 0;
  const microseconds start = now;
  while (now - start < std::chrono::seconds(10)) {
    microseconds wait = limiter.Take(chunk);
    bytes += chunk;
    now += wait + microseconds(200);  // the wait, and a little work per chunk
  }
  // 10 s at 100 kB/s, one second of initial burst credit, one chunk of slack.
  EXPECT_GE(bytes, 1'000'000 - chunk);
  EXPECT_LE(bytes, 1'100'000 + chunk);
}

TEST(RateLimiterTest, IdleCreditIsCappedAtOneSecond) {
  microseconds now{5'000'000};
  RateLimiter limiter(50'000, [&] { return now; });
  EXPECT_EQ(limiter.Take(50'000).count(), 0);  // the first second's worth is free
  now += std::chrono::seconds(100);            // idle for long
  int64_t free_bytes = 0;
  while (limiter.Take(1'000).count() == 0) free_bytes += 1'000;
  EXPECT_LE(free_bytes, 50'000);
  EXPECT_GE(free_bytes, 49'000);
  // Past the burst, each chunk costs its time at the rate.
  EXPECT_NEAR(static_cast<double>(limiter.Take(50'000).count()), 1'000'000 + 20'000, 20'000);
}

TEST(ProgressQueueTest, EventIdsAreRandomUuids) {
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    auto id = NewEventId();
    ASSERT_TRUE(id);
    EXPECT_TRUE(std::regex_match(*id, uuid)) << *id;
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

v1::ProgressEvent Opened(const std::string& module, int64_t at_ms) {
  v1::ProgressEvent event;
  event.set_employee_number("E042");
  event.set_module_code(module);
  event.set_module_version(1);
  event.set_kind(v1::PROGRESS_KIND_OPENED);
  ToTimestamp(at_ms, event.mutable_at());
  return event;
}

TEST(ProgressQueueTest, SurvivesARestartAndIsSentOnce) {
  TempDir dir;
  FakeContentTransport transport;
  {
    auto queue = ProgressQueue::Open(dir.path() / "progress").value();
    ASSERT_TRUE(queue->Append(Opened("B", 2'000)));
    ASSERT_TRUE(queue->Append(Opened("A", 1'000)));
    ASSERT_TRUE(queue->Append(Opened("C", 3'000)));
    transport.offline = true;
    EXPECT_FALSE(SendProgress(*queue, transport));  // offline: kept
    EXPECT_EQ(queue->Length().value(), 3u);
  }
  transport.offline = false;
  auto queue = ProgressQueue::Open(dir.path() / "progress").value();  // the agent restarted
  auto sent = SendProgress(*queue, transport);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->events, 3);
  EXPECT_EQ(sent->accepted, 3);
  EXPECT_EQ(queue->Length().value(), 0u);
  auto received = transport.progress();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].module_code(), "A");  // oldest first
  EXPECT_EQ(received[2].module_code(), "C");
  ASSERT_TRUE(SendProgress(*queue, transport));
  EXPECT_EQ(transport.progress().size(), 3u);  // nothing sent twice
}

TEST(ProgressQueueTest, ALostReplyResendsTheSameIdsAndKeepsThemUntilAcknowledged) {
  TempDir dir;
  FakeContentTransport transport;
  auto queue = ProgressQueue::Open(dir.path() / "progress").value();
  for (int i = 0; i < 220; ++i) ASSERT_TRUE(queue->Append(Opened("M", 1'000 + i)));
  transport.replies_lost = 1;  // the first batch is stored but its reply lost
  EXPECT_FALSE(SendProgress(*queue, transport, 100));
  EXPECT_EQ(queue->Length().value(), 220u);
  auto sent = SendProgress(*queue, transport, 100);  // batches of 100 (500 in the agent)
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->events, 220);
  EXPECT_EQ(sent->duplicates, 100);
  EXPECT_EQ(sent->accepted, 120);
  EXPECT_EQ(transport.progress_ids().size(), 220u);
  EXPECT_EQ(transport.progress_calls(), 1 + 3);
  EXPECT_EQ(queue->Length().value(), 0u);
}

TEST(ProgressQueueTest, ACorruptFileIsDroppedNotBlocking) {
  TempDir dir;
  auto queue = ProgressQueue::Open(dir.path() / "progress").value();
  ASSERT_TRUE(queue->Append(Opened("A", 1'000)));
  dir.Write("progress/00000000000000000001-00000000-0000-4000-8000-000000000000.pb", "garbage");
  auto events = queue->Peek(10);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
  EXPECT_EQ(queue->Length().value(), 1u);
  EXPECT_FALSE(queue->Append(v1::ProgressEvent()));  // no time: refused
}

// The two threads behind the check-in loop: a check-in reply with a new
// revision fills the cache, and the progress queue goes out.
TEST(BackgroundTest, ACheckInStartsTheSyncAndSendsProgress) {
  TempDir dir;
  FakeContentTransport transport;
  std::string sha = transport.AddItem("BUR-1", 1, Blob(50'000, 40));
  ContentStore store(dir.path() / "content");
  ASSERT_TRUE(store.Create());
  ManualClock clock(1'780'000'000'000);
  ContentSync sync(store, transport, clock, SyncOptions{});
  auto queue = ProgressQueue::Open(dir.path() / "progress").value();
  ASSERT_TRUE(queue->Append(Opened("BUR-1", 1'000)));
  Background background(sync, *queue, transport);
  background.Start();
  background.OnCheckIn(transport.revision());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((store.LoadSyncState().revision != transport.revision() ||
          queue->Length().value_or(1) != 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  background.Stop();
  EXPECT_EQ(store.LoadSyncState().revision, transport.revision());
  EXPECT_EQ(Sha256OfFile(store.CachePath(sha)).value_or(""), sha);
  EXPECT_EQ(transport.progress().size(), 1u);
}

TEST(BackgroundTest, StoppingMidDownloadReturnsSoonAndKeepsThePartialFile) {
  TempDir dir;
  FakeContentTransport transport;
  std::string sha = transport.AddItem("VID-1", 1, Blob(4'000'000, 41));
  transport.chunk_delay = std::chrono::milliseconds(5);  // 4 KB per 5 ms: 5 s in all
  ContentStore store(dir.path() / "content");
  ASSERT_TRUE(store.Create());
  ManualClock clock(1'780'000'000'000);
  ContentSync sync(store, transport, clock, SyncOptions{});
  auto queue = ProgressQueue::Open(dir.path() / "progress").value();
  Background background(sync, *queue, transport);
  background.Start();
  background.OnCheckIn(transport.revision());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (FileSize(store.PartialPath(sha)) < 40'000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  auto stop_started = std::chrono::steady_clock::now();
  background.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(2));
  int64_t partial = FileSize(store.PartialPath(sha));
  EXPECT_GE(partial, 40'000);
  EXPECT_LT(partial, 4'000'000);
  EXPECT_NE(store.LoadSyncState().revision, transport.revision());  // to be resumed next start
}

}  // namespace
}  // namespace parc::agent
