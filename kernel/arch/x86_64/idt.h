// Interrupt descriptor table: vectors 0-31 are CPU exceptions, 32-47 the
// remapped 8259 IRQ lines (Intel SDM vol. 3A §6.10-§6.14).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace arch {

constexpr uint8_t kExceptionCount = 32;
constexpr uint8_t kIrqBaseVector = 32;
constexpr uint8_t kStubCount = 48;

// Exception vectors (Intel SDM vol. 3A §6.3.1, table 6-1).
enum ExceptionVector : uint8_t {
  kDivideError = 0, kDebug = 1, kNmi = 2, kBreakpoint = 3, kOverflow = 4, kBoundRange = 5,
  kInvalidOpcode = 6, kDeviceNotAvailable = 7, kDoubleFault = 8, kCoprocessorOverrun = 9,
  kInvalidTss = 10, kSegmentNotPresent = 11, kStackFault = 12, kGeneralProtection = 13,
  kPageFault = 14, kFpuError = 16, kAlignmentCheck = 17, kMachineCheck = 18, kSimdError = 19,
  kVirtualization = 20, kControlProtection = 21, kHypervisorInjection = 28,
  kVmmCommunication = 29, kSecurity = 30,
};

const char* exception_name(uint8_t vector);
const char* exception_mnemonic(uint8_t vector);

void idt_init();

// Installs a handler for a vector; a null handler restores the default
// (InterruptHooks::unexpected for exceptions). Returns the previous handler.
InterruptHandler set_interrupt_handler(uint8_t vector, InterruptHandler handler);

// What interrupt entry does beyond the per-vector handlers. arch knows no
// kernel policy, so the layers above register these once at boot
// (kernel_main); until then an exception halts the CPU.
struct InterruptHooks {
  // A CPU exception from ring 3 (not #BP, NMI or #MC): concerns only its task.
  void (*user_fault)(InterruptFrame& frame);
  // An exception in the kernel with no handler: must not return.
  void (*unexpected)(const InterruptFrame& frame);
  // Last step before returning to ring 3: the preemption point.
  void (*returning_to_user)();
};
void set_interrupt_hooks(const InterruptHooks& hooks);

}  // namespace arch
