// The screen the boot gave, as init learns it from InitBootInfo: which kind, and for a
// linear framebuffer its geometry and pixel layout, so a console server can draw into the
// device memory init grants it.
#pragma once

#include <stdint.h>

namespace bm::abi {

enum class BootScreenKind : uint32_t {
  kNone = 0,         // the boot loader's screen was refused (the kernel log says why)
  kVgaText = 1,      // 80x25 text at 0xB8000: the vga server
  kFramebuffer = 2,  // direct-RGB pixels: the fb server
};

// A direct-RGB framebuffer (Multiboot2 spec section 3.6.12, checked by the kernel):
// 16, 24 or 32 bits per pixel, each channel 1-8 bits at `shift` within the pixel.
struct FramebufferGeometry {
  uint64_t physical;  // page aligned
  uint64_t size;      // pitch x height bytes
  uint32_t pitch;     // bytes per row of pixels
  uint32_t width;     // pixels
  uint32_t height;
  uint8_t bits_per_pixel;
  uint8_t red_shift;
  uint8_t red_bits;
  uint8_t green_shift;
  uint8_t green_bits;
  uint8_t blue_shift;
  uint8_t blue_bits;
  uint8_t reserved;
};

}  // namespace bm::abi
