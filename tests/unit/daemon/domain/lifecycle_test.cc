// The device lifecycle rules alone: which state changes SetDeviceLifecycle
// accepts, and which devices Assign accepts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "daemon/domain/allocation.h"
#include "daemon/domain/inventory.h"
#include "daemon/domain/records.h"

namespace parc::domain {
namespace {

using ::testing::HasSubstr;

constexpr v1::Lifecycle kStates[] = {v1::LIFECYCLE_IN_STOCK, v1::LIFECYCLE_ASSIGNED,
                                     v1::LIFECYCLE_IN_REPAIR, v1::LIFECYCLE_LOST,
                                     v1::LIFECYCLE_RETIRED};

// kAllowed[from][to], in the order of kStates, written out by hand:
// `assigned` is entered and left only through Assign and Return, a retired
// device stays retired, and staying put is not a change.
constexpr bool kAllowed[5][5] = {
    //            stock  assigned repair  lost   retired
    /* stock   */ {false, false, true, true, true},
    /* assigned*/ {false, false, false, false, false},
    /* repair  */ {true, false, false, true, true},
    /* lost    */ {true, false, true, false, true},
    /* retired */ {false, false, false, false, false},
};

TEST(LifecycleTest, FollowsTheWholeTransitionTable) {
  for (int from = 0; from < 5; ++from) {
    for (int to = 0; to < 5; ++to) {
      SCOPED_TRACE(std::string(LifecycleName(kStates[from])) + " -> " +
                   std::string(LifecycleName(kStates[to])));
      auto status = CheckLifecycleChange(kStates[from], kStates[to]);
      EXPECT_EQ(status.has_value(), kAllowed[from][to])
          << (status ? "allowed" : status.error().message);
      if (!status) {
        EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
      }
    }
  }
}

TEST(LifecycleTest, RetiredDeviceStaysRetired) {
  for (v1::Lifecycle to : {v1::LIFECYCLE_IN_STOCK, v1::LIFECYCLE_IN_REPAIR, v1::LIFECYCLE_LOST}) {
    auto status = CheckLifecycleChange(v1::LIFECYCLE_RETIRED, to);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().message, "a retired device stays retired");
  }
}

TEST(LifecycleTest, AssignedDeviceMustBeReturnedFirst) {
  auto status = CheckLifecycleChange(v1::LIFECYCLE_ASSIGNED, v1::LIFECYCLE_LOST);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "device is assigned: return it first (return can send it to lost directly)");
}

TEST(LifecycleTest, AssignedIsReachedOnlyThroughAssign) {
  auto status = CheckLifecycleChange(v1::LIFECYCLE_IN_STOCK, v1::LIFECYCLE_ASSIGNED);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "a device becomes assigned only through assign");
}

TEST(LifecycleTest, StayingInTheSameStateIsNotAChange) {
  auto status = CheckLifecycleChange(v1::LIFECYCLE_LOST, v1::LIFECYCLE_LOST);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "device is already lost");
}

TEST(LifecycleTest, MissingOrUnknownTargetIsAnInvalidArgument) {
  for (auto to : {v1::LIFECYCLE_UNSPECIFIED, static_cast<v1::Lifecycle>(42)}) {
    auto status = CheckLifecycleChange(v1::LIFECYCLE_IN_STOCK, to);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(status.error().message, HasSubstr("lifecycle: required"));
  }
}

v1::Device DeviceIn(v1::Lifecycle lifecycle) {
  v1::Device d;
  d.set_serial("R52T0001AAA");
  d.set_asset_tag("RM-TAB-000001");
  d.set_lifecycle(lifecycle);
  return d;
}

TEST(AssignableTest, OnlyADeviceInStockCanBeAssigned) {
  EXPECT_TRUE(CheckAssignable(DeviceIn(v1::LIFECYCLE_IN_STOCK)));
  struct Case {
    v1::Lifecycle state;
    const char* message;
  };
  const Case refused[] = {
      {v1::LIFECYCLE_IN_REPAIR, "device RM-TAB-000001 is in_repair and cannot be assigned"},
      {v1::LIFECYCLE_LOST, "device RM-TAB-000001 is lost and cannot be assigned"},
      {v1::LIFECYCLE_RETIRED, "device RM-TAB-000001 is retired and cannot be assigned"},
      {v1::LIFECYCLE_ASSIGNED, "device RM-TAB-000001 is already assigned: return it first"},
  };
  for (const Case& c : refused) {
    SCOPED_TRACE(LifecycleName(c.state));
    auto status = CheckAssignable(DeviceIn(c.state));
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(status.error().message, c.message);
  }
}

TEST(AssignableTest, AlreadyAssignedNamesTheHolder) {
  v1::Device d = DeviceIn(v1::LIFECYCLE_ASSIGNED);
  d.set_holder_employee_number("E000101");
  auto status = CheckAssignable(d);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "device RM-TAB-000001 is already assigned to E000101: return it first");
}

TEST(AssignableTest, DeviceWithoutAssetTagIsNamedBySerial) {
  v1::Device d = DeviceIn(v1::LIFECYCLE_LOST);
  d.clear_asset_tag();
  auto status = CheckAssignable(d);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "device R52T0001AAA is lost and cannot be assigned");
}

}  // namespace
}  // namespace parc::domain
