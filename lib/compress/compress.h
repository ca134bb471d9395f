// The BMLZ encoder (lib/compress/format.h): greedy matching through hash chains of 4-byte
// prefixes over a 64 KiB window, taking matches of kEncoderMinMatch bytes or more. It
// allocates nothing: the caller gives the output buffer and the hash table's workspace, so
// the same code runs in the build's tool and in host tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/compress/format.h"
#include "lib/core/result.h"

namespace bm::compress {

constexpr unsigned kHashBits = 16;
// The shortest match the encoder takes, one more than the format allows: a 4-byte match saves
// a byte at most and ends the literal run or match around it, so on the boot modules taking
// them gave a larger output with half again as many sequences (each costs the decoder the
// same tens of instructions, whatever its length). docs/boot.md has the figures.
constexpr size_t kEncoderMinMatch = kMinMatch + 1;
// How many earlier positions with the same hash the encoder compares, nearest first: 64 made
// the boot modules 8% smaller than the nearest alone (docs/boot.md), at no cost to decoding.
constexpr size_t kMatchSearchDepth = 64;
// The workspace compress() needs: a 32-bit position per hash slot and per window position.
constexpr size_t kEncoderWorkspaceBytes =
    ((size_t{1} << kHashBits) + kMaxOffset + 1) * sizeof(uint32_t);
// Positions are stored in 32 bits, so inputs stay below 4 GiB.
constexpr uint64_t kMaxEncodeInput = 0xffffffffull;

enum class EncodeError : int32_t {
  kOk = 0,
  kInputTooLarge,      // over kMaxEncodeInput
  kWorkspaceTooSmall,  // under kEncoderWorkspaceBytes
  kOutputTooSmall,     // less room than the output needed (compressed_bound() always suffices)
};

const char* encode_error_text(EncodeError error);

// The most bytes compress() can write for `input_size` bytes of input: the header, the input
// as literals, and one length extension byte per 255 of them plus slack for tokens.
constexpr size_t compressed_bound(size_t input_size) {
  return kHeaderBytes + input_size + input_size / 255 + 16;
}

// Compresses `input` into the container at `output`; returns the bytes written.
// `workspace` (kEncoderWorkspaceBytes, any alignment) is scratch, overwritten.
Result<size_t, EncodeError> compress(const uint8_t* input, size_t input_size, uint8_t* output,
                                     size_t output_capacity, void* workspace,
                                     size_t workspace_size);

}  // namespace bm::compress
