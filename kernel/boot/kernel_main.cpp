// The kernel's first C++ code: brings up each part of the core in
// dependency order and prints what it found.
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/cpu_protection.h"
#include "kernel/arch/x86_64/fpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/arch/x86_64/syscall_msr.h"
#include "kernel/boot/exceptions.h"
#include "kernel/boot/start_init.h"
#include "kernel/debug/build_config.h"
#include "kernel/debug/kernel_test.h"
#include "kernel/debug/log.h"
#include "kernel/debug/panic.h"
#include "kernel/ipc/fast_path.h"
#include "kernel/mm/kernel_heap.h"
#include "kernel/mm/kernel_paging.h"
#include "kernel/mm/physical_memory.h"
#include "kernel/sched/scheduler.h"
#include "lib/mb2/boot_screen.h"
#include "lib/fmt/string.h"
#include "lib/mb2/multiboot2.h"

extern "C" uint8_t boot_cpu_has_nx;
extern "C" uint64_t boot_entry_tsc;

namespace {

constexpr uint32_t kMultiboot2BootloaderMagic = 0x36d76289;
// The boot tables map the first 4 GiB, so that is all the parser may read.
constexpr uint64_t kBootDirectMapEnd = 4ull << 30;

bm::mb2::BootInfo boot_info;
bm::mb2::BootScreen boot_screen;

void read_boot_information(uint32_t magic, uint32_t info_physical) {
  if (magic != kMultiboot2BootloaderMagic) {
    kernel::panic("bad Multiboot2 magic %#x", magic);
  }
  auto parsed = bm::mb2::parse(kernel::physical_to_virtual(info_physical),
                               kBootDirectMapEnd - info_physical, &boot_info);
  if (!parsed) {
    kernel::panic("Multiboot2 information at %#x is unusable: %s", info_physical,
                  bm::error_name(parsed.error()));
  }
  kernel::kprintf("Boot loader: %s; command line: \"%s\"; %zu module(s)\n",
                  boot_info.bootloader_name[0] ? boot_info.bootloader_name : "(unnamed)",
                  boot_info.command_line, boot_info.module_count);
  // The IPC fast path can be turned off, so every IPC case can be tested on
  // the general path too (docs/kernel.md, "The IPC fast path").
  if (bm::string_contains(boot_info.command_line, "ipc_fast_path=off")) {
    kernel::set_ipc_fast_path_enabled(false);
    kernel::kprintf("IPC fast path: off\n");
  }
}

// Says which screen the boot gave, and stops the log's text writer where there is none.
void report_boot_screen() {
  boot_screen = bm::mb2::choose_boot_screen(boot_info);
  const bm::mb2::Framebuffer& fb = boot_screen.framebuffer;
  switch (boot_screen.kind) {
    case bm::mb2::ScreenKind::kVgaText:
      kernel::kprintf("Screen: VGA text at %#lx%s\n", bm::mb2::kVgaTextAddress,
                      boot_info.has_framebuffer_tag ? "" : " (no framebuffer tag; assumed)");
      return;
    case bm::mb2::ScreenKind::kFramebuffer:
      kernel::kprintf(
          "Screen: framebuffer %ux%u, %u bpp, pitch %u, at %#lx (red %u:%u, green "
          "%u:%u, blue %u:%u)\n",
          fb.width, fb.height, fb.bpp, fb.pitch, fb.address, fb.red.shift, fb.red.bits,
          fb.green.shift, fb.green.bits, fb.blue.shift, fb.blue.bits);
      if (!kernel::log_use_framebuffer(fb)) {
        kernel::kprintf("Screen: the framebuffer lies above 4 GiB; the kernel log stays on COM1\n");
      }
      break;
    case bm::mb2::ScreenKind::kNone:
      kernel::kprintf("Screen: the boot loader's framebuffer refused (%s); COM1 only\n",
                      bm::error_name(boot_screen.refused));
      break;
  }
  kernel::log_no_text_screen();
}

}  // namespace

extern "C" [[noreturn]] void kernel_main(uint32_t magic, uint32_t info_physical) {
  kernel::log_init();
  kernel::kprintf("BareMetal-OS %s (x86_64 microkernel)%s\n", BM_VERSION,
                  kernel::config::kTestBuild ? " - kernel test image" : "");
  arch::gdt_init();
  arch::idt_init();
  kernel::exceptions_init();
  arch::cpu_local_init();
  arch::fpu_init();
  arch::CpuProtection protection = arch::cpu_protection_init();
  kernel::kprintf("CPU protection: UMIP %s, SMEP %s, SMAP %s\n", protection.umip ? "on" : "off",
                  protection.smep ? "on" : "off", protection.smap ? "on" : "off");

  read_boot_information(magic, info_physical);
  report_boot_screen();
  kernel::physical_memory_init(boot_info, info_physical);
  kernel::print_memory_map(boot_info);
  kernel::kernel_paging_init(boot_cpu_has_nx != 0);
  kernel::kernel_heap_init();

  arch::pic_init();
  arch::pit_init(kernel::config::kTimerHz);
  kernel::scheduler_init();
  arch::syscall_init();
  kernel::start_init(boot_info, boot_screen);
  arch::enable_interrupts();
  kernel::kprintf("Timer: PIT at %u Hz; PIC at vectors %u-%u, only IRQ 0 unmasked\n",
                  arch::pit_frequency_hz(), arch::kIrqBaseVector, arch::kIrqBaseVector + 15);
  // Under QEMU's -icount shift=0 one TSC tick is one guest instruction, so this is the
  // kernel's boot work, and the entry's TSC what the firmware and GRUB did before it
  // (tools/bench reads both).
  kernel::kprintf("Boot work: %lu TSC ticks from kernel entry to ready (entry at TSC %lu)\n",
                  arch::read_tsc() - boot_entry_tsc, boot_entry_tsc);
  kernel::kprintf("BareMetal-OS ready.\n");

  if (kernel::config::kTestBuild) kernel::run_kernel_tests(boot_info.command_line);
  kernel::run_idle_loop();
}
