// In-kernel tests that register themselves: KERNEL_TEST(name) { ... } puts
// an entry in the .kernel_tests section, and the runner walks that section.
// Only the test kernel image (Meson option kernel_tests) links test files.
#pragma once

#include <stdint.h>

namespace kernel {

class TestContext {
 public:
  // Records a failed check with where it happened; the test keeps running so
  // one run shows every broken expectation.
  void fail(const char* expression, const char* file, int line);
  bool failed() const { return failures_ != 0; }
  void reset() { failures_ = 0; }

 private:
  uint32_t failures_ = 0;
};

struct KernelTest {
  const char* name;
  void (*run)(TestContext& context);
};

// Runs every registered test, prints PASS/FAIL per test and a summary, then
// leaves QEMU through isa-debug-exit (success only if nothing failed).
// With "fault_demo=page_fault" on the command line it instead causes an
// unexpected page fault, so the end-to-end tests can check the fault report.
[[noreturn]] void run_kernel_tests(const char* command_line);

}  // namespace kernel

#define KERNEL_TEST(name)                                                                   \
  static void kernel_test_##name(::kernel::TestContext& test_context);                      \
  [[gnu::used, gnu::section(".kernel_tests")]] static const ::kernel::KernelTest            \
      kernel_test_entry_##name{#name, kernel_test_##name};                                  \
  static void kernel_test_##name([[maybe_unused]] ::kernel::TestContext& test_context)

#define KEXPECT(condition)                                                   \
  do {                                                                       \
    if (!(condition)) test_context.fail(#condition, __FILE__, __LINE__);     \
  } while (0)

// Stops the current test when the check fails (later steps depend on it).
#define KASSERT(condition)                                                   \
  do {                                                                       \
    if (!(condition)) {                                                      \
      test_context.fail(#condition, __FILE__, __LINE__);                     \
      return;                                                                \
    }                                                                        \
  } while (0)
