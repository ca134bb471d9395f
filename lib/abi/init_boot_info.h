// What the kernel hands init: every resource it may delegate, as handles in
// init's table, described by this read-only page mapped at
// kInitBootInfoAddress. init's main receives that address as its argument.
#pragma once

#include <stdint.h>

#include "lib/abi/boot_screen.h"
#include "lib/abi/syscalls.h"

namespace bm::abi {

// High in the user half, far from code (4 MiB up) and stacks (just below 128 TiB).
constexpr uint64_t kInitBootInfoAddress = 0x0000700000000000;
constexpr uint32_t kInitBootInfoMagic = 0x42494e49;  // "INIB"
constexpr uint32_t kMaxBootModules = 16;
constexpr uint32_t kIrqLineCount = 16;
constexpr uint32_t kModuleNameLength = 24;

struct InitBootModule {
  Handle image;                   // memory (read, map, grant): the file, e.g. for user::load_program
  uint32_t reserved;
  uint64_t size;                  // bytes
  char name[kModuleNameLength];   // the GRUB module2 argument, NUL-terminated
};

struct InitBootInfo {
  uint32_t magic;
  uint32_t module_count;
  Handle io_ports;                // io-port range 0..65535 (manage, grant)
  Handle vga_text;                // device memory 0xB8000, 32 KiB (read, write, map, grant)
  Handle irqs[kIrqLineCount];     // irq (manage, grant); 0 for the timer and the cascade
  Handle power;                   // power control (manage, no grant): for system_power
  uint32_t reserved;
  InitBootModule modules[kMaxBootModules];
  BootScreenKind screen;          // what the boot loader left on the screen
  Handle framebuffer;             // device memory (read, write, map, grant) when screen is
                                  // kFramebuffer; 0 otherwise
  FramebufferGeometry framebuffer_geometry;  // zero unless screen is kFramebuffer
};

}  // namespace bm::abi
