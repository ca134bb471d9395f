// The BMLZ decoder fed random and damaged streams: it may refuse them (it nearly always does),
// but it never reads outside the input (ASan), never writes outside the output or past the
// recorded size (guard bytes), and never claims more bytes than the buffer holds.
#include <gtest/gtest.h>

#include <random>

#include "test/host/compress/codec_helpers.h"

namespace {

using compress_test::Bytes;

constexpr int kRandomStreams = 10000;
constexpr int kMutatedStreams = 10000;

// Decodes and checks the promises that hold whatever the input; counts successes.
void decode_and_check(const Bytes& stream, size_t capacity, int* decoded_ok) {
  auto decoded = compress_test::decode(stream, capacity);
  ASSERT_TRUE(decoded.guards_intact)
      << "a write outside the output, stream of " << stream.size() << " bytes";
  if (decoded.result.ok()) {
    ASSERT_LE(*decoded.result, capacity);
    ++*decoded_ok;
  }
}

// A real stream: stripped-ELF-like bytes followed by text, about 4 KiB compressed.
Bytes real_stream(Bytes* original) {
  *original = compress_test::elf_like_bytes(8000, 99);
  Bytes text = compress_test::text_bytes(4000, 98);
  original->insert(original->end(), text.begin(), text.end());
  return compress_test::compress_bytes(*original);
}

TEST(DecodeFuzz, RandomStreamsWithAndWithoutAValidHeader) {
  std::mt19937 generator(2026);
  int decoded_ok = 0;
  for (int i = 0; i < kRandomStreams; ++i) {
    size_t payload_size = generator() % 600;
    Bytes payload = compress_test::random_bytes(payload_size, generator());
    // Small recorded sizes and dense low tokens make more streams get deep into the decoder.
    if (i % 3 == 0) {
      for (auto& byte : payload) byte &= 0x3f;
    }
    uint64_t recorded = generator() % 4096;
    Bytes stream = i % 2 == 0 ? compress_test::container(recorded, payload) : payload;
    size_t capacity = i % 4 < 2 ? recorded : generator() % 4096;
    decode_and_check(stream, capacity, &decoded_ok);
    if (HasFatalFailure()) return;
  }
  RecordProperty("decoded_ok", decoded_ok);
}

TEST(DecodeFuzz, MutatedRealStreams) {
  Bytes original;
  Bytes stream = real_stream(&original);
  ASSERT_GT(stream.size(), 1000u);
  std::mt19937 generator(12);
  int decoded_ok = 0;
  for (int i = 0; i < kMutatedStreams; ++i) {
    Bytes mutated = stream;
    int changes = 1 + static_cast<int>(generator() % 8);
    for (int c = 0; c < changes; ++c) {
      size_t at = generator() % mutated.size();
      // A bit flip, a byte replaced, a byte dropped or a byte added.
      uint32_t kind = generator() % 4;
      if (kind == 0) {
        mutated[at] ^= static_cast<uint8_t>(1u << (generator() % 8));
      } else if (kind == 1) {
        mutated[at] = static_cast<uint8_t>(generator());
      } else if (kind == 2) {
        mutated.erase(mutated.begin() + static_cast<long>(at));
      } else {
        mutated.insert(mutated.begin() + static_cast<long>(at), static_cast<uint8_t>(generator()));
      }
      if (mutated.empty()) mutated.push_back(0);
    }
    size_t capacity = original.size() + (i % 2 == 0 ? 0 : generator() % 256);
    decode_and_check(mutated, capacity, &decoded_ok);
    if (HasFatalFailure()) return;
  }
  RecordProperty("decoded_ok", decoded_ok);
}

TEST(DecodeFuzz, EveryTruncationOfARealStreamIsRefused) {
  Bytes original;
  Bytes stream = real_stream(&original);
  for (size_t cut = 0; cut < stream.size(); ++cut) {
    Bytes prefix(stream.begin(), stream.begin() + static_cast<long>(cut));
    auto decoded = compress_test::decode(prefix, original.size());
    ASSERT_TRUE(decoded.guards_intact) << "cut at " << cut;
    ASSERT_FALSE(decoded.result.ok())
        << "a stream cut at " << cut << " of " << stream.size() << " bytes decoded";
  }
  auto whole = compress_test::decode(stream, original.size());
  ASSERT_TRUE(whole.result.ok());
  EXPECT_TRUE(whole.bytes == original);
}

// Every single-bit flip of a small stream: refused or decoded, never an overrun.
TEST(DecodeFuzz, EverySingleBitFlipOfASmallStream) {
  Bytes original = compress_test::text_bytes(600, 4);
  Bytes stream = compress_test::compress_bytes(original);
  int decoded_ok = 0;
  for (size_t bit = 0; bit < stream.size() * 8; ++bit) {
    Bytes flipped = stream;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    decode_and_check(flipped, original.size() + 64, &decoded_ok);
    if (HasFatalFailure()) return;
  }
  RecordProperty("decoded_ok", decoded_ok);
}

}  // namespace
