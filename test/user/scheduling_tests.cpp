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

namespace {

// Each thread keeps its own values in an SSE register, an x87 register and
// MXCSR across switches: the kernel swaps FPU state lazily (on the first use
// after another thread's), so the threads here take turns both using it and
// not using it between yields.
constexpr uint32_t kFpuRounds = 200;
volatile uint32_t fpu_mismatches[3];

// Puts `value` in xmm7, yields, and reads xmm7 back: one asm block, so the
// compiler cannot use the register in between.
uint64_t sse_round_trip(uint64_t value) {
  uint64_t out;
  asm volatile(
      "movq %[in], %%xmm7\n\t"
      "movl %[yield], %%eax\n\t"
      "syscall\n\t"
      "movq %%xmm7, %[out]"
      : [out] "=r"(out)
      : [in] "r"(value), [yield] "i"(static_cast<int>(bm::abi::Syscall::yield))
      : "rax", "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9", "xmm7", "memory");
  return out;
}

void keep_fpu_values(uint64_t index) {
  const uint32_t rounding = static_cast<uint32_t>(index) << 13;  // MXCSR.RC, one per thread
  uint32_t mxcsr = 0x1f80 | rounding;
  asm volatile("ldmxcsr %0" : : "m"(mxcsr));
  double x87 = 1.5 + static_cast<double>(index);
  asm volatile("fldl %0" : : "m"(x87));  // stays on the x87 stack across the yields
  for (uint32_t round = 0; round < kFpuRounds; ++round) {
    uint64_t pattern = (index + 1) * 0x0101010101010101ull ^ round;
    if (round % 3 == 0) {
      user::yield();  // a turn without touching the FPU
      continue;
    }
    if (sse_round_trip(pattern) != pattern) fpu_mismatches[index] = fpu_mismatches[index] + 1;
    uint32_t now = 0;
    asm volatile("stmxcsr %0" : "=m"(now));
    if (now != mxcsr) fpu_mismatches[index] = fpu_mismatches[index] + 1;
  }
  double top = 0;
  asm volatile("fstpl %0" : "=m"(top));
  if (top != x87) fpu_mismatches[index] = fpu_mismatches[index] + 1;
}

}  // namespace

USER_TEST(scheduling_fpu_state_belongs_to_each_thread) {
  for (auto& count : fpu_mismatches) count = 0;
  HelperThread first, second;
  ASSERT_OK(first.start(keep_fpu_values, 1, kSuitePriority));
  ASSERT_OK(second.start(keep_fpu_values, 2, kSuitePriority));
  keep_fpu_values(0);  // the suite's own thread takes part too
  EXPECT_TRUE(first.join(ticks_for_ms(2000)));
  EXPECT_TRUE(second.join(ticks_for_ms(2000)));
  EXPECT_EQ(fpu_mismatches[0], 0);
  EXPECT_EQ(fpu_mismatches[1], 0);
  EXPECT_EQ(fpu_mismatches[2], 0);
  uint32_t default_mxcsr = 0x1f80;
  asm volatile("ldmxcsr %0" : : "m"(default_mxcsr));  // the suite goes on with the default
}
