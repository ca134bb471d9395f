// The BMLZ decoder refuses each way a stream can break the format (lib/compress/format.h),
// with the rule broken, and writes nothing outside the recorded size while refusing.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "test/host/compress/codec_helpers.h"

namespace {

using bm::compress::DecodeError;
using compress_test::Bytes;
using compress_test::container;

// Decodes `stream` into a buffer of `capacity` and expects `error`.
void expect_refused(const Bytes& stream, size_t capacity, DecodeError error) {
  auto decoded = compress_test::decode(stream, capacity);
  ASSERT_FALSE(decoded.result.ok());
  EXPECT_EQ(decoded.result.error(), error)
      << "got: " << bm::compress::decode_error_text(decoded.result.error())
      << "; expected: " << bm::compress::decode_error_text(error);
  EXPECT_TRUE(decoded.guards_intact);
}

TEST(DecodeRejects, AHandMadeStreamDecodes) {
  // "abc", then 9 bytes from offset 3 (overlapping): "abcabcabcabc".
  Bytes stream = container(12, {0x35, 'a', 'b', 'c', 0x03, 0x00, 0x00});
  auto decoded = compress_test::decode(stream, 12);
  ASSERT_TRUE(decoded.result.ok()) << bm::compress::decode_error_text(decoded.result.error());
  EXPECT_EQ(std::string(decoded.bytes.begin(), decoded.bytes.end()), "abcabcabcabc");
}

TEST(DecodeRejects, HeaderShorterThan16Bytes) {
  Bytes stream = container(0, {0x00});
  for (size_t size = 0; size < bm::compress::kHeaderBytes; ++size) {
    expect_refused(Bytes(stream.begin(), stream.begin() + size), 64, DecodeError::kTruncatedHeader);
  }
}

TEST(DecodeRejects, BadMagic) {
  Bytes stream = container(1, {0x10, 'x'});
  stream[3] = 'Y';
  expect_refused(stream, 64, DecodeError::kBadMagic);
}

TEST(DecodeRejects, OtherVersionOrReservedBytesSet) {
  Bytes stream = container(1, {0x10, 'x'});
  stream[bm::compress::kVersionOffset] = 2;
  expect_refused(stream, 64, DecodeError::kUnsupportedVersion);
  stream = container(1, {0x10, 'x'});
  stream[bm::compress::kReservedOffset + 2] = 1;
  expect_refused(stream, 64, DecodeError::kUnsupportedVersion);
}

TEST(DecodeRejects, RecordedSizeOverTheOutputBuffer) {
  expect_refused(container(65, {0x10, 'x'}), 64, DecodeError::kOutputTooSmall);
  expect_refused(container(~0ull, {0x10, 'x'}), 64, DecodeError::kOutputTooSmall);
}

TEST(DecodeRejects, NoPayloadAtAll) {
  expect_refused(container(0, {}), 64, DecodeError::kTruncated);
}

TEST(DecodeRejects, LiteralRunPastTheInput) {
  expect_refused(container(5, {0x50, 'a', 'b', 'c'}), 64, DecodeError::kTruncated);
  // Long enough for the extension path: 15 + 10 literals announced, 20 given.
  Bytes payload = {0xf0, 10};
  payload.resize(payload.size() + 20, 'z');
  expect_refused(container(25, payload), 64, DecodeError::kTruncated);
}

TEST(DecodeRejects, LiteralRunPastTheRecordedSize) {
  expect_refused(container(2, {0x30, 'a', 'b', 'c'}), 64, DecodeError::kLengthOverflow);
  Bytes payload = {0xf0, 0};
  payload.resize(payload.size() + 15, 'z');
  expect_refused(container(14, payload), 64, DecodeError::kLengthOverflow);
}

TEST(DecodeRejects, CutInsideLengthExtensions) {
  expect_refused(container(300, {0xf0}), 512, DecodeError::kTruncated);
  expect_refused(container(300, {0xf0, 255}), 512, DecodeError::kTruncated);
  // A match length's extension cut short.
  expect_refused(container(300, {0x1f, 'a', 0x01, 0x00}), 512, DecodeError::kTruncated);
  expect_refused(container(300, {0x1f, 'a', 0x01, 0x00, 255}), 512, DecodeError::kTruncated);
}

TEST(DecodeRejects, ExtensionsThatNeverEndOverflowTheRoom) {
  // 255 after 255: the length passes the recorded size long before the input ends.
  Bytes payload = {0xf0};
  payload.resize(payload.size() + 100000, 255);
  expect_refused(container(1000, payload), 1000, DecodeError::kLengthOverflow);
  Bytes match = {0x1f, 'a', 0x01, 0x00};
  match.resize(match.size() + 100000, 255);
  expect_refused(container(1000, match), 1000, DecodeError::kLengthOverflow);
}

TEST(DecodeRejects, CutInsideAnOffset) {
  expect_refused(container(8, {0x14, 'a', 0x01}), 64, DecodeError::kTruncated);
}

TEST(DecodeRejects, StreamEndingAfterAMatch) {
  // The last sequence must be literals only: after a match a token must follow.
  expect_refused(container(5, {0x10, 'a', 0x01, 0x00}), 64, DecodeError::kTruncated);
}

TEST(DecodeRejects, OffsetZero) {
  expect_refused(container(5, {0x10, 'a', 0x00, 0x00, 0x00}), 64, DecodeError::kZeroOffset);
}

TEST(DecodeRejects, OffsetBeforeTheOutputStart) {
  expect_refused(container(6, {0x20, 'a', 'b', 0x03, 0x00, 0x00}), 64,
                 DecodeError::kOffsetBeforeStart);
  expect_refused(container(6, {0x00, 0x01, 0x00, 0x00}), 64, DecodeError::kOffsetBeforeStart);
  expect_refused(container(70000, {0x10, 'a', 0xff, 0xff, 0x00}), 70000,
                 DecodeError::kOffsetBeforeStart);
}

TEST(DecodeRejects, MatchPastTheRecordedSize) {
  // 1 literal + a 4-byte match = 5 bytes, but the header says 4.
  expect_refused(container(4, {0x10, 'a', 0x01, 0x00, 0x00}), 64, DecodeError::kLengthOverflow);
  // One byte too long (8 literals + 15 + 14 + 4 = 41 of 40), with room in the buffer for the
  // word-wise copy's spill: still refused.
  Bytes payload = {0x8f, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0x08, 0x00, 14};
  expect_refused(container(40, payload), 4096, DecodeError::kLengthOverflow);
}

TEST(DecodeRejects, LastTokenWithAMatchLength) {
  expect_refused(container(1, {0x13, 'a'}), 64, DecodeError::kMatchInLastSequence);
}

TEST(DecodeRejects, PayloadShorterThanTheRecordedSize) {
  expect_refused(container(10, {0x30, 'a', 'b', 'c'}), 64, DecodeError::kSizeMismatch);
}

TEST(DecodeRejects, EveryErrorHasItsOwnText) {
  std::set<std::string> texts;
  for (int error = 0; error <= static_cast<int>(DecodeError::kSizeMismatch); ++error) {
    texts.insert(bm::compress::decode_error_text(static_cast<DecodeError>(error)));
  }
  EXPECT_EQ(texts.size(), static_cast<size_t>(DecodeError::kSizeMismatch) + 1);
  EXPECT_EQ(texts.count("unknown error"), 0u);
}

}  // namespace
