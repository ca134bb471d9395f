// Exception handlers the kernel installs at boot, and the hooks through
// which arch's interrupt entry reaches the fault report, the task's
// supervisor and the scheduler.
#include "kernel/boot/exceptions.h"

#include "kernel/arch/x86_64/exception_fixups.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/debug/fault_report.h"
#include "kernel/debug/log.h"
#include "kernel/ipc/user_fault.h"
#include "kernel/sched/scheduler.h"

namespace kernel {
namespace {

uint64_t breakpoints;

// int3 is a trap: RIP already points past it, so returning continues.
void on_breakpoint(arch::InterruptFrame& frame) {
  ++breakpoints;
  kprintf("breakpoint at rip=%#lx\n", frame.rip);
}

// #NM: a ring-3 thread touched the FPU while another thread's state was in
// it (lazy switching, sched/scheduler.cpp). The kernel never uses the FPU,
// so from ring 0 it is a bug.
void on_device_not_available(arch::InterruptFrame& frame) {
  if ((frame.cs & 3) == 0) report_fault_and_halt(frame);
  take_fpu();
}

void on_recoverable_fault(arch::InterruptFrame& frame) {
  if (arch::apply_exception_fixup(frame)) return;
  report_fault_and_halt(frame);
}

}  // namespace

void exceptions_init() {
  arch::set_interrupt_hooks({handle_user_fault, report_fault_and_halt, preempt_if_needed});
  arch::set_interrupt_handler(arch::kBreakpoint, on_breakpoint);
  arch::set_interrupt_handler(arch::kDeviceNotAvailable, on_device_not_available);
  arch::set_interrupt_handler(arch::kPageFault, on_recoverable_fault);
  arch::set_interrupt_handler(arch::kGeneralProtection, on_recoverable_fault);
}

uint64_t breakpoint_count() { return breakpoints; }

}  // namespace kernel
