// Little-endian loads with byte reads: the Multiboot2 block may sit at any alignment, and a
// byte load is well-defined wherever it is.
#pragma once

#include <stdint.h>

namespace bm::mb2 {

inline uint32_t load_u32(const uint8_t* bytes) {
  return static_cast<uint32_t>(bytes[0]) | static_cast<uint32_t>(bytes[1]) << 8 |
         static_cast<uint32_t>(bytes[2]) << 16 | static_cast<uint32_t>(bytes[3]) << 24;
}

inline uint64_t load_u64(const uint8_t* bytes) {
  return static_cast<uint64_t>(load_u32(bytes)) | static_cast<uint64_t>(load_u32(bytes + 4)) << 32;
}

}  // namespace bm::mb2
