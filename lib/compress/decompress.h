// The BMLZ decoder (lib/compress/format.h). Safe against hostile input: it reads only inside
// the input, writes only inside output[0, the header's size), and answers any stream that
// breaks the format with the first rule it breaks. No allocation.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"

namespace bm::compress {

enum class DecodeError : int32_t {
  kOk = 0,
  kTruncatedHeader,      // shorter than the container header
  kBadMagic,             // does not start with "BMLZ"
  kUnsupportedVersion,   // a version this decoder does not know, or reserved bytes set
  kOutputTooSmall,       // the header's size exceeds the output buffer
  kTruncated,            // the payload ends inside a token, an extension, literals or an offset
  kLengthOverflow,       // a literal or match length runs past the header's size
  kZeroOffset,           // a match offset of 0
  kOffsetBeforeStart,    // a match reaching back before the first output byte
  kMatchInLastSequence,  // the last token has a match length but no match follows
  kSizeMismatch,         // the payload ended before producing the header's size
};

const char* decode_error_text(DecodeError error);

// Decodes the container `input` (input_size bytes) into `output`. Returns the uncompressed
// size (the header's), or the error. On an error, output[0, capacity) may hold partial data,
// but nothing outside it was written.
Result<size_t, DecodeError> decompress(const uint8_t* input, size_t input_size, uint8_t* output,
                                       size_t output_capacity);

// The uncompressed size a container claims, after checking its header (magic, version,
// reserved bytes); what to allocate before decompress. It does not decode the payload.
Result<uint64_t, DecodeError> decompressed_size(const uint8_t* input, size_t input_size);

}  // namespace bm::compress
