// Host tests for the IPC message tag: encode/decode round trips at the edges of every field,
// and decode's refusal of over-long word counts and reserved bits.
#include "lib/abi/message.h"

#include <gtest/gtest.h>

#include <vector>

namespace bm::abi {
namespace {

// decode_tag is constexpr: a round trip must work at compile time too.
constexpr bool round_trips_at_compile_time() {
  MessageTag out;
  return decode_tag(encode_tag({0xffffffffu, kMaxMessageWords, true}), &out) &&
         out.label == 0xffffffffu && out.words == kMaxMessageWords && out.carries_handle;
}
static_assert(round_trips_at_compile_time());

constexpr MessageTag kSentinel{0x5a5a5a5a, 77, true};

void expect_untouched(const MessageTag& tag) {
  EXPECT_EQ(tag.label, kSentinel.label);
  EXPECT_EQ(tag.words, kSentinel.words);
  EXPECT_EQ(tag.carries_handle, kSentinel.carries_handle);
}

TEST(MessageTag, RoundTripsEveryFieldAtItsEdges) {
  const std::vector<uint32_t> labels = {0, 1, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};
  const std::vector<uint32_t> word_counts = {0, 1, 4, 5, 511, 512};
  int checked = 0;
  for (uint32_t label : labels) {
    for (uint32_t words : word_counts) {
      for (bool carries_handle : {false, true}) {
        SCOPED_TRACE(testing::Message() << label << " " << words << " " << carries_handle);
        const uint64_t raw = encode_tag({label, words, carries_handle});
        MessageTag out = kSentinel;
        ASSERT_TRUE(decode_tag(raw, &out));
        EXPECT_EQ(out.label, label);
        EXPECT_EQ(out.words, words);
        EXPECT_EQ(out.carries_handle, carries_handle);
        // And back again to the same register value.
        EXPECT_EQ(encode_tag(out), raw);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 72);
}

TEST(MessageTag, EncodesTheDocumentedLayout) {
  EXPECT_EQ(encode_tag({}), 0u);
  EXPECT_EQ(encode_tag({0x12345678u, 0, false}), 0x12345678u);
  EXPECT_EQ(encode_tag({0, 1, false}), 1ull << 32);
  EXPECT_EQ(encode_tag({0, 512, false}), 1ull << 41);
  EXPECT_EQ(encode_tag({0, 0, true}), 1ull << 48);
  EXPECT_EQ(encode_tag({0xffffffffu, 512, true}), 0x0001'0200'ffff'ffffull);
}

TEST(MessageTag, DecodeRejectsWordCountsOverTheLimit) {
  for (uint64_t words = kMaxMessageWords + 1; words <= 1023; ++words) {
    for (uint64_t extra : {uint64_t{0}, uint64_t{0xffffffff}, kTagHandleBit}) {
      MessageTag out = kSentinel;
      ASSERT_FALSE(decode_tag((words << kTagWordsShift) | extra, &out)) << words;
      expect_untouched(out);
    }
  }
}

TEST(MessageTag, DecodeRejectsEveryReservedBit) {
  // Bits 0-31 label, 32-41 word count, 48 handle flag, 63 non-blocking option; everything
  // else is reserved.
  for (uint32_t bit = 0; bit < 64; ++bit) {
    const bool defined = bit <= 41 || bit == 48 || bit == 63;
    for (uint64_t base : {uint64_t{0}, encode_tag({0xa5a5a5a5u, 0, true})}) {
      MessageTag out = kSentinel;
      const bool accepted = decode_tag(base | (1ull << bit), &out);
      EXPECT_EQ(accepted, defined) << "bit " << bit;
      if (!accepted) expect_untouched(out);
    }
  }
  MessageTag out = kSentinel;
  EXPECT_FALSE(decode_tag(~0ull, &out));
  EXPECT_FALSE(decode_tag(kTagReservedMask, &out));
  EXPECT_FALSE(decode_tag(kTagReservedMask | kTagNonBlockingBit, &out));
  expect_untouched(out);
}

TEST(MessageTag, ReservedMaskCoversExactlyTheUndefinedBits) {
  EXPECT_EQ(kTagReservedMask, 0x7ffe'fc00'0000'0000ull);
  EXPECT_EQ(kTagReservedMask &
                (0xffffffffull | kTagWordsMask | kTagHandleBit | kTagNonBlockingBit),
            0u);
}

TEST(MessageTag, NonBlockingOptionRoundTrips) {
  MessageTag out;
  ASSERT_TRUE(decode_tag(encode_tag({7, 3, false, true}), &out));
  EXPECT_TRUE(out.non_blocking);
  EXPECT_EQ(out.label, 7u);
  EXPECT_EQ(out.words, 3u);
  ASSERT_TRUE(decode_tag(encode_tag({7, 3, false, false}), &out));
  EXPECT_FALSE(out.non_blocking);
}

TEST(IpcBuffer, WordsBeyondTheRegistersFillTheRestOfThePage) {
  EXPECT_EQ(sizeof(IpcBuffer), 4096u);
  EXPECT_EQ(offsetof(IpcBuffer, words), kRegisterWords * sizeof(uint64_t));
  EXPECT_EQ(sizeof(IpcBuffer::words) / sizeof(uint64_t), kMaxMessageWords - kRegisterWords);
}

}  // namespace
}  // namespace bm::abi
