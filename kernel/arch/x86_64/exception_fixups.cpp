// Looks up faulting instructions in the .exception_fixups table that the
// linker collects from every object (pairs of fault address, resume address).
#include "kernel/arch/x86_64/exception_fixups.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"

namespace {
struct ExceptionFixup {
  uint64_t fault_rip;
  uint64_t fixup_rip;
};
arch::FaultRecord last_fault;
uint64_t fault_count;
}  // namespace

extern "C" const ExceptionFixup __exception_fixups_start[], __exception_fixups_end[];

namespace arch {

bool apply_exception_fixup(InterruptFrame& frame) {
  for (const ExceptionFixup* entry = __exception_fixups_start; entry < __exception_fixups_end;
       ++entry) {
    if (entry->fault_rip != frame.rip) continue;
    uint64_t cr2 = frame.vector == kPageFault ? read_cr2() : 0;
    last_fault = FaultRecord{frame.vector, frame.error_code, frame.rip, cr2};
    ++fault_count;
    frame.rip = entry->fixup_rip;
    return true;
  }
  return false;
}

FaultRecord last_recovered_fault() { return last_fault; }
uint64_t recovered_fault_count() { return fault_count; }

}  // namespace arch
