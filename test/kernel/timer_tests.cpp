// The PIT drives IRQ 0 through the remapped PIC; nothing else is unmasked.
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/debug/build_config.h"
#include "kernel/debug/kernel_test.h"

KERNEL_TEST(pit_ticks_advance) {
  const uint64_t start = arch::pit_ticks();
  // hlt wakes on the next interrupt; with only IRQ 0 unmasked that is a tick.
  // The bound keeps a dead timer from hanging the run (the host timeout
  // would catch it too, but this names the failure).
  for (int i = 0; i < 1000000 && arch::pit_ticks() < start + 10; ++i) {
    arch::enable_interrupts_and_halt();
  }
  KEXPECT(arch::pit_ticks() >= start + 10);
}

KERNEL_TEST(pit_runs_at_configured_rate_and_only_irq0_is_unmasked) {
  uint32_t hz = arch::pit_frequency_hz();
  uint32_t wanted = kernel::config::kTimerHz;
  // The 1.193182 MHz input clock divides only by integers.
  KEXPECT(hz + hz / 100 >= wanted && hz <= wanted + wanted / 100);
  KEXPECT(arch::irq_mask_bits() == 0xfffe);
  KEXPECT((arch::read_rflags() & (1 << 9)) != 0);  // IF: interrupts are on
}
