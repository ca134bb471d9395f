// Host tests for service names on the wire (ipc/names.h): the packing into four words, every
// length up to the limit, and the names pack_name and unpack_name refuse.
#include <gtest/gtest.h>

#include <string>

#include "ipc/names.h"

namespace bm::ipc {
namespace {

std::string unpacked(const uint64_t (&words)[4], bool* ok) {
  char out[kMaxNameLength + 1] = {};
  *ok = unpack_name(words, out);
  return out;
}

TEST(Names, PackLittleEndianEightBytesAWord) {
  uint64_t words[4] = {1, 2, 3, 4};
  ASSERT_TRUE(pack_name("console-and-more", words));
  EXPECT_EQ(words[0], 0x2d656c6f736e6f63ull);  // "console-"
  EXPECT_EQ(words[1], 0x65726f6d2d646e61ull);  // "and-more"
  EXPECT_EQ(words[2], 0u);                     // the rest is zero
  EXPECT_EQ(words[3], 0u);
}

TEST(Names, EveryLengthRoundTrips) {
  for (size_t length = 1; length <= kMaxNameLength; ++length) {
    std::string name;
    for (size_t i = 0; i < length; ++i) name += static_cast<char>('!' + (i * 5) % 94);
    uint64_t words[4];
    ASSERT_TRUE(pack_name(name.c_str(), words)) << length;
    bool ok = false;
    EXPECT_EQ(unpacked(words, &ok), name);
    EXPECT_TRUE(ok) << length;
  }
}

TEST(Names, PackRefusesEmptyAndTooLongAndWritesNothing) {
  uint64_t words[4] = {7, 7, 7, 7};
  EXPECT_FALSE(pack_name("", words));
  EXPECT_FALSE(pack_name(std::string(kMaxNameLength + 1, 'a').c_str(), words));
  for (uint64_t word : words) EXPECT_EQ(word, 7u);
}

TEST(Names, UnpackRefusesMalformedWords) {
  bool ok = true;
  const uint64_t empty[4] = {0, 0, 0, 0};
  unpacked(empty, &ok);
  EXPECT_FALSE(ok);
  const uint64_t no_terminator[4] = {0x4141414141414141ull, 0x4141414141414141ull,
                                     0x4141414141414141ull, 0x4141414141414141ull};
  unpacked(no_terminator, &ok);  // 32 bytes, no room for the zero
  EXPECT_FALSE(ok);
  const uint64_t gap[4] = {0x41, 0x42, 0, 0};  // "A", zeros, then "B"
  unpacked(gap, &ok);
  EXPECT_FALSE(ok);
  for (uint64_t bad_byte : {0x20ull, 0x7full, 0x80ull, 0x0aull, 0xffull}) {
    const uint64_t words[4] = {0x4141 | bad_byte << 16, 0, 0, 0};
    unpacked(words, &ok);
    EXPECT_FALSE(ok) << bad_byte;
  }
  const uint64_t printable_edges[4] = {0x217e, 0, 0, 0};  // "~!" in memory order: 0x7e, 0x21
  EXPECT_EQ(unpacked(printable_edges, &ok), "~!");
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace bm::ipc
