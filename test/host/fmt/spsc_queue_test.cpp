// Host tests for SpscQueue: FIFO order, full and empty behaviour, index wrap-around, and a
// producer and a consumer thread moving a million values without loss or reordering.
#include "lib/containers/spsc_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace bm {
namespace {

TEST(SpscQueue, StartsEmpty) {
  SpscQueue<int, 4> queue;
  int value = 7;
  EXPECT_TRUE(queue.empty());
  EXPECT_FALSE(queue.pop(&value));
  EXPECT_EQ(value, 7);
  EXPECT_EQ(queue.capacity(), 4u);
}

TEST(SpscQueue, KeepsFifoOrder) {
  SpscQueue<int, 4> queue;
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(queue.push(i));
  EXPECT_EQ(queue.size(), 3u);
  for (int i = 1; i <= 3; ++i) {
    int value = 0;
    ASSERT_TRUE(queue.pop(&value));
    EXPECT_EQ(value, i);
  }
  EXPECT_TRUE(queue.empty());
}

TEST(SpscQueue, FullQueueDropsTheNewestAndCountsIt) {
  SpscQueue<int, 4> queue;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(queue.push(i));
  EXPECT_FALSE(queue.push(99));
  EXPECT_FALSE(queue.push(100));
  EXPECT_EQ(queue.dropped(), 2u);
  EXPECT_EQ(queue.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    int value = -1;
    ASSERT_TRUE(queue.pop(&value));
    EXPECT_EQ(value, i);  // the old contents are intact
  }
}

TEST(SpscQueue, WrapsAroundManyTimes) {
  SpscQueue<uint32_t, 8> queue;
  uint32_t next_in = 0;
  uint32_t next_out = 0;
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue.push(next_in++));
    for (int i = 0; i < 5; ++i) {
      uint32_t value = 0;
      ASSERT_TRUE(queue.pop(&value));
      ASSERT_EQ(value, next_out++);
    }
  }
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.dropped(), 0u);
}

TEST(SpscQueue, TwoThreadsMoveEveryValueInOrder) {
  static SpscQueue<uint64_t, 64> queue;
  constexpr uint64_t kValues = 1000000;
  std::thread producer([] {
    for (uint64_t i = 1; i <= kValues;) {
      if (queue.push(i)) ++i;
      else std::this_thread::yield();
    }
  });
  uint64_t expected = 1;
  while (expected <= kValues) {
    uint64_t value = 0;
    if (queue.pop(&value)) {
      ASSERT_EQ(value, expected);
      ++expected;
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
  // Every failed push above was retried, so drops were counted but nothing was lost.
  EXPECT_TRUE(queue.empty());
}

}  // namespace
}  // namespace bm
