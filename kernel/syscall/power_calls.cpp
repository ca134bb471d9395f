// Halting and rebooting the machine, for the holder of the power control
// object (init).
//   system_power(power, action)   power: manage; kHalt or kReboot; returns only on an error
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/reset.h"
#include "kernel/debug/log.h"
#include "kernel/task/handles.h"
#include "kernel/obj/power_control.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"
#include "lib/abi/power.h"

namespace kernel {

using bm::abi::Status;

// The capability check comes first, so a task without it learns nothing,
// not even which actions exist.
Status sys_system_power(arch::InterruptFrame& frame) {
  auto power = lookup_object<PowerControl>(current_thread()->task, handle_argument(frame.rdi),
                                           bm::abi::kRightManage);
  if (!power) return to_status(power.error());
  switch (static_cast<bm::abi::PowerAction>(frame.rsi)) {
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
