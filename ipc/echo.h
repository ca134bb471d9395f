// The echo protocol: echo answers every call with the message it received
// (label, words, handle), so benchmarks and the fuzzer can use any label.
// One label differs: kReverseLabel comes back with its data words in reverse
// order, so a client can tell a reply the kernel copied from echo's IPC
// buffer apart from its own request still lying in its own buffer.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/message.h"

namespace bm::ipc::echo {

constexpr const char* kServiceName = "echo";
constexpr uint32_t kReverseLabel = 0x72657665;  // "reve"

// Reverses words 0..count-1 in place (words 0-3 in `registers`, the rest in
// `buffer`): what echo does for kReverseLabel.
constexpr void reverse_words(uint64_t* registers, abi::IpcBuffer* buffer, uint32_t count) {
  for (uint32_t low = 0, high = count; low + 1 < high; ++low, --high) {
    uint64_t kept = message_word(registers, buffer, low);
    set_message_word(registers, buffer, low, message_word(registers, buffer, high - 1));
    set_message_word(registers, buffer, high - 1, kept);
  }
}

}  // namespace bm::ipc::echo
