// The scheduler seen from ring 3: round robin inside a priority, preemption
// by a higher priority, yield, sleep, and a CPU-bound task that cannot
// starve a higher-priority one.
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;

volatile uint64_t spin_counts[2];
volatile bool stop_spinning;

void spin_until_stopped(uint64_t index) {
  while (!stop_spinning) spin_counts[index] = spin_counts[index] + 1;
}

}  // namespace

// Two CPU-bound threads of one priority both run while the suite sleeps:
// the time slice rotates them.
USER_TEST(scheduling_equal_priority_spinners_share_the_cpu) {
  constexpr uint32_t kSpinPriority = kPeerPriority;
  spin_counts[0] = 0;
  spin_counts[1] = 0;
  stop_spinning = false;
  HelperThread first, second;
  ASSERT_OK(first.start(spin_until_stopped, 0, kSpinPriority));
  Status started = second.start(spin_until_stopped, 1, kSpinPriority);
  if (started == Status::kOk) {
    (void)user::sleep(50);
    uint64_t first_count = spin_counts[0];
    uint64_t second_count = spin_counts[1];
    (void)user::sleep(50);
    user::printf("  spinner counts after 50 ticks: %lu and %lu\n", first_count, second_count);
    EXPECT_GT(first_count, 0);
    EXPECT_GT(second_count, 0);
    // Both still move: neither got the CPU for good.
    EXPECT_GT(spin_counts[0], first_count);
    EXPECT_GT(spin_counts[1], second_count);
  }
  EXPECT_OK(started);
  stop_spinning = true;
  EXPECT_TRUE(first.join(ticks_for_ms(1000)));
  EXPECT_TRUE(second.join(ticks_for_ms(1000)));
}

namespace {

constexpr uint32_t kSamples = 5;
constexpr uint64_t kSampleSleep = 3;
volatile uint64_t sampled_counts[kSamples];
volatile uint64_t sample_latency[kSamples];

// Wakes from short sleeps while the low-priority spinner runs, and records
// how far the spinner got and how late each wake-up came.
void sample_spinner(uint64_t) {
  for (uint32_t i = 0; i < kSamples; ++i) {
    uint64_t before = user::ticks();
    (void)user::sleep(kSampleSleep);
    sample_latency[i] = user::ticks() - before - kSampleSleep;
    sampled_counts[i] = spin_counts[0];
  }
}

}  // namespace

// A spinner that never yields is preempted as soon as a higher-priority
// thread wakes up, and runs again while that one sleeps.
USER_TEST(scheduling_higher_priority_thread_preempts_a_spinner) {
  constexpr uint32_t kLow = 4;
  constexpr uint32_t kHigh = 6;
  spin_counts[0] = 0;
  stop_spinning = false;
  for (uint32_t i = 0; i < kSamples; ++i) {
    sampled_counts[i] = ~0ull;
    sample_latency[i] = ~0ull;
  }
  HelperThread spinner, sampler;
  ASSERT_OK(spinner.start(spin_until_stopped, 0, kLow));
  Status started = sampler.start(sample_spinner, 0, kHigh);
  EXPECT_OK(started);
  if (started == Status::kOk) {
    EXPECT_TRUE(sampler.join(ticks_for_ms(2000)));
    uint32_t late = 0;
    uint32_t stalled = 0;
    for (uint32_t i = 0; i < kSamples; ++i) {
      // Woken at the tick its sleep ended, not at the end of the spinner's
      // time slice (10 ticks).
      if (sample_latency[i] > kTickSlack) ++late;
      if (i > 0 && sampled_counts[i] <= sampled_counts[i - 1]) ++stalled;
    }
    user::printf("  samples: %lu %lu %lu %lu %lu, latencies %lu %lu %lu %lu %lu ticks\n",
                 sampled_counts[0], sampled_counts[1], sampled_counts[2], sampled_counts[3],
                 sampled_counts[4], sample_latency[0], sample_latency[1], sample_latency[2],
                 sample_latency[3], sample_latency[4]);
    EXPECT_EQ(late, 0);
    EXPECT_EQ(stalled, 0);  // the spinner ran between every two wake-ups
  }
  stop_spinning = true;
  EXPECT_TRUE(spinner.join(ticks_for_ms(1000)));
}

namespace {
volatile uint32_t yield_witness;
void set_witness(uint64_t value) { yield_witness = static_cast<uint32_t>(value); }
}  // namespace

// A new thread of the suite's own priority does not preempt it, but runs as
// soon as the suite yields.
USER_TEST(scheduling_yield_runs_an_equal_priority_thread) {
  yield_witness = 0;
  user::yield();  // start with a fresh time slice
  HelperThread helper;
  ASSERT_OK(helper.start(set_witness, 1, kSuitePriority));
  EXPECT_EQ(yield_witness, 0);
  user::yield();
  EXPECT_EQ(yield_witness, 1);
  EXPECT_TRUE(helper.join(ticks_for_ms(1000)));
}

USER_TEST(scheduling_sleep_lasts_its_ticks) {
  const uint64_t durations[] = {1, 5, 25};
  for (uint64_t ticks : durations) {
    uint64_t start = user::ticks();
    EXPECT_OK(user::sleep(ticks));
    uint64_t slept = user::ticks() - start;
    EXPECT_GE(slept, ticks);
    EXPECT_LE(slept, ticks + kTickSlack);
  }
  EXPECT_OK(user::sleep(0));  // a yield
}

// A CPU-bound peer (another task, lower priority) neither starves the suite
// nor stops running itself.
USER_TEST(scheduling_spinning_task_does_not_starve_the_suite) {
  Peer peer;
  ASSERT_OK(peer.start(kPeerPriority));
  OwnedHandle notification, signaller;
  ASSERT_OK(take(user::notification_create(), &notification));
  ASSERT_OK(take(user::handle_duplicate(notification.get(), bm::abi::kRightWrite), &signaller));
  ASSERT_OK(peer.send_command(peer::kCmdSpin, 0, 0, notification.get()));
  notification.release();  // moved to the peer
  for (int i = 0; i < 3; ++i) {
    uint64_t start = user::ticks();
    EXPECT_OK(user::sleep(10));
    // Not after the spinner's time slice (another 10 ticks).
    EXPECT_LE(user::ticks() - start, 10 + kTickSlack);
  }
  EXPECT_OK(user::notification_signal(signaller.get(), 1));
  user::Message report;
  ASSERT_OK(peer.next_message(&report));
  EXPECT_EQ(report.label, peer::kReport);
  EXPECT_GT(report.word[0], 0);
}
