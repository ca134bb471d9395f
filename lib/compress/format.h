// The BMLZ byte format: how boot modules are compressed on the ISO (docs/boot.md). An LZ77
// format without entropy coding, so that decoding costs a few instructions per byte under
// QEMU's TCG; GRUB reads fewer sectors and init inflates the modules in ring 3.
//
// Container (all integers little-endian):
//   offset 0   4 bytes  magic "BMLZ" (kMagic)
//   offset 4   1 byte   format version, kVersion
//   offset 5   3 bytes  reserved, zero
//   offset 8   8 bytes  uncompressed size in bytes (u64)
//   offset 16  ...      payload: one or more sequences, up to the end of the container
//
// Sequence:
//   token      1 byte   high nibble: literal count L; low nibble: match length M - kMinMatch
//   [L ext]             if the high nibble is 15: extension bytes, each added to L; one of
//                       255 means another follows, any other value is the last
//   literals   L bytes  copied to the output as they are
//   --- if the payload ends here, this was the last sequence (its low nibble must be 0) ---
//   offset     2 bytes  u16, 1..65535: the match starts this many bytes back in the output
//   [M ext]             if the low nibble is 15: extension bytes as for L, added to M
//   The match copies M = nibble + extensions + kMinMatch bytes from `offset` bytes back; it
//   may overlap the bytes it writes (offset < M repeats a pattern: offset 1 is a run).
//
// The output must come to exactly the size in the header. An empty input is the header and
// the one token 0x00.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::compress {

constexpr uint8_t kMagic[4] = {'B', 'M', 'L', 'Z'};
constexpr uint8_t kVersion = 1;
constexpr size_t kMagicOffset = 0;
constexpr size_t kVersionOffset = 4;
constexpr size_t kReservedOffset = 5;
constexpr size_t kReservedBytes = 3;
constexpr size_t kSizeOffset = 8;
constexpr size_t kHeaderBytes = 16;

constexpr unsigned kLiteralShift = 4;    // L is the token's high nibble
constexpr uint8_t kMatchMask = 0x0f;     // M - kMinMatch is its low nibble
constexpr uint8_t kNibbleExtended = 15;  // this nibble's value continues in extension bytes
constexpr uint8_t kExtensionContinues = 255;
constexpr size_t kOffsetBytes = 2;
constexpr size_t kMinMatch = 4;
constexpr size_t kMaxOffset = 65535;  // the window: 64 KiB less one byte

// True if `data` starts with the magic (says nothing about the rest being valid).
constexpr bool has_magic(const uint8_t* data, size_t size) {
  if (size < sizeof(kMagic)) return false;
  for (size_t i = 0; i < sizeof(kMagic); ++i) {
    if (data[kMagicOffset + i] != kMagic[i]) return false;
  }
  return true;
}

// The uncompressed size the header records; the caller checks has_magic and the size first.
constexpr uint64_t recorded_size(const uint8_t* header) {
  uint64_t size = 0;
  for (size_t i = 0; i < sizeof(uint64_t); ++i) {
    size |= static_cast<uint64_t>(header[kSizeOffset + i]) << (8 * i);
  }
  return size;
}

}  // namespace bm::compress
