// Runs the tests collected in the .kernel_tests section; the host-side
// script (tools/qemu_test.py) reads the PASS/FAIL lines from COM1.
#include "kernel/debug/kernel_test.h"
#include "kernel/debug/log.h"
#include "lib/fmt/string.h"
#include "kernel/debug/panic.h"
#include "kernel/debug/qemu_exit.h"

extern "C" const kernel::KernelTest __kernel_tests_start[], __kernel_tests_end[];

namespace kernel {

void TestContext::fail(const char* expression, const char* file, int line) {
  ++failures_;
  kprintf("  check failed: %s (%s:%d)\n", expression, file, line);
}

namespace {

// An address in the (empty) user half: nothing is mapped there yet.
constexpr uint64_t kUnmappedAddress = 0xdead000;

}  // namespace

void run_kernel_tests(const char* command_line) {
  if (bm::string_contains(command_line, "fault_demo=page_fault")) {
    kprintf("fault demo: writing to unmapped address %#lx\n", kUnmappedAddress);
    set_fatal_error_exits_qemu(false);
    *reinterpret_cast<volatile uint64_t*>(kUnmappedAddress) = 1;
  }
  uint32_t passed = 0;
  uint32_t failed = 0;
  kprintf("kernel tests: %lu registered\n",
          static_cast<unsigned long>(__kernel_tests_end - __kernel_tests_start));
  for (const KernelTest* test = __kernel_tests_start; test < __kernel_tests_end; ++test) {
    TestContext context;
    kprintf("RUN  %s\n", test->name);
    test->run(context);
    if (context.failed()) {
      ++failed;
      kprintf("FAIL %s\n", test->name);
    } else {
      ++passed;
      kprintf("PASS %s\n", test->name);
    }
  }
  kprintf("kernel tests: %u passed, %u failed\n", passed, failed);
  qemu_exit(failed == 0 ? QemuExitCode::kSuccess : QemuExitCode::kFailure);
}

}  // namespace kernel
