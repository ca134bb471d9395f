// init's crash-loop policy: restarts are allowed until kMaxRestartsInWindow of them fall in
// one kRestartWindowMs; a requested restart always goes and clears the history.
#include "servers/init/restart_policy.h"

#include <gtest/gtest.h>

namespace init {
namespace {

TEST(RestartPolicy, AllowsRestartsUntilTheWindowIsFull) {
  RestartPolicy policy;
  for (uint32_t i = 0; i < kMaxRestartsInWindow; ++i) EXPECT_TRUE(policy.allow_restart(1000 + i));
  EXPECT_FALSE(policy.allow_restart(2000));
  EXPECT_FALSE(policy.allow_restart(1000 + kRestartWindowMs - 1));
  EXPECT_EQ(policy.restarts(), kMaxRestartsInWindow);
}

TEST(RestartPolicy, AllowsAgainOnceTheOldestRestartLeftTheWindow) {
  RestartPolicy policy;
  for (uint32_t i = 0; i < kMaxRestartsInWindow; ++i) {
    EXPECT_TRUE(policy.allow_restart(i * 1000));
  }
  EXPECT_FALSE(policy.allow_restart(kRestartWindowMs - 1));
  EXPECT_TRUE(policy.allow_restart(kRestartWindowMs));         // the restart at 0 is 30 s old
  EXPECT_FALSE(policy.allow_restart(kRestartWindowMs + 999));  // the one at 1000 is not
  EXPECT_TRUE(policy.allow_restart(kRestartWindowMs + 1000));
  EXPECT_EQ(policy.restarts(), kMaxRestartsInWindow + 2);
}

TEST(RestartPolicy, ASlowCrasherIsRestartedForEver) {
  RestartPolicy policy;
  uint64_t interval = kRestartWindowMs / kMaxRestartsInWindow + 1;
  for (uint64_t i = 0; i < 100; ++i) EXPECT_TRUE(policy.allow_restart(i * interval));
  EXPECT_EQ(policy.restarts(), 100u);
}

TEST(RestartPolicy, ARequestedRestartAlwaysGoesAndClearsTheHistory) {
  RestartPolicy policy;
  for (uint32_t i = 0; i < kMaxRestartsInWindow; ++i) EXPECT_TRUE(policy.allow_restart(i));
  EXPECT_FALSE(policy.allow_restart(10));
  policy.record_requested_restart();
  EXPECT_EQ(policy.restarts(), kMaxRestartsInWindow + 1);
  for (uint32_t i = 0; i < kMaxRestartsInWindow; ++i) EXPECT_TRUE(policy.allow_restart(20 + i));
  EXPECT_FALSE(policy.allow_restart(30));
}

}  // namespace
}  // namespace init
