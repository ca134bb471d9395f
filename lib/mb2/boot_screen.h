// Which screen the boot loader left the kernel: VGA text, a linear framebuffer, or none it
// can use (and why). One decision from the Multiboot2 block, shared by the kernel's log
// writer and by what it grants init.
#pragma once

#include "lib/core/error.h"
#include "lib/mb2/framebuffer.h"
#include "lib/mb2/multiboot2.h"

namespace bm::mb2 {

// The EGA/VGA colour text buffer (IBM VGA Technical Reference, memory map: B8000h-BFFFFh).
constexpr uint64_t kVgaTextAddress = 0xb8000;

enum class ScreenKind {
  kVgaText,      // 80x25 text at 0xB8000 (GRUB's EGA-text tag, or no tag at all on a PC)
  kFramebuffer,  // direct RGB pixels; BootScreen::framebuffer says where and how
  kNone,         // a framebuffer tag we refused: BootScreen::refused says why
};

struct BootScreen {
  ScreenKind kind;
  Framebuffer framebuffer;  // kFramebuffer (and kVgaText from a tag): the tag's description
  Error refused;            // kNone: why the tag was refused; kOk otherwise
};

// No tag keeps the PC's text screen, as before boot loaders reported one. A tag that failed
// parse_framebuffer, EGA text anywhere but 0xB8000, and pixels that overlap RAM the memory
// map calls usable (the kernel would hand the same frames out twice) are refused.
BootScreen choose_boot_screen(const BootInfo& info);

}  // namespace bm::mb2
