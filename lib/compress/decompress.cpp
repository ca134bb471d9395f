// The BMLZ decoder. Every length is checked against what is left of the input and of the
// output before a byte moves; the fast paths copy whole 8-byte words only where the check
// left room for the word's slack on both sides.
#include "lib/compress/decompress.h"

#include "lib/compress/format.h"

namespace bm::compress {

namespace {

constexpr size_t kWord = 8;
// Literal runs without extension bytes are at most 14: two words cover them.
constexpr size_t kShortLiteralCopy = 2 * kWord;
// The fast path's rooms: the input holds the token, 14 literals (read as 16 bytes) and the
// offset; the output takes 16 bytes of literals, or 14 and a match of 18 copied as 24 bytes.
constexpr size_t kFastInputRoom = 32;
constexpr size_t kFastOutputRoom = 48;
// The room past a match the word-wise copy needs: its two first words, or the last word's
// spill.
constexpr size_t kMatchSlack = 2 * kWord;
// Overlapping matches up to this length are copied byte by byte; longer ones double the
// copied pattern with each memcpy.
constexpr size_t kShortOverlap = 32;

inline void copy_word(uint8_t* to, const uint8_t* from) { __builtin_memcpy(to, from, kWord); }

// Adds the extension bytes at `in` to *length. Fails when the payload ends inside them, or
// as soon as the length passes `limit` (the room left), which also stops a long run of
// 255 bytes from growing it further.
inline DecodeError add_extension(const uint8_t*& in, const uint8_t* in_end, size_t* length,
                                 size_t limit) {
  for (;;) {
    if (in == in_end) return DecodeError::kTruncated;
    uint8_t byte = *in++;
    *length += byte;
    if (*length > limit) return DecodeError::kLengthOverflow;
    if (byte != kExtensionContinues) return DecodeError::kOk;
  }
}

// The rest of a match longer than two words, word by word from the third (offset >= 8).
// Not vectorised: the loop is short, and the vector version's overlap checks and set-up cost
// more than they save on matches of a few dozen bytes.
inline void copy_long_match(uint8_t* to, const uint8_t* from, size_t length) {
#if defined(__clang__)
#pragma clang loop vectorize(disable) interleave(disable)
#endif
  for (size_t done = 2 * kWord; done < length; done += kWord) copy_word(to + done, from + done);
}

// Copies `length` bytes from `from` (before `to`) to `to`, exactly, whatever the distance.
inline void copy_match_exact(uint8_t* to, const uint8_t* from, size_t length) {
  size_t distance = static_cast<size_t>(to - from);
  if (distance >= length) {
    __builtin_memcpy(to, from, length);
  } else if (length <= kShortOverlap) {
    for (size_t i = 0; i < length; ++i) to[i] = from[i];
  } else {
    // [from, to) repeats with period `distance`; so does everything copied from `from`, and
    // each copy doubles the distance, so no copy overlaps itself.
    while (length > 0) {
      size_t chunk = static_cast<size_t>(to - from);
      if (chunk > length) chunk = length;
      __builtin_memcpy(to, from, chunk);
      to += chunk;
      length -= chunk;
    }
  }
}

}  // namespace

const char* decode_error_text(DecodeError error) {
  switch (error) {
    case DecodeError::kOk: return "ok";
    case DecodeError::kTruncatedHeader: return "shorter than its header";
    case DecodeError::kBadMagic: return "no BMLZ magic";
    case DecodeError::kUnsupportedVersion: return "unsupported format version";
    case DecodeError::kOutputTooSmall: return "larger than the output buffer";
    case DecodeError::kTruncated: return "payload cut short";
    case DecodeError::kLengthOverflow: return "a length runs past the recorded size";
    case DecodeError::kZeroOffset: return "match offset 0";
    case DecodeError::kOffsetBeforeStart: return "match before the start of the output";
    case DecodeError::kMatchInLastSequence: return "last sequence has a match length";
    case DecodeError::kSizeMismatch: return "payload shorter than the recorded size";
  }
  return "unknown error";
}

Result<uint64_t, DecodeError> decompressed_size(const uint8_t* input, size_t input_size) {
  if (input_size < kHeaderBytes) return DecodeError::kTruncatedHeader;
  if (!has_magic(input, input_size)) return DecodeError::kBadMagic;
  if (input[kVersionOffset] != kVersion) return DecodeError::kUnsupportedVersion;
  for (size_t i = 0; i < kReservedBytes; ++i) {
    if (input[kReservedOffset + i] != 0) return DecodeError::kUnsupportedVersion;
  }
  return recorded_size(input);
}

Result<size_t, DecodeError> decompress(const uint8_t* input, size_t input_size, uint8_t* output,
                                       size_t output_capacity) {
  auto recorded = decompressed_size(input, input_size);
  if (!recorded.ok()) return recorded.error();
  if (*recorded > output_capacity) return DecodeError::kOutputTooSmall;
  const size_t size = static_cast<size_t>(*recorded);

  const uint8_t* in = input + kHeaderBytes;
  const uint8_t* const in_end = input + input_size;
  uint8_t* out = output;
  uint8_t* const out_end = output + size;
  // Below these the fast path has its rooms (the input and output at the start if too short).
  const uint8_t* const in_fast_end =
      input_size - kHeaderBytes > kFastInputRoom ? in_end - kFastInputRoom : in;
  uint8_t* const out_fast_end = size > kFastOutputRoom ? out_end - kFastOutputRoom : output;
  for (;;) {
    if (in < in_fast_end && out < out_fast_end) {
      // The common sequence, far from both ends: no extension bytes, a match at least a
      // word back. Both rooms make every check below but the offset's unnecessary: the
      // sequence's bytes are all inside the input, and its copies (16 bytes of literals
      // from `out`, 24 of match after at most 14 literals) inside the output.
      const uint8_t token = *in;
      const size_t literals = token >> kLiteralShift;
      const size_t match_code = token & kMatchMask;
      if (literals != kNibbleExtended && match_code != kNibbleExtended) {
        const uint8_t* offset_bytes = in + 1 + literals;
        const size_t offset =
            static_cast<size_t>(offset_bytes[0]) | static_cast<size_t>(offset_bytes[1]) << 8;
        if (offset >= kWord && offset <= static_cast<size_t>(out - output) + literals) {
          copy_word(out, in + 1);
          copy_word(out + kWord, in + 1 + kWord);
          out += literals;
          in = offset_bytes + kOffsetBytes;
          const uint8_t* from = out - offset;
          copy_word(out, from);
          copy_word(out + kWord, from + kWord);
          copy_word(out + 2 * kWord, from + 2 * kWord);
          out += match_code + kMinMatch;
          continue;
        }
      }
    }
    if (in == in_end) return DecodeError::kTruncated;  // a sequence must follow
    const uint8_t token = *in++;

    size_t literals = token >> kLiteralShift;
    if (literals != kNibbleExtended) {
      // The common case: a short run, copied as two words when both sides have room.
      size_t in_left = static_cast<size_t>(in_end - in);
      size_t out_left = static_cast<size_t>(out_end - out);
      if (in_left >= kShortLiteralCopy && out_left >= kShortLiteralCopy) {
        copy_word(out, in);
        copy_word(out + kWord, in + kWord);
      } else {
        if (literals > in_left) return DecodeError::kTruncated;
        if (literals > out_left) return DecodeError::kLengthOverflow;
        if (literals != 0) __builtin_memcpy(out, in, literals);  // `out` may be null if empty
      }
    } else {
      DecodeError error = add_extension(in, in_end, &literals, static_cast<size_t>(out_end - out));
      if (error != DecodeError::kOk) return error;
      if (literals > static_cast<size_t>(in_end - in)) return DecodeError::kTruncated;
      __builtin_memcpy(out, in, literals);
    }
    in += literals;
    out += literals;

    if (in == in_end) {  // the last sequence: literals only
      if ((token & kMatchMask) != 0) return DecodeError::kMatchInLastSequence;
      break;
    }
    if (static_cast<size_t>(in_end - in) < kOffsetBytes) return DecodeError::kTruncated;
    const size_t offset = static_cast<size_t>(in[0]) | static_cast<size_t>(in[1]) << 8;
    in += kOffsetBytes;
    if (offset == 0) return DecodeError::kZeroOffset;
    if (offset > static_cast<size_t>(out - output)) return DecodeError::kOffsetBeforeStart;

    size_t match = token & kMatchMask;
    const size_t out_left = static_cast<size_t>(out_end - out);
    if (match == kNibbleExtended) {
      DecodeError error = add_extension(in, in_end, &match, out_left);
      if (error != DecodeError::kOk) return error;
    }
    match += kMinMatch;
    if (match > out_left) return DecodeError::kLengthOverflow;

    const uint8_t* from = out - offset;
    if (offset >= kWord && out_left >= match + kMatchSlack) {
      // Word by word: each word read lies wholly before the one written (offset >= 8). Two
      // words cover most matches; the last word may spill up to 15 bytes past the match,
      // inside the room checked, and later sequences overwrite the spill.
      copy_word(out, from);
      copy_word(out + kWord, from + kWord);
      if (match > 2 * kWord) copy_long_match(out, from, match);
      out += match;
    } else {
      copy_match_exact(out, from, match);
      out += match;
    }
  }
  if (out != out_end) return DecodeError::kSizeMismatch;
  return size;
}

}  // namespace bm::compress
