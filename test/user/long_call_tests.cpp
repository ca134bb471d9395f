// A long system call does not stall the rest of the system: the first map of a
// large memory object zeroes its frames in chunks with preemption points in
// between, so a higher-priority thread keeps waking on every tick meanwhile.
#include "lib/abi/system_info.h"
#include "test/user/helper_thread.h"
#include "test/user/suite.h"
#include "test/user/take.h"
#include "test/user/user_test.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::SystemInfo;

struct CallWindow {
  uint64_t start, end;  // ticks read just before and just after the call
};
constexpr uint32_t kMaxCalls = 200;
// Enough ticks inside the calls to tell a stalled ticker from a running one,
// however fast this machine zeroes memory.
constexpr uint64_t kEnoughInnerTicks = 20;

// Where the mapper maps each new object (unused by the rest of the suite).
constexpr uint64_t kMapArea = 0x0000'0100'0000'0000;

// Shared with the mapper thread through globals.
CallWindow calls[kMaxCalls];
volatile uint32_t call_count;
volatile uint64_t object_pages;
volatile bool all_created;

// Ticks strictly inside a call: a wake-up there ran while the call was in the kernel.
uint64_t inner_ticks(const CallWindow& call) {
  return call.end > call.start + 1 ? call.end - call.start - 1 : 0;
}

// Creates objects and maps each once (the map is the long call: memory_create only commits
// the frames), until enough ticks went by inside the maps.
void map_large_objects(uint64_t) {
  uint64_t inside = 0;
  bool created = true;
  uint32_t count = 0;
  while (inside < kEnoughInnerTicks && count < kMaxCalls && created) {
    OwnedHandle memory;
    created = take(user::memory_create(object_pages), &memory) == Status::kOk;
    if (!created) break;
    CallWindow& call = calls[count++];
    call.start = user::ticks();
    created = user::memory_map(bm::abi::kOwnAddressSpace, memory.get(), kMapArea,
                               bm::abi::kMapWritable)
                  .ok();
    call.end = user::ticks();
    inside += inner_ticks(call);
    if (created) created = user::memory_unmap(bm::abi::kOwnAddressSpace, kMapArea).ok();
  }
  call_count = count;
  all_created = created;
}

// The wake-ups of the suite's thread (the tick each one saw).
constexpr uint32_t kMaxWakeups = 16384;
uint64_t wakeup_ticks[kMaxWakeups];

}  // namespace

USER_TEST(long_memory_map_lets_a_higher_priority_thread_run) {
  // Most of what the suite's frame quota still allows, as one object.
  uint64_t available = user::system_value(SystemInfo::kFrameLimit) -
                       user::system_value(SystemInfo::kFramesCharged);
  ASSERT_TRUE(available > 64);
  object_pages = available * 3 / 4;
  call_count = 0;
  all_created = false;

  // The mapper runs below the suite; the suite wakes every tick.
  HelperThread mapper;
  ASSERT_OK(mapper.start(map_large_objects, 0, kSuitePriority - 1));
  uint32_t wakeups = 0;
  const uint64_t deadline = user::ticks() + ticks_for_ms(60000);
  while (!mapper.finished() && wakeups < kMaxWakeups && user::ticks() < deadline) {
    (void)user::sleep(1);
    wakeup_ticks[wakeups++] = user::ticks();
  }
  ASSERT_TRUE(mapper.join(ticks_for_ms(1000)));
  EXPECT_TRUE(all_created);

  uint64_t inside = 0;
  for (uint32_t c = 0; c < call_count; ++c) inside += inner_ticks(calls[c]);
  uint64_t woke_inside = 0;
  for (uint32_t w = 0; w < wakeups; ++w) {
    for (uint32_t c = 0; c < call_count; ++c) {
      if (calls[c].start < wakeup_ticks[w] && wakeup_ticks[w] < calls[c].end) ++woke_inside;
    }
  }
  user::printf("  %u calls of %lu pages, %lu ticks inside them, the suite woke %lu times there\n",
               call_count, object_pages, inside, woke_inside);
  EXPECT_GE(inside, kEnoughInnerTicks);
  // Without preemption points it would wake 0 times: the call kept interrupts
  // off from start to end. Allow for ticks lost to emulation jitter.
  EXPECT_GE(woke_inside, inside / 2);
}
