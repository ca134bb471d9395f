// Stopping the machine when continuing would be unsafe.
#pragma once

namespace kernel {

[[noreturn]] void panic(const char* format, ...) __attribute__((format(printf, 1, 2)));

// Prints the closing line and halts. A test kernel instead leaves QEMU with
// the failure code, so a test run ends at once rather than at its timeout.
[[noreturn]] void halt_after_fatal_error();

// Test kernels leave QEMU on a fatal error; the fault demo turns that off so
// the end-to-end test can read the report off the halted machine's screen.
void set_fatal_error_exits_qemu(bool exits);

}  // namespace kernel

// Kernel invariant check: on failure, panics with the expression and place.
#define KERNEL_ASSERT(condition)                                                       \
  do {                                                                                 \
    if (!(condition)) ::kernel::panic("assertion failed: %s (%s:%d)", #condition, __FILE__, \
                                      __LINE__);                                       \
  } while (0)
