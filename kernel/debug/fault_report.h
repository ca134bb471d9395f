// The report printed for an exception the kernel cannot recover from.
#pragma once

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace kernel {

// Prints vector, name, error code (decoded for #PF), CR2, all registers and
// a backtrace on COM1 and the screen, then halts this CPU.
[[noreturn]] void report_fault_and_halt(const arch::InterruptFrame& frame);

// Prints the report without halting (tests use it to check the format).
void print_fault_report(const arch::InterruptFrame& frame);

}  // namespace kernel
