// Recoverable faults: instructions listed in .exception_fixups (see
// safe_memory.S) may fault; the handler resumes at their fixup address.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace arch {

struct FaultRecord {
  uint64_t vector;
  uint64_t error_code;
  uint64_t rip;
  uint64_t cr2;  // only meaningful for page faults
};

// If frame.rip has a fixup: records the fault, moves rip to the fixup and
// returns true. Otherwise returns false and changes nothing.
bool apply_exception_fixup(InterruptFrame& frame);

// The most recent fault that a fixup recovered from, and how many there were.
FaultRecord last_recovered_fault();
uint64_t recovered_fault_count();

}  // namespace arch

// Faulting accesses return 1 instead of crashing (safe_memory.S).
extern "C" int safe_read_u64(const uint64_t* address, uint64_t* value);
extern "C" int safe_write_u64(uint64_t* address, uint64_t value);
