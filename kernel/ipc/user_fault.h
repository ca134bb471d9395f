// What happens when ring-3 code raises an exception: only the faulting task
// is affected, the kernel keeps running.
#pragma once

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace kernel {

// Called for an exception whose frame comes from ring 3. Logs the fault
// (task, thread, vector, error code, RIP, CR2) and, if the task has a
// supervisor, reports it there and waits for its verdict; otherwise the
// task is killed. Returns only if the supervisor resumes the thread.
void handle_user_fault(arch::InterruptFrame& frame);

}  // namespace kernel
