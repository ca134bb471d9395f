// How a handle value names a slot of a task's handle table: (generation << 16) | index.
// The table issues handles; this header only packs and unpacks them.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"

namespace bm {

constexpr uint32_t kHandleIndexBits = 16;
constexpr uint32_t kHandleIndexMask = (1u << kHandleIndexBits) - 1;
// Generations run 1..kMaxHandleGeneration; 0 is never issued, so no value below 0x10000 (in
// particular abi::kInvalidHandleValue, or a small integer passed by mistake) is ever a handle.
constexpr uint16_t kFirstHandleGeneration = 1;
constexpr uint16_t kMaxHandleGeneration = 0xffff;

constexpr abi::Handle make_handle(uint16_t generation, uint16_t index) {
  return (static_cast<abi::Handle>(generation) << kHandleIndexBits) | index;
}
constexpr uint16_t handle_index(abi::Handle handle) {
  return static_cast<uint16_t>(handle & kHandleIndexMask);
}
constexpr uint16_t handle_generation(abi::Handle handle) {
  return static_cast<uint16_t>(handle >> kHandleIndexBits);
}

// The generation a slot takes when its handle is closed: 65535 wraps to 1, skipping 0.
constexpr uint16_t next_handle_generation(uint16_t generation) {
  return generation >= kMaxHandleGeneration ? kFirstHandleGeneration
                                            : static_cast<uint16_t>(generation + 1);
}

}  // namespace bm
