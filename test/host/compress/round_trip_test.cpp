// BMLZ round trips (lib/compress): what the encoder writes decodes to the input, for every
// kind and size of input the boot modules have and the edges of the format.
#include <gtest/gtest.h>

#include "test/host/compress/codec_helpers.h"

namespace {

using compress_test::Bytes;
using compress_test::compress_bytes;
using compress_test::decode;

// Compresses, checks the bound, decodes into a buffer of exactly the size and compares.
void expect_round_trip(const Bytes& input) {
  Bytes stream = compress_bytes(input);
  ASSERT_FALSE(stream.empty()) << "the encoder failed for " << input.size() << " bytes";
  EXPECT_LE(stream.size(), bm::compress::compressed_bound(input.size()));
  auto decoded = decode(stream, input.size());
  ASSERT_TRUE(decoded.result.ok())
      << input.size() << " bytes: " << bm::compress::decode_error_text(decoded.result.error());
  EXPECT_EQ(*decoded.result, input.size());
  EXPECT_TRUE(decoded.bytes == input) << input.size() << " bytes decode differently";
  EXPECT_TRUE(decoded.guards_intact);
}

TEST(CompressRoundTrip, Empty) {
  Bytes stream = compress_bytes({});
  // The header and the one token 0x00 (format.h).
  EXPECT_EQ(stream, compress_test::container(0, {0x00}));
  expect_round_trip({});
  auto decoded = bm::compress::decompress(stream.data(), stream.size(), nullptr, 0);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, 0u);
}

TEST(CompressRoundTrip, OneByte) {
  expect_round_trip({0x42});
  EXPECT_EQ(compress_bytes({0x42}), compress_test::container(1, {0x10, 0x42}));
}

TEST(CompressRoundTrip, AllTheSameByteBecomesOneLongMatch) {
  Bytes input(100000, 'x');
  expect_round_trip(input);
  // One literal and a match at offset 1: the header, a few bytes and the extension run.
  EXPECT_LT(compress_bytes(input).size(), 16 + 8 + 100000 / 255 + 2);
}

TEST(CompressRoundTrip, RandomBytesStayWithinTheBound) {
  for (size_t size : {1000u, 65536u, 1u << 20}) {
    Bytes input = compress_test::random_bytes(size, static_cast<uint32_t>(size));
    expect_round_trip(input);
  }
}

TEST(CompressRoundTrip, TextShrinks) {
  Bytes input = compress_test::text_bytes(200000, 7);
  expect_round_trip(input);
  EXPECT_LT(compress_bytes(input).size() * 2, input.size());
}

TEST(CompressRoundTrip, ElfLikeDataShrinks) {
  Bytes input = compress_test::elf_like_bytes(300000, 11);
  expect_round_trip(input);
  EXPECT_LT(compress_bytes(input).size() * 3, input.size() * 2);
}

TEST(CompressRoundTrip, ThisTestProgramsOwnElf) {
  FILE* file = fopen("/proc/self/exe", "rb");
  ASSERT_NE(file, nullptr);
  Bytes input(1 << 20);
  input.resize(fread(input.data(), 1, input.size(), file));
  fclose(file);
  ASSERT_GT(input.size(), 4096u);
  expect_round_trip(input);
}

TEST(CompressRoundTrip, EveryLengthUpTo300) {
  for (size_t size = 0; size <= 300; ++size) {
    SCOPED_TRACE(size);
    expect_round_trip(compress_test::random_bytes(size, static_cast<uint32_t>(size)));
    expect_round_trip(Bytes(size, 0));
    expect_round_trip(compress_test::text_bytes(size, static_cast<uint32_t>(size)));
  }
}

// Patterns of every period from 1 to 40 repeat through overlapping matches (offset < length),
// at lengths on both sides of the decoder's word and short-copy thresholds.
TEST(CompressRoundTrip, OverlappingMatchesOfEveryShortPeriod) {
  for (size_t period = 1; period <= 40; ++period) {
    Bytes unit = compress_test::random_bytes(period, static_cast<uint32_t>(period));
    for (size_t size : {period + 4, period + 15, period + 16, period + 33, period + 1000}) {
      Bytes input;
      while (input.size() < size) input.push_back(unit[input.size() % period]);
      SCOPED_TRACE(size);
      expect_round_trip(input);
    }
  }
}

TEST(CompressRoundTrip, SizesAroundTheWindow) {
  for (size_t size : {65534u, 65535u, 65536u, 65537u, 131071u, 131072u, 131073u}) {
    SCOPED_TRACE(size);
    expect_round_trip(compress_test::random_bytes(size, static_cast<uint32_t>(size)));
    expect_round_trip(compress_test::elf_like_bytes(size, static_cast<uint32_t>(size)));
  }
}

// A random block repeated at distance exactly 65535 is found (the window's last byte); at
// 65536 it is out of reach and stays literals.
TEST(CompressRoundTrip, MatchesReachBackExactlyToTheWindowEdge) {
  Bytes block = compress_test::random_bytes(bm::compress::kMaxOffset, 1);
  Bytes reachable = block;
  reachable.insert(reachable.end(), block.begin(), block.begin() + 4096);
  expect_round_trip(reachable);
  EXPECT_LT(compress_bytes(reachable).size(), block.size() + block.size() / 255 + 64);

  Bytes beyond = compress_test::random_bytes(bm::compress::kMaxOffset + 1, 1);
  Bytes far = beyond;
  far.insert(far.end(), beyond.begin(), beyond.begin() + 4096);
  expect_round_trip(far);
  EXPECT_GT(compress_bytes(far).size(), far.size());
}

TEST(CompressRoundTrip, DecodesIntoALargerBufferWithoutTouchingTheRest) {
  Bytes input = compress_test::text_bytes(5000, 3);
  auto decoded = decode(compress_bytes(input), input.size() + 1000);
  ASSERT_TRUE(decoded.result.ok());
  EXPECT_EQ(*decoded.result, input.size());
  EXPECT_TRUE(decoded.bytes == input);
  EXPECT_TRUE(decoded.guards_intact);  // nothing written past the recorded size
}

TEST(CompressEncoder, RefusesTooSmallOutputAndWorkspace) {
  Bytes input = compress_test::random_bytes(1000, 5);
  auto workspace = std::make_unique<uint8_t[]>(bm::compress::kEncoderWorkspaceBytes);
  Bytes output(bm::compress::compressed_bound(input.size()));
  auto small = bm::compress::compress(input.data(), input.size(), output.data(), 500,
                                      workspace.get(), bm::compress::kEncoderWorkspaceBytes);
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error(), bm::compress::EncodeError::kOutputTooSmall);
  auto no_room = bm::compress::compress(input.data(), input.size(), output.data(), output.size(),
                                        workspace.get(), 1024);
  ASSERT_FALSE(no_room.ok());
  EXPECT_EQ(no_room.error(), bm::compress::EncodeError::kWorkspaceTooSmall);
  // The bound is enough: exactly that much room works.
  auto fits = bm::compress::compress(input.data(), input.size(), output.data(), output.size(),
                                     workspace.get(), bm::compress::kEncoderWorkspaceBytes);
  EXPECT_TRUE(fits.ok());
}

}  // namespace
