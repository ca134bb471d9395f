// init's start-up rule (servers/init/startup.h): over once every server but the one asking
// has registered a name or is not running.
#include "servers/init/startup.h"

#include <gtest/gtest.h>

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

}  // namespace
