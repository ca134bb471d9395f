// init's start-up rule (servers/init/startup.h): over once every server but the one asking
// has registered a name or is not running.
#include "servers/init/startup.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

using init::ServerState;
using init::startup_complete;

ServerState running(bool registered) {
  ServerState server;
  server.running = true;
  server.registered_a_name = registered;
  return server;
}

TEST(InitStartup, OverWhenEveryRunningServerRegisteredAName) {
  ServerState servers[] = {running(true), running(true), running(true)};
  EXPECT_TRUE(startup_complete(servers, 3, &servers[2]));
  servers[1].registered_a_name = false;
  EXPECT_FALSE(startup_complete(servers, 3, &servers[2]));
}

TEST(InitStartup, ServersThatEndedOrNeverStartedDoNotHoldItUp) {
  ServerState ended;  // ping: ran, reported, exited
  ServerState servers[] = {running(true), ended, running(false)};
  // The third is the one asking: it cannot register before it has its answer.
  EXPECT_TRUE(startup_complete(servers, 3, &servers[2]));
}

TEST(InitStartup, TheAskerCountsOnlyForOthers) {
  ServerState servers[] = {running(false), running(false)};
  EXPECT_FALSE(startup_complete(servers, 2, &servers[0]));
  EXPECT_FALSE(startup_complete(servers, 2, nullptr));
  servers[1].registered_a_name = true;
  EXPECT_TRUE(startup_complete(servers, 2, &servers[0]));
  EXPECT_TRUE(startup_complete(servers, 0, nullptr));
}


// The startup_done calls init keeps (StartupWaiters): each answered once, kOk when start-up is
// over for its asker, kWouldBlock at its deadline, and kept until then.
struct Answered {
  bm::abi::Handle reply;
  bm::ipc::ProtocolStatus status;
  bool operator==(const Answered&) const = default;
};

std::vector<Answered> settle(init::StartupWaiters& waiters, const ServerState* servers,
                             size_t count, uint64_t now) {
  std::vector<Answered> answered;
  waiters.settle(servers, count, now, [&](bm::abi::Handle reply, bm::ipc::ProtocolStatus status) {
    answered.push_back({reply, status});
  });
  return answered;
}

constexpr auto kOk = bm::ipc::ProtocolStatus::kOk;
constexpr auto kWouldBlock = bm::ipc::ProtocolStatus::kWouldBlock;

TEST(InitStartupWaiters, AKeptCallIsAnsweredWhenTheLastServerComesUp) {
  ServerState servers[] = {running(true), running(false), running(false)};  // [2] asks
  init::StartupWaiters waiters;
  ASSERT_TRUE(waiters.add(0x11, &servers[2], 1000));
  EXPECT_TRUE(settle(waiters, servers, 3, 10).empty());  // [1] still starting
  EXPECT_EQ(waiters.count(), 1u);
  servers[1].registered_a_name = true;
  EXPECT_EQ(settle(waiters, servers, 3, 11), (std::vector<Answered>{{0x11, kOk}}));
  EXPECT_EQ(waiters.count(), 0u);
  EXPECT_TRUE(settle(waiters, servers, 3, 12).empty());  // answered once
}

TEST(InitStartupWaiters, AServerThatEndsDoesNotHoldTheCallUp) {
  ServerState servers[] = {running(false), running(false)};
  init::StartupWaiters waiters;
  ASSERT_TRUE(waiters.add(0x11, &servers[1], 1000));
  servers[0].running = false;  // crashed, or stopped for good
  EXPECT_EQ(settle(waiters, servers, 2, 5), (std::vector<Answered>{{0x11, kOk}}));
}

TEST(InitStartupWaiters, ACallWhoseWaitRunsOutHearsWouldBlock) {
  ServerState servers[] = {running(false), running(false), running(false)};
  init::StartupWaiters waiters;
  ASSERT_TRUE(waiters.add(0x11, &servers[1], 100));
  ASSERT_TRUE(waiters.add(0x12, &servers[2], 50));
  EXPECT_EQ(waiters.ticks_to_next_deadline(20), 30u);  // the earlier of the two
  EXPECT_TRUE(settle(waiters, servers, 3, 49).empty());
  EXPECT_EQ(settle(waiters, servers, 3, 50), (std::vector<Answered>{{0x12, kWouldBlock}}));
  EXPECT_EQ(waiters.ticks_to_next_deadline(50), 50u);
  EXPECT_EQ(settle(waiters, servers, 3, 150), (std::vector<Answered>{{0x11, kWouldBlock}}));
  EXPECT_EQ(waiters.ticks_to_next_deadline(150), 0u);  // none kept
}

TEST(InitStartupWaiters, EachAskerCountsOnlyForTheOthers) {
  // Two servers ask while neither has registered: each waits only for the other.
  ServerState servers[] = {running(false), running(false)};
  init::StartupWaiters waiters;
  ASSERT_TRUE(waiters.add(0x11, &servers[0], 1000));
  ASSERT_TRUE(waiters.add(0x12, &servers[1], 1000));
  EXPECT_TRUE(settle(waiters, servers, 2, 1).empty());
  servers[0].registered_a_name = true;  // [1]'s wait is over; [0] still waits for [1]
  EXPECT_EQ(settle(waiters, servers, 2, 2), (std::vector<Answered>{{0x12, kOk}}));
  EXPECT_EQ(waiters.count(), 1u);
}

TEST(InitStartupWaiters, ADeadlineDueAlreadyIsOneTickAway) {
  ServerState servers[] = {running(false), running(false)};
  init::StartupWaiters waiters;
  ASSERT_TRUE(waiters.add(0x11, &servers[1], 10));
  EXPECT_EQ(waiters.ticks_to_next_deadline(10), 1u);  // never 0: that would mean "none"
  EXPECT_EQ(waiters.ticks_to_next_deadline(30), 1u);
}

TEST(InitStartupWaiters, OneCallPerAskerAndAFullTableRefuse) {
  constexpr size_t kCapacity = init::StartupWaiters::kCapacity;
  ServerState servers[kCapacity + 2];
  for (ServerState& server : servers) server = running(false);
  init::StartupWaiters waiters;
  ASSERT_TRUE(waiters.add(0x100, &servers[1], 10));
  EXPECT_FALSE(waiters.can_add(&servers[1]));  // its second call is answered at once
  EXPECT_FALSE(waiters.add(0x101, &servers[1], 10));
  for (size_t i = 2; i <= kCapacity; ++i) {
    ASSERT_TRUE(waiters.add(0x100 + i, &servers[i], 10));
  }
  EXPECT_FALSE(waiters.can_add(&servers[kCapacity + 1]));  // full
  EXPECT_EQ(settle(waiters, servers, kCapacity + 2, 10).size(), kCapacity);
  EXPECT_TRUE(waiters.add(0x200, &servers[1], 20));  // answered: it may ask again
}

}  // namespace
