// fuzz_child: the task the fuzzer starts to fault on purpose. Its role is
// its priority (the fuzzer picks it; random task_create calls pick one by
// chance), so it needs no message to learn it:
//   0 return from main (task_exit)     5 single-step trap (TF) in ring 3
//   1 null dereference (#PF)           6 TF set across a syscall
//   2 non-canonical load (#GP)         7 random calls with random RFLAGS,
//   3 ud2 (#UD)                          TF included, then thread_exit
//   4 divide by zero (#DE)             8 wait forever (killed by the fuzzer)
// Its supervisor (the bootstrap handle) is normally the fuzzer's
// supervisor thread, which kills it on the fault report.
#include <stdint.h>

#include "lib/abi/message.h"
#include "lib/abi/syscalls.h"
#include "lib/abi/system_info.h"
#include "test/fuzz/fuzz_syscall.h"
#include "test/fuzz/prng.h"
#include "user/syscalls.h"

namespace {

using bm::abi::Syscall;
using user::raw_syscall;

void set_trap_flag() {
  asm volatile(
      "pushfq\n\t"
      "orq $0x100, (%%rsp)\n\t"
      "popfq\n\t"
      "nop\n\t"
      "nop" ::
          : "memory", "cc");
}

// Calls that cannot block the child for good; it holds only its bootstrap
// handle and what it creates, so handle values are small guesses.
void random_calls(uint64_t seed) {
  fuzz::Prng random(seed);
  for (int i = 0; i < 200; ++i) {
    uint64_t number = random.below(bm::abi::kSyscallCount + 2);
    fuzz::Registers registers = {number,
                                 random.one_in(2) ? (0x10000 | random.below(8)) : random.next(),
                                 random.below(4) == 0 ? random.next() : random.below(70),
                                 random.next(),
                                 random.below(8),
                                 random.next(),
                                 random.below(3),
                                 0};
    switch (static_cast<Syscall>(number)) {
      case Syscall::thread_exit:
      case Syscall::task_exit:
      case Syscall::ipc_reply_recv:
      case Syscall::thread_create:  // an entry in its own task would fault: fine, but not the point
        continue;
      case Syscall::ipc_call:
      case Syscall::ipc_send:
        registers.rsi |= bm::abi::kTagNonBlockingBit;
        break;
      case Syscall::ipc_recv:
      case Syscall::notification_wait:
        registers.rsi = bm::abi::kDontWait;
        break;
      case Syscall::sleep:
        registers.rdi &= 1;
        break;
      default:
        break;
    }
    uint64_t flags = 0;
    if (random.one_in(2)) flags |= fuzz::kFlagAlignmentCheck;
    if (random.one_in(2)) flags |= fuzz::kFlagDirection;
    if (random.one_in(40)) flags |= fuzz::kFlagTrap;  // the #DB ends the child
    (void)fuzz_syscall(&registers, flags);
  }
}

}  // namespace

int main(uint64_t) {
  uint64_t role = user::system_value(bm::abi::SystemInfo::kCurrentPriority);
  switch (role) {
    case 1: {
      volatile uint64_t* null = nullptr;
      return static_cast<int>(*null);
    }
    case 2: {
      volatile uint64_t* non_canonical = reinterpret_cast<uint64_t*>(0x8000000000000000ull);
      return static_cast<int>(*non_canonical);
    }
    case 3:
      asm volatile("ud2");
      break;
    case 4: {
      uint64_t zero = 0;
      asm volatile("xorl %%edx, %%edx\n\tdivq %0" : "+r"(zero) : : "rax", "rdx", "cc");
      break;
    }
    case 5:
      set_trap_flag();
      break;
    case 6: {
      fuzz::Registers registers = {static_cast<uint64_t>(Syscall::yield), 0, 0, 0, 0, 0, 0, 0};
      (void)fuzz_syscall(&registers, fuzz::kFlagTrap);
      break;
    }
    case 7: {
      uint64_t seed = user::system_value(bm::abi::SystemInfo::kCurrentTask) * 0x9e3779b97f4a7c15ull;
      random_calls(seed);
      raw_syscall(Syscall::thread_exit);  // the last thread: the task ends too
      break;
    }
    case 8: {
      auto notification = raw_syscall(Syscall::notification_create);
      raw_syscall(Syscall::notification_wait, notification.rdi, bm::abi::kWaitForever);
      break;
    }
    default:
      break;
  }
  return 0;
}
