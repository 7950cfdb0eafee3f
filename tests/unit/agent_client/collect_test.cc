// The Linux collector against a fake /sys, /proc, /etc and utmp built in a
// temporary directory.
#include <gtest/gtest.h>
#include <utmp.h>

#include <cstring>
#include <fstream>

#include "agent_client/collect/linux/linux_collector.h"
#include "agent_client/collect/linux/proc_files.h"
#include "tests/support/temp_dir.h"

namespace parc::agent {
namespace {

using parc::testing::TempDir;

struct utmp UtmpRecord(short type, const char* user) {
  struct utmp record;
  std::memset(&record, 0, sizeof record);
  record.ut_type = type;
  std::strncpy(record.ut_user, user, sizeof record.ut_user);
  std::strncpy(record.ut_line, "tty1", sizeof record.ut_line);
  return record;
}

void WriteUtmp(const std::filesystem::path& path, const std::vector<struct utmp>& records) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  for (const auto& record : records) {
    out.write(reinterpret_cast<const char*>(&record), sizeof record);
  }
}

class CollectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_.Write("sys/class/power_supply/AC/type", "Mains\n");
    tree_.Write("sys/class/power_supply/AC/online", "1\n");
    tree_.Write("sys/class/power_supply/BAT0/type", "Battery\n");
    tree_.Write("sys/class/power_supply/BAT0/capacity", "57\n");
    tree_.Write("sys/class/power_supply/BAT0/status", "Charging\n");
    tree_.Write("proc/meminfo",
                "MemTotal:        3951400 kB\nMemFree:          123456 kB\n"
                "MemAvailable:    2000000 kB\n");
    tree_.Write("etc/os-release",
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                "VERSION_ID=\"12\"\nVERSION='12 (bookworm)'\nID=debian\n# a comment\n");
    tree_.Write("proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    tree_.Write("proc/uptime", "12345.67 45678.90\n");
    tree_.Write("proc/net/route",
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
                "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\n"
                "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\n"
                "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\n");
    WriteUtmp(tree_.path() / "var/run/utmp",
              {UtmpRecord(BOOT_TIME, "reboot"), UtmpRecord(USER_PROCESS, "alice"),
               UtmpRecord(LOGIN_PROCESS, "LOGIN"), UtmpRecord(USER_PROCESS, "bob"),
               UtmpRecord(USER_PROCESS, "alice"), UtmpRecord(DEAD_PROCESS, "carol")});
  }

  v1::StatusReport Collect() {
    LinuxCollector collector({tree_.path(), tree_.path(), "1.2.3"});
    return collector.Collect();
  }

  TempDir tree_;
};

TEST_F(CollectTest, ReadsBatteryLevelAndCharging) {
  auto report = Collect();
  EXPECT_EQ(report.battery_percent(), 57);
  EXPECT_TRUE(report.charging());
}

TEST_F(CollectTest, ReadsMemoryInBytes) {
  auto report = Collect();
  EXPECT_EQ(report.memory_total_bytes(), 3951400LL * 1024);
  EXPECT_EQ(report.memory_available_bytes(), 2000000LL * 1024);
}

TEST_F(CollectTest, ReadsOsReleaseWithQuotesKernelAndUptime) {
  auto report = Collect();
  EXPECT_EQ(report.os_name(), "Debian GNU/Linux");
  EXPECT_EQ(report.os_version(), "12 (bookworm)");
  EXPECT_EQ(report.kernel(), "6.1.0-18-amd64");
  EXPECT_EQ(report.uptime_seconds(), 12345);
  EXPECT_EQ(report.agent_version(), "1.2.3");
}

TEST_F(CollectTest, PicksDefaultRouteWithLowestMetric) {
  EXPECT_EQ(Collect().network_interface(), "eth0");
}

TEST_F(CollectTest, ListsLoggedInUsersOnceFromUtmp) {
  auto report = Collect();
  ASSERT_EQ(report.logged_in_users_size(), 2);
  EXPECT_EQ(report.logged_in_users(0), "alice");
  EXPECT_EQ(report.logged_in_users(1), "bob");
}

TEST_F(CollectTest, MeasuresStorageWithStatvfs) {
  auto report = Collect();
  EXPECT_GT(report.storage_total_bytes(), 0);
  EXPECT_GE(report.storage_free_bytes(), 0);
  EXPECT_LE(report.storage_free_bytes(), report.storage_total_bytes());
}

TEST_F(CollectTest, EmptyTreeGivesUnknownsNotErrors) {
  TempDir empty;
  LinuxCollector collector({empty.path(), empty.path() / "missing", "1"});
  auto report = collector.Collect();
  EXPECT_EQ(report.battery_percent(), -1);
  EXPECT_EQ(report.memory_total_bytes(), -1);
  EXPECT_EQ(report.storage_total_bytes(), -1);
  EXPECT_EQ(report.uptime_seconds(), -1);
  EXPECT_EQ(report.os_name(), "");
  EXPECT_EQ(report.logged_in_users_size(), 0);
}

TEST_F(CollectTest, DischargingBatteryIsNotCharging) {
  tree_.Write("sys/class/power_supply/BAT0/status", "Discharging\n");
  tree_.Write("sys/class/power_supply/BAT0/capacity", "8\n");
  auto report = Collect();
  EXPECT_EQ(report.battery_percent(), 8);
  EXPECT_FALSE(report.charging());
}

TEST_F(CollectTest, IdentityFallsBackToMachineIdAndReadsModelAndOs) {
  tree_.Write("etc/machine-id", "0123456789abcdef\n");
  tree_.Write("sys/class/dmi/id/product_name", "ThinkPad T14\n");
  tree_.Write("proc/sys/kernel/hostname", "pc-mairie-12\n");
  DeviceIdentity identity = ReadIdentity(tree_.path());
  EXPECT_EQ(identity.serial, "0123456789abcdef");
  EXPECT_EQ(identity.model, "ThinkPad T14");
  EXPECT_EQ(identity.os, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(identity.hostname, "pc-mairie-12");
  tree_.Write("sys/class/dmi/id/product_serial", "PF3ABCDE\n");
  EXPECT_EQ(ReadIdentity(tree_.path()).serial, "PF3ABCDE");
}

TEST(OsReleaseTest, UnquotesAndUnescapes) {
  auto values = linux_files::ParseOsRelease("NAME=\"A \\\"quoted\\\" OS\"\nID=plain\n");
  EXPECT_EQ(values["NAME"], "A \"quoted\" OS");
  EXPECT_EQ(values["ID"], "plain");
}

}  // namespace
}  // namespace parc::agent
