// The fuzzer's other threads: a partner that serves an endpoint (so calls
// on it may block: they are always answered), the supervisor of the child
// tasks (it answers their fault reports with "kill" and counts them by
// vector), and short-lived helpers that end with thread_exit.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"

namespace fuzz {

// Updated with __atomic builtins. Fault reports the supervisor thread received, by exception
// vector.
extern uint64_t fault_counts[32];
// Messages the partner thread answered.
extern uint64_t partner_messages;
// Helper threads started and finished.
extern uint64_t helpers_finished;

bm::abi::Status start_service_thread(void (*body)(uint64_t), bm::abi::Handle endpoint,
                                     uint64_t priority);
[[noreturn]] void partner_thread(uint64_t endpoint);
[[noreturn]] void supervisor_thread(uint64_t endpoint);
// Entry of threads the fuzzer creates in its own task: a few harmless calls,
// then thread_exit. Any argument value is fine.
[[noreturn]] void helper_thread(uint64_t argument);

}  // namespace fuzz
