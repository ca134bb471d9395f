// The C++ side of syscall_entry.S: range-checks the number, runs the
// handler, stores its status, and reschedules if the call made a
// higher-priority thread ready.
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {
namespace {

constexpr SyscallHandler kHandlers[] = {
#define BM_SYSCALL_HANDLER_ENTRY(name, number) &sys_##name,
    BM_SYSCALL_LIST(BM_SYSCALL_HANDLER_ENTRY)
#undef BM_SYSCALL_HANDLER_ENTRY
};
static_assert(sizeof(kHandlers) / sizeof(kHandlers[0]) == bm::abi::kSyscallCount);

// The list is dense (host test abi/syscalls_test checks it), so the number
// is the index.
#define BM_SYSCALL_CHECK_INDEX(name, number)                                 \
  static_assert(static_cast<uint64_t>(bm::abi::Syscall::name) == number);
BM_SYSCALL_LIST(BM_SYSCALL_CHECK_INDEX)
#undef BM_SYSCALL_CHECK_INDEX

}  // namespace

}  // namespace kernel

extern "C" void syscall_dispatch(arch::InterruptFrame* frame) {
  uint64_t number = frame->rax;
  bm::abi::Status status = number < bm::abi::kSyscallCount
                               ? kernel::kHandlers[number](*frame)
                               : bm::abi::Status::kUnknownSyscall;
  frame->rax = static_cast<uint64_t>(status);
  kernel::preempt_if_needed();
}
