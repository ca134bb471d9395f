// Service names in IPC messages: up to 31 bytes, packed into the four
// register words so a lookup needs no IPC buffer.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::ipc {

constexpr size_t kMaxNameLength = 31;
// The words a name travels in.
constexpr uint32_t kNameWords = 4;

// False (and nothing written) for an empty name or one longer than
// kMaxNameLength. Unused bytes are zero.
constexpr bool pack_name(const char* name, uint64_t words[4]) {
  size_t length = 0;
  while (name[length] != '\0') {
    if (++length > kMaxNameLength) return false;
  }
  if (length == 0) return false;
  for (int i = 0; i < 4; ++i) words[i] = 0;
  for (size_t i = 0; i < length; ++i) {
    words[i / 8] |= static_cast<uint64_t>(static_cast<uint8_t>(name[i])) << (8 * (i % 8));
  }
  return true;
}

// Writes a NUL-terminated name into out[kMaxNameLength + 1]. False for a
// malformed name: empty, no terminating zero in the 32 bytes, a zero
// followed by non-zero bytes, or a byte outside printable ASCII.
constexpr bool unpack_name(const uint64_t words[4], char out[kMaxNameLength + 1]) {
  size_t length = 0;
  bool ended = false;
  for (size_t i = 0; i < 32; ++i) {
    char c = static_cast<char>((words[i / 8] >> (8 * (i % 8))) & 0xff);
    if (c == '\0') {
      ended = true;
      continue;
    }
    if (ended || c < 0x21 || c > 0x7e) return false;
    if (i >= kMaxNameLength) return false;
    out[length++] = c;
  }
  if (length == 0) return false;
  out[length] = '\0';
  return true;
}

}  // namespace bm::ipc
