// The kernel's own exception policy: which exceptions it recovers from, and
// what interrupt entry does with the rest (arch::InterruptHooks).
#pragma once

#include <stdint.h>

namespace kernel {

// Installs handlers for #BP (log and continue) and #PF/#GP (resume at an
// exception fixup if there is one, otherwise report and halt), and the
// interrupt hooks: a ring-3 fault goes to its task's supervisor, an
// unexpected kernel exception to the fault report, and every return to
// ring 3 passes the scheduler's preemption point.
void exceptions_init();

uint64_t breakpoint_count();

}  // namespace kernel
