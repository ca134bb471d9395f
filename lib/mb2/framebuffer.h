// The Multiboot2 framebuffer info tag (Multiboot2 spec 2.0, section 3.6.12), read into a
// description the kernel can hand on: where the screen is, its geometry and pixel layout.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"

namespace bm::mb2 {

constexpr uint32_t kTagFramebuffer = 8;

// framebuffer_type (section 3.6.12): 0 indexed colour, 1 direct RGB, 2 EGA text.
enum class FramebufferKind : uint8_t {
  kIndexed = 0,
  kRgb = 1,
  kEgaText = 2,
};

// One colour channel of a direct-RGB pixel: `bits` wide, starting `shift` bits up.
struct ColourField {
  uint8_t shift;
  uint8_t bits;
};

// A framebuffer the kernel can describe: direct RGB at 16, 24 or 32 bits per pixel with
// channels of 1-8 bits, or EGA text (width x height character cells, 2 bytes each).
struct Framebuffer {
  uint64_t address;  // physical, page aligned
  uint32_t pitch;    // bytes from one row (of pixels, or of text cells) to the next
  uint32_t width;    // pixels, or text columns
  uint32_t height;   // pixels, or text rows
  uint8_t bpp;
  FramebufferKind kind;
  ColourField red;  // kRgb only; zero otherwise
  ColourField green;
  ColourField blue;

  uint64_t size_bytes() const { return static_cast<uint64_t>(pitch) * height; }
};

// The highest physical address bit x86-64 allows (Intel SDM vol. 3A section 4.1.4,
// MAXPHYADDR is at most 52): a framebuffer must end below it.
constexpr uint64_t kPhysicalAddressLimit = uint64_t{1} << 52;

// Reads one framebuffer tag of `size` bytes (its header included); nothing past `size` is
// read. Errors:
//   kTruncated    the tag is shorter than its fixed part, or than its colour info
//   kUnsupported  indexed colour, an unknown type, a bpp other than 16/24/32 for RGB (16
//                 for text), a channel wider than 8 bits or empty
//   kMalformed    zero width or height, a pitch shorter than a row, a channel outside the
//                 pixel or overlapping another, a text pitch other than 2 x width
//   kNotAligned   the address is not page aligned
//   kOutOfRange   the buffer wraps or ends past kPhysicalAddressLimit
Result<Framebuffer> parse_framebuffer(const uint8_t* tag, size_t size);

}  // namespace bm::mb2
