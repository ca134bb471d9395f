// The message tag of synchronous IPC, and its checked decoding. A message is
// a label plus up to kMaxMessageWords data words: words 0-3 travel in
// registers (the fast path), the rest in the thread's IPC buffer. A message
// may carry one handle.
#pragma once

#include <stdint.h>

namespace bm::abi {

constexpr uint32_t kRegisterWords = 4;
constexpr uint32_t kMaxMessageWords = 512;  // 4 KiB
// The IPC buffer: one page per thread, mapped in its task. Message words
// 0-3 travel in registers; word i >= 4 lives at words[i - kRegisterWords].
// `handle` holds the handle to send with the next message, and receives the
// handle that came with the last one.
struct IpcBuffer {
  uint64_t handle;
  uint64_t reserved[kRegisterWords - 1];
  uint64_t words[kMaxMessageWords - kRegisterWords];
};
static_assert(sizeof(IpcBuffer) == 4096, "one page");

// Tag layout (one 64-bit register):
//   bits  0-31  label      (meaning defined by the protocol)
//   bits 32-41  word count (0..512)
//   bit  48     a handle is attached
//   bits 42-47 and 49-63 reserved, must be zero
struct MessageTag {
  uint32_t label = 0;
  uint32_t words = 0;
  bool carries_handle = false;
};

constexpr uint64_t kTagWordsShift = 32;
constexpr uint64_t kTagWordsMask = 0x3ffull << kTagWordsShift;
constexpr uint64_t kTagHandleBit = 1ull << 48;
constexpr uint64_t kTagReservedMask = ~(0xffffffffull | kTagWordsMask | kTagHandleBit);

constexpr uint64_t encode_tag(MessageTag tag) {
  return static_cast<uint64_t>(tag.label) |
         (static_cast<uint64_t>(tag.words) << kTagWordsShift) |
         (tag.carries_handle ? kTagHandleBit : 0);
}

// False for a tag with reserved bits set or a word count over the limit.
constexpr bool decode_tag(uint64_t raw, MessageTag* out) {
  if ((raw & kTagReservedMask) != 0) return false;
  uint32_t words = static_cast<uint32_t>((raw & kTagWordsMask) >> kTagWordsShift);
  if (words > kMaxMessageWords) return false;
  *out = MessageTag{static_cast<uint32_t>(raw), words, (raw & kTagHandleBit) != 0};
  return true;
}

}  // namespace bm::abi
