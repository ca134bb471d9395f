// User faults: a report on the log, then the supervisor decides (or, with
// no supervisor, the task dies).
#include "kernel/ipc/user_fault.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/debug/log.h"
#include "kernel/ipc/ipc.h"
#include "kernel/task/task.h"
#include "kernel/sched/scheduler.h"

namespace kernel {

void handle_user_fault(arch::InterruptFrame& frame) {
  Thread* thread = current_thread();
  Task* task = thread->task;
  uint8_t vector = static_cast<uint8_t>(frame.vector);
  uint64_t cr2 = vector == arch::kPageFault ? arch::read_cr2() : 0;
  kprintf("fault: task %u (%s) thread %u: %s (%s) error %#lx at rip %#lx cr2 %#lx\n", task->id(),
          task->name(), thread->id, arch::exception_mnemonic(vector),
          arch::exception_name(vector), frame.error_code, frame.rip, cr2);
  const uint64_t words[4] = {(static_cast<uint64_t>(task->id()) << 32) | thread->id,
                             (static_cast<uint64_t>(vector) << 32) | (frame.error_code & 0xffffffff),
                             frame.rip, cr2};
  // Blocks until the supervisor answers: "resume" returns here and the
  // instruction runs again; "kill" ends the task and never returns.
  if (ipc_report_fault(task->supervisor_badge(), task->supervisor(), words)) return;
  kprintf("fault: no supervisor for task %u (%s): killing it\n", task->id(), task->name());
  task->exit(-static_cast<int64_t>(vector) - 1);
}

}  // namespace kernel
