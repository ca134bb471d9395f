// Exception handlers the kernel installs at boot. Everything not handled here
// falls through to the fault report in interrupt_dispatch.
#include "kernel/arch/x86_64/exceptions.h"

#include "kernel/arch/x86_64/exception_fixups.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/debug/fault_report.h"
#include "kernel/debug/log.h"

namespace arch {
namespace {

uint64_t breakpoints;

// int3 is a trap: RIP already points past it, so returning continues.
void on_breakpoint(InterruptFrame& frame) {
  ++breakpoints;
  kernel::kprintf("breakpoint at rip=%#lx\n", frame.rip);
}

void on_recoverable_fault(InterruptFrame& frame) {
  if (apply_exception_fixup(frame)) return;
  kernel::report_fault_and_halt(frame);
}

}  // namespace

void exceptions_init() {
  set_interrupt_handler(kBreakpoint, on_breakpoint);
  set_interrupt_handler(kPageFault, on_recoverable_fault);
  set_interrupt_handler(kGeneralProtection, on_recoverable_fault);
}

uint64_t breakpoint_count() { return breakpoints; }

}  // namespace arch
