// Host tests for lib/containers/ring_buffer.h: FIFO order, overflow accounting, wrap-around.
#include "lib/containers/ring_buffer.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <type_traits>

namespace {

TEST(RingBuffer, StartsEmpty) {
  bm::RingBuffer<int, 4> ring;
  EXPECT_TRUE(ring.empty());
  EXPECT_FALSE(ring.full());
  EXPECT_EQ(ring.size(), 0u);
  EXPECT_EQ(ring.capacity(), 4u);
  EXPECT_EQ(ring.overflows(), 0u);
  int value = 99;
  EXPECT_FALSE(ring.pop(&value));
  EXPECT_FALSE(ring.peek(&value));
  EXPECT_EQ(value, 99);
}

TEST(RingBuffer, PopsInFifoOrder) {
  bm::RingBuffer<int, 8> ring;
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(ring.push(i * 10));
  EXPECT_EQ(ring.size(), 5u);
  for (int i = 1; i <= 5; ++i) {
    int value = 0;
    ASSERT_TRUE(ring.pop(&value));
    EXPECT_EQ(value, i * 10);
  }
  EXPECT_TRUE(ring.empty());
}

TEST(RingBuffer, PeekDoesNotRemove) {
  bm::RingBuffer<char, 4> ring;
  ring.push('a');
  ring.push('b');
  char value = 0;
  ASSERT_TRUE(ring.peek(&value));
  EXPECT_EQ(value, 'a');
  ASSERT_TRUE(ring.peek(&value));
  EXPECT_EQ(value, 'a');
  EXPECT_EQ(ring.size(), 2u);
  ASSERT_TRUE(ring.pop(&value));
  EXPECT_EQ(value, 'a');
  ASSERT_TRUE(ring.peek(&value));
  EXPECT_EQ(value, 'b');
}

TEST(RingBuffer, RejectsPushWhenFullAndCountsOverflows) {
  bm::RingBuffer<int, 3> ring;
  EXPECT_TRUE(ring.push(1));
  EXPECT_TRUE(ring.push(2));
  EXPECT_TRUE(ring.push(3));
  EXPECT_TRUE(ring.full());
  EXPECT_FALSE(ring.push(4));
  EXPECT_FALSE(ring.push(5));
  EXPECT_EQ(ring.overflows(), 2u);
  EXPECT_EQ(ring.size(), 3u);
  // The rejected values did not displace the stored ones.
  int value = 0;
  for (int expected = 1; expected <= 3; ++expected) {
    ASSERT_TRUE(ring.pop(&value));
    EXPECT_EQ(value, expected);
  }
  EXPECT_TRUE(ring.push(6));
  EXPECT_EQ(ring.overflows(), 2u);
  ring.reset_overflows();
  EXPECT_EQ(ring.overflows(), 0u);
}

TEST(RingBuffer, WrapsAroundTheEnd) {
  bm::RingBuffer<int, 4> ring;
  int value = 0;
  int next_in = 0;
  int next_out = 0;
  for (int round = 0; round < 50; ++round) {
    while (ring.push(next_in)) ++next_in;  // fill; the failing push counts one overflow
    ASSERT_TRUE(ring.full());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(ring.pop(&value));
      EXPECT_EQ(value, next_out++);
    }
  }
  EXPECT_EQ(ring.overflows(), 50u);
  while (ring.pop(&value)) EXPECT_EQ(value, next_out++);
  EXPECT_EQ(next_out, next_in);
}

TEST(RingBuffer, PopAndPeekRejectNullOutput) {
  bm::RingBuffer<int, 2> ring;
  ring.push(7);
  EXPECT_FALSE(ring.pop(nullptr));
  EXPECT_FALSE(ring.peek(nullptr));
  EXPECT_EQ(ring.size(), 1u);
}

TEST(RingBuffer, ClearEmptiesButKeepsOverflowCount) {
  bm::RingBuffer<int, 2> ring;
  ring.push(1);
  ring.push(2);
  ring.push(3);
  ring.clear();
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.overflows(), 1u);
  EXPECT_TRUE(ring.push(4));
  int value = 0;
  ASSERT_TRUE(ring.pop(&value));
  EXPECT_EQ(value, 4);
}

TEST(RingBuffer, RandomOperationsMatchDequeModel) {
  std::mt19937 random(42);
  bm::RingBuffer<uint32_t, 7> ring;  // odd capacity exercises the non-power-of-two wrap
  std::deque<uint32_t> model;
  uint64_t overflows = 0;
  for (int step = 0; step < 20000; ++step) {
    if (random() % 2 == 0) {
      uint32_t value = random();
      bool pushed = ring.push(value);
      ASSERT_EQ(pushed, model.size() < 7);
      if (pushed) {
        model.push_back(value);
      } else {
        ++overflows;
      }
    } else {
      uint32_t value = 0;
      bool popped = ring.pop(&value);
      ASSERT_EQ(popped, !model.empty());
      if (popped) {
        ASSERT_EQ(value, model.front());
        model.pop_front();
      }
    }
    ASSERT_EQ(ring.size(), model.size());
    ASSERT_EQ(ring.empty(), model.empty());
    ASSERT_EQ(ring.full(), model.size() == 7);
    ASSERT_EQ(ring.overflows(), overflows);
  }
}

// Drivers keep these as globals: constant initialisation means no static constructor runs.
constinit bm::RingBuffer<uint8_t, 128> g_scan_codes;
static_assert(std::is_trivially_destructible_v<bm::RingBuffer<uint8_t, 128>>);
static_assert(std::is_trivially_copyable_v<bm::RingBuffer<uint8_t, 128>>);

TEST(RingBuffer, GlobalIsConstantInitialised) {
  EXPECT_TRUE(g_scan_codes.empty());
  EXPECT_TRUE(g_scan_codes.push(0x1c));
  uint8_t code = 0;
  EXPECT_TRUE(g_scan_codes.pop(&code));
  EXPECT_EQ(code, 0x1c);
}

}  // namespace
