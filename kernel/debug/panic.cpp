// Kernel panic: message, backtrace, halt.
#include "kernel/debug/panic.h"

#include <stdarg.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/build_config.h"
#include "kernel/debug/log.h"
#include "kernel/debug/qemu_exit.h"

namespace kernel {
namespace {
bool fatal_error_exits_qemu = config::kTestBuild;
}  // namespace

void set_fatal_error_exits_qemu(bool exits) { fatal_error_exits_qemu = exits; }

void panic(const char* format, ...) {
  arch::disable_interrupts();
  log_enter_panic_mode();
  kprintf("\n*** KERNEL PANIC: ");
  va_list arguments;
  va_start(arguments, format);
  kvprintf(format, arguments);
  va_end(arguments);
  kprintf(" ***\n");
  print_backtrace(arch::read_rbp());
  halt_after_fatal_error();
}

void halt_after_fatal_error() {
  arch::disable_interrupts();
  kprintf("System halted.\n");
  if (fatal_error_exits_qemu) qemu_exit(QemuExitCode::kFailure);
  arch::halt_forever();
}

}  // namespace kernel
