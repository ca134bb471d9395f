// The message tag of synchronous IPC, and its checked decoding. A message is
// a label plus up to kMaxMessageWords data words: words 0-3 travel in
// registers (the fast path), the rest in the thread's IPC buffer. A message
// may carry one handle.
#pragma once

#include <stdint.h>

#include "lib/core/page_size.h"

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
static_assert(sizeof(IpcBuffer) == kPageSize, "one page");

// Tag layout (one 64-bit register):
//   bits  0-31  label      (meaning defined by the protocol)
//   bits 32-41  word count (0..512)
//   bit  48     a handle is attached
//   bits 42-47 and 49-62 reserved, must be zero
//   bit  63     send option: do not block (not delivered)
struct MessageTag {
  uint32_t label = 0;
  uint32_t words = 0;
  bool carries_handle = false;
  bool non_blocking = false;  // a send option, see kTagNonBlockingBit
};

constexpr uint64_t kTagWordsShift = 32;
constexpr uint64_t kTagWordsMask = 0x3ffull << kTagWordsShift;
constexpr uint64_t kTagHandleBit = 1ull << 48;
// Send options travel in the top bit of the tag register and are not part
// of the delivered message: with it, send and call fail with kWouldBlock
// instead of waiting for a receiver.
constexpr uint64_t kTagNonBlockingBit = 1ull << 63;
constexpr uint64_t kTagReservedMask =
    ~(0xffffffffull | kTagWordsMask | kTagHandleBit | kTagNonBlockingBit);

constexpr uint64_t encode_tag(MessageTag tag) {
  return static_cast<uint64_t>(tag.label) |
         (static_cast<uint64_t>(tag.words) << kTagWordsShift) |
         (tag.carries_handle ? kTagHandleBit : 0) | (tag.non_blocking ? kTagNonBlockingBit : 0);
}

// False for a tag with reserved bits set or a word count over the limit.
constexpr bool decode_tag(uint64_t raw, MessageTag* out) {
  if ((raw & kTagReservedMask) != 0) return false;
  uint32_t words = static_cast<uint32_t>((raw & kTagWordsMask) >> kTagWordsShift);
  if (words > kMaxMessageWords) return false;
  *out = MessageTag{static_cast<uint32_t>(raw), words, (raw & kTagHandleBit) != 0,
                    (raw & kTagNonBlockingBit) != 0};
  return true;
}

// Labels the kernel itself sends. Protocols use labels below 0xffff0000.
constexpr uint32_t kKernelLabelBase = 0xffff0000;
// A thread faulted. Words: (task id << 32) | thread id, (vector << 32) |
// error code, rip, cr2. The badge is the one the supervisor gave the task.
// The supervisor's reply decides: label kFaultReplyResume retries the
// faulting instruction, anything else kills the task.
constexpr uint32_t kFaultLabel = kKernelLabelBase + 1;
constexpr uint32_t kFaultReplyResume = kKernelLabelBase + 2;
constexpr uint32_t kFaultReplyKill = kKernelLabelBase + 3;

// A tag the IPC fast path can carry (kernel/ipc/fast_path.h): words only
// (at most kMaxMessageWords), no handle, no send options, a protocol's own
// label.
constexpr bool is_plain_message(uint64_t raw) {
  constexpr uint64_t kPlainBits = 0xffffffffull | kTagWordsMask;
  return (raw & ~kPlainBits) == 0 && (raw >> kTagWordsShift) <= kMaxMessageWords &&
         static_cast<uint32_t>(raw) < kKernelLabelBase;
}

}  // namespace bm::abi
