// How init describes a framebuffer grant (GrantKind::kFramebuffer in ipc/bootstrap.h): the
// geometry and pixel layout packed into the grant's two detail words, so the fb server
// learns everything it needs with the handle, in one kGetGrant reply.
#pragma once

#include <stdint.h>

#include "lib/abi/boot_screen.h"

namespace bm::ipc {

// detail = pitch (bits 0-31) | width (32-47) | height (48-63)
// count  = bits per pixel (0-7) | red shift, red bits, green shift, green bits, blue shift,
//          blue bits (one byte each, bits 8-55)
struct FramebufferGrantWords {
  uint64_t detail;
  uint64_t count;
};

constexpr uint32_t kMaxGrantedDimension = 0xffff;  // width and height have 16 bits each

// False when the width or height does not fit its 16 bits (init then refuses the grant).
constexpr bool encode_framebuffer_grant(const abi::FramebufferGeometry& g,
                                        FramebufferGrantWords* out) {
  if (g.width > kMaxGrantedDimension || g.height > kMaxGrantedDimension) return false;
  out->detail = uint64_t{g.pitch} | uint64_t{g.width} << 32 | uint64_t{g.height} << 48;
  out->count = uint64_t{g.bits_per_pixel} | uint64_t{g.red_shift} << 8 |
               uint64_t{g.red_bits} << 16 | uint64_t{g.green_shift} << 24 |
               uint64_t{g.green_bits} << 32 | uint64_t{g.blue_shift} << 40 |
               uint64_t{g.blue_bits} << 48;
  return true;
}

// The geometry without physical address and size (the server maps the handle it got, and
// checks these values before it draws: a grant is input from outside).
constexpr abi::FramebufferGeometry decode_framebuffer_grant(FramebufferGrantWords words) {
  abi::FramebufferGeometry g{};
  g.pitch = static_cast<uint32_t>(words.detail);
  g.width = static_cast<uint32_t>(words.detail >> 32 & 0xffff);
  g.height = static_cast<uint32_t>(words.detail >> 48 & 0xffff);
  g.bits_per_pixel = static_cast<uint8_t>(words.count);
  g.red_shift = static_cast<uint8_t>(words.count >> 8);
  g.red_bits = static_cast<uint8_t>(words.count >> 16);
  g.green_shift = static_cast<uint8_t>(words.count >> 24);
  g.green_bits = static_cast<uint8_t>(words.count >> 32);
  g.blue_shift = static_cast<uint8_t>(words.count >> 40);
  g.blue_bits = static_cast<uint8_t>(words.count >> 48);
  g.size = uint64_t{g.pitch} * g.height;
  return g;
}

}  // namespace bm::ipc
