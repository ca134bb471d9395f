// CPU state a hostile ring-3 program controls: RFLAGS bits that must not
// follow it into the kernel or into the next thread, the last page below the
// canonical boundary, and the descriptor-table reads UMIP forbids.
#include "lib/core/page_size.h"
#include "lib/core/rflags.h"
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/syscalls.h"

extern "C" uint64_t rflags_across_syscall(uint64_t extra_flags, uint64_t number, uint64_t argument,
                                          uint64_t spins);

namespace {

using namespace user_tests;

using bm::rflags::kAlignmentCheck;
using bm::rflags::kDirection;
using bm::rflags::kNestedTask;
// What ring 3 can set with popfq at IOPL 0, but TF: it would single-step the
// caller (the fuzzer covers it).
constexpr uint64_t kUserSettable = bm::rflags::kUserSettable & ~bm::rflags::kTrap;
constexpr uint64_t kSpins = 200000;  // long enough for timer interrupts to land

constexpr uint64_t kTopUserPage = bm::abi::kUserSpaceEnd;  // 0x7ffffffff000
constexpr uint64_t kPage = bm::kPageSize;

volatile bool stop_spinning;
volatile uint64_t spins_done;

// Runs between the suite's blocking calls; each time it resumes after being
// preempted, it returns to ring 3 through iretq, the path NT used to break.
void spin_until_stopped(uint64_t) {
  while (!stop_spinning) spins_done = spins_done + 1;
}

// Sets `flags` around `call` (argument `argument`) while a spinner is
// runnable at `priority`, and checks the kernel gave them back unchanged.
void check_flags_survive(TestContext& test_context, uint64_t flags, bm::abi::Syscall call,
                         uint64_t argument, uint32_t priority) {
  stop_spinning = false;
  spins_done = 0;
  HelperThread spinner;
  ASSERT_OK(spinner.start(spin_until_stopped, 0, priority));
  for (int round = 0; round < 4; ++round) {
    uint64_t after = rflags_across_syscall(flags, static_cast<uint64_t>(call), argument, kSpins);
    EXPECT_EQ(after & kUserSettable, flags);
  }
  (void)user::sleep(2);  // let the spinner run at least once more, with clean flags
  stop_spinning = true;
  EXPECT_TRUE(spinner.join(ticks_for_ms(1000)));
  EXPECT_GT(spins_done, 0);
}

bool cpu_reports_umip() {
  uint32_t max_leaf, ebx, ecx, edx;
  asm volatile("cpuid" : "=a"(max_leaf), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0), "c"(0));
  if (max_leaf < 7) return false;
  uint32_t eax;
  asm volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(7), "c"(0));
  return (ecx & (1u << 2)) != 0;  // CPUID.(EAX=7,ECX=0):ECX.UMIP[bit 2]
}

}  // namespace

// Every user-settable flag at once, one at a time for NT: each goes through a
// sleep (the suite blocks, the spinner resumes through iretq) and comes back.
USER_TEST(cpu_state_rflags_survive_a_blocking_call) {
  check_flags_survive(test_context, kUserSettable, bm::abi::Syscall::sleep, 1, kSuitePriority - 1);
  check_flags_survive(test_context, kNestedTask, bm::abi::Syscall::sleep, 1, kSuitePriority - 1);
}

USER_TEST(cpu_state_rflags_survive_a_yield_to_an_equal_thread) {
  check_flags_survive(test_context, kUserSettable, bm::abi::Syscall::yield, 0, kSuitePriority);
  check_flags_survive(test_context, kNestedTask | kAlignmentCheck | kDirection,
                      bm::abi::Syscall::yield, 0, kSuitePriority);
}

// The page below the canonical boundary is not part of the user half, so no
// code can sit where a `syscall` would return to a non-canonical address.
USER_TEST(cpu_state_top_user_page_cannot_be_mapped) {
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  EXPECT_STATUS(user::memory_map(bm::abi::kOwnAddressSpace, memory.get(), kTopUserPage,
                                 bm::abi::kMapExecutable),
                Status::kBadAddress);
  EXPECT_STATUS(user::memory_map(bm::abi::kOwnAddressSpace, memory.get(), kTopUserPage, 0),
                Status::kBadAddress);
  // The page just below it is the user half's last.
  EXPECT_OK(user::memory_map(bm::abi::kOwnAddressSpace, memory.get(), kTopUserPage - kPage, 0));
  EXPECT_OK(user::memory_unmap(bm::abi::kOwnAddressSpace, kTopUserPage - kPage));
  // A thread cannot start there either.
  Handle thread = 0;
  EXPECT_STATUS(take(user::thread_create(bm::abi::kOwnAddressSpace, kTopUserPage + kPage - 2, 0,
                                         kPeerPriority),
                     &thread),
                Status::kBadAddress);
}

// UMIP: where the CPU has it the kernel turns it on, and sgdt (which would
// tell ring 3 where the kernel's GDT is) faults; elsewhere it still works.
USER_TEST(cpu_state_sgdt_faults_where_umip_exists) {
  if (cpu_reports_umip()) {
    FaultReport report;
    if (!expect_fault_at_site(test_context, peer::kSiteSgdt, 0, kVectorGeneralProtection,
                              &report)) {
      return;
    }
    EXPECT_EQ(report.error_code, 0);
  } else {
    Peer peer;
    ASSERT_OK(peer.start());
    uint64_t result = 0;
    EXPECT_OK(peer.run(peer::kSiteSgdt, 0, &result));
    EXPECT_EQ(result, 1);
  }
}
