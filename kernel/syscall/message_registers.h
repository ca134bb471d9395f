// Reading a message out of a system call's registers (tag in rsi, words in rdx, r10, r8, r9),
// shared by the IPC calls and the reply-object calls.
#pragma once

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "lib/abi/syscalls.h"

namespace kernel {

// Checks the tag in the caller's registers and copies the message into its thread. Labels of
// the kernel's own messages may only appear in replies (a fault reply); a reply takes no send
// option. *non_blocking gets the tag's non-blocking option.
bm::abi::Status load_message(const arch::InterruptFrame& frame, bool is_reply,
                             bool* non_blocking);

}  // namespace kernel
