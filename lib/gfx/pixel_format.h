// How a framebuffer stores one pixel: 2, 3 or 4 bytes, little-endian, with each colour
// channel at its own bit position (Multiboot2 spec section 3.6.12, direct RGB; UEFI GOP
// modes are 32-bit with red at bit 16, PixelBlueGreenRedReserved8BitPerColor).
#pragma once

#include <stdint.h>

namespace bm::gfx {

struct Channel {
  uint8_t shift;
  uint8_t bits;  // 1..8
};

struct PixelFormat {
  uint8_t bytes_per_pixel;  // 2, 3 or 4
  Channel red;
  Channel green;
  Channel blue;
};

// An 8-bit-per-channel colour as the framebuffer stores it: each channel keeps its top bits.
constexpr uint32_t pack_pixel(const PixelFormat& format, uint8_t red, uint8_t green, uint8_t blue) {
  auto place = [](Channel channel, uint8_t value) {
    return static_cast<uint32_t>(value >> (8 - channel.bits)) << channel.shift;
  };
  return place(format.red, red) | place(format.green, green) | place(format.blue, blue);
}

}  // namespace bm::gfx
