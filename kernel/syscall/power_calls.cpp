// Halting and rebooting the machine: the root task's call alone.
//   system_power(action)   kHalt or kReboot; returns only on an error
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/reset.h"
#include "kernel/debug/log.h"
#include "kernel/obj/task.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"
#include "lib/abi/power.h"

namespace kernel {

using bm::abi::Status;

// The privilege check comes first, so a task without it learns nothing,
// not even which actions exist.
Status sys_system_power(arch::InterruptFrame& frame) {
  if (!current_thread()->task->is_root()) return Status::kNoRights;
  switch (static_cast<bm::abi::PowerAction>(frame.rdi)) {
    case bm::abi::PowerAction::kHalt:
      kprintf("System halted.\n");
      arch::halt_forever();  // interrupts stay masked: only a reset brings it back
    case bm::abi::PowerAction::kReboot:
      kprintf("System rebooting.\n");
      arch::reset_machine();
  }
  return Status::kInvalidArgument;
}

}  // namespace kernel
