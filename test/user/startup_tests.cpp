// init's startup_done (ipc/bootstrap.h) from a server whose start-up is not over: the suite's
// manifest also starts `sleep` as a server, which runs without ever registering a name, so
// init keeps the suite's call until its wait runs out (the start-up timer thread,
// servers/init/startup_timer.h) or `sleep` ends. These cases run last: the final one stops
// `sleep` for good.
#include "ipc/bootstrap.h"
#include "ipc/supervisor.h"
#include "lib/fmt/string.h"
#include "test/user/helper_thread.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/services.h"
#include "user/supervisor_client.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::ipc::ProtocolStatus;

// A raw startup_done: init's answer, kept by init for up to `wait_ticks`.
ProtocolStatus startup_done(uint64_t wait_ticks) {
  bm::ipc::StartupDoneReply reply;
  return user::call_init(environment().bootstrap, bm::ipc::StartupDoneRequest{wait_ticks},
                         &reply);
}

// The task id of the manifest's `sleep` server, or 0 when it is not running.
uint32_t sleep_server_task() {
  bm::ipc::ServerEntry entry{};
  for (uint64_t index = 0;
       user::list_server(environment().bootstrap, index, &entry) == ProtocolStatus::kOk;
       ++index) {
    if (bm::string_equal(entry.module, "sleep")) return entry.task_id;
  }
  return 0;
}

// How long a kept call may outlast its wait: the timer thread's wake-up and two switches.
constexpr uint64_t kLateTicks = 20;

USER_TEST(startup_done_without_a_wait_answers_at_once) {
  ASSERT_TRUE(sleep_server_task() != 0);
  uint64_t before = user::ticks();
  EXPECT_EQ(startup_done(0), ProtocolStatus::kWouldBlock);
  EXPECT_TRUE(user::ticks() - before <= 1);
}

USER_TEST(startup_done_is_kept_until_its_wait_runs_out) {
  ASSERT_TRUE(sleep_server_task() != 0);
  const uint64_t waits[] = {1, 5};
  for (uint64_t wait : waits) {
    uint64_t before = user::ticks();
    EXPECT_EQ(startup_done(wait), ProtocolStatus::kWouldBlock);
    uint64_t waited = user::ticks() - before;
    EXPECT_TRUE(waited >= wait);
    EXPECT_TRUE(waited <= wait + kLateTicks);
  }
  // The runtime's helper bounds its wait the same way.
  uint64_t before = user::ticks();
  EXPECT_EQ(user::wait_for_startup(environment().bootstrap, 3), ProtocolStatus::kWouldBlock);
  EXPECT_TRUE(user::ticks() - before >= 3);
}

USER_TEST(startup_done_refuses_a_wait_over_the_limit) {
  user::Message request;
  request.label = bm::ipc::kStartupDone;
  request.words = 1;
  request.word[0] = bm::ipc::kMaxStartupWaitTicks + 1;
  user::Message reply;
  ASSERT_OK(user::call(environment().bootstrap, request, &reply));
  EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kBadValue));
}

// The helper's kept call and when it was answered.
ProtocolStatus kept_answer = ProtocolStatus::kBadValue;
uint64_t kept_answered_at = 0;

void ask_with_a_long_wait(uint64_t wait_ticks) {
  kept_answer = startup_done(wait_ticks);
  kept_answered_at = user::ticks();
}

USER_TEST(startup_done_kept_call_is_answered_when_the_last_server_ends) {
  uint32_t sleep_task = sleep_server_task();
  ASSERT_TRUE(sleep_task != 0);
  HelperThread asker;
  ASSERT_OK(asker.start(ask_with_a_long_wait, ticks_for_ms(60'000), kSuitePriority));
  (void)user::sleep(2);  // the helper's call is kept by now
  EXPECT_TRUE(!asker.finished());
  // init keeps one call per server: a second one is answered at once.
  uint64_t asked_at = user::ticks();
  EXPECT_EQ(startup_done(50), ProtocolStatus::kWouldBlock);
  EXPECT_TRUE(user::ticks() - asked_at <= 1);
  uint64_t stopped_at = user::ticks();
  EXPECT_EQ(user::stop_server(environment().bootstrap, sleep_task), ProtocolStatus::kOk);
  ASSERT_TRUE(asker.join(ticks_for_ms(1000)));
  EXPECT_EQ(kept_answer, ProtocolStatus::kOk);
  EXPECT_TRUE(kept_answered_at - stopped_at <= kLateTicks);
  // Over for good now: answered at once, whatever the wait.
  EXPECT_EQ(startup_done(0), ProtocolStatus::kOk);
  EXPECT_EQ(startup_done(100), ProtocolStatus::kOk);
}

}  // namespace
