// FrameQuota: charges stop at the limit, releases never go below zero, and a
// lowered limit holds new charges back until enough is freed.
#include "lib/mm/frame_quota.h"

#include <gtest/gtest.h>

namespace {

using bm::FrameQuota;

TEST(FrameQuota, StartsUnlimitedAndEmpty) {
  FrameQuota quota;
  EXPECT_EQ(quota.limit(), FrameQuota::kUnlimited);
  EXPECT_EQ(quota.used(), 0u);
  EXPECT_TRUE(quota.charge(1u << 30));
}

TEST(FrameQuota, ChargesUpToTheLimitExactly) {
  FrameQuota quota(10);
  EXPECT_TRUE(quota.charge(4));
  EXPECT_TRUE(quota.charge(6));
  EXPECT_EQ(quota.available(), 0u);
  EXPECT_FALSE(quota.charge(1));
  EXPECT_EQ(quota.used(), 10u);
}

TEST(FrameQuota, RefusedChargeRecordsNothing) {
  FrameQuota quota(10);
  ASSERT_TRUE(quota.charge(7));
  EXPECT_FALSE(quota.charge(4));
  EXPECT_EQ(quota.used(), 7u);
  EXPECT_TRUE(quota.charge(3));
}

TEST(FrameQuota, HugeChargeDoesNotWrap) {
  FrameQuota quota(10);
  ASSERT_TRUE(quota.charge(5));
  EXPECT_FALSE(quota.charge(~0ull));
  EXPECT_FALSE(quota.charge(~0ull - 4));
  EXPECT_EQ(quota.used(), 5u);
}

TEST(FrameQuota, ReleaseGivesRoomBackAndNeverUnderflows) {
  FrameQuota quota(4);
  ASSERT_TRUE(quota.charge(4));
  quota.release(3);
  EXPECT_EQ(quota.used(), 1u);
  EXPECT_TRUE(quota.charge(3));
  quota.release(100);
  EXPECT_EQ(quota.used(), 0u);
}

TEST(FrameQuota, LoweredLimitBlocksUntilEnoughIsFreed) {
  FrameQuota quota(100);
  ASSERT_TRUE(quota.charge(50));
  quota.set_limit(20);
  EXPECT_EQ(quota.available(), 0u);
  EXPECT_FALSE(quota.charge(1));
  quota.release(35);
  EXPECT_EQ(quota.available(), 5u);
  EXPECT_TRUE(quota.charge(5));
  EXPECT_FALSE(quota.charge(1));
}

TEST(FrameQuota, ZeroLimitRefusesEverythingButZero) {
  FrameQuota quota(0);
  EXPECT_TRUE(quota.charge(0));
  EXPECT_FALSE(quota.charge(1));
}

}  // namespace
