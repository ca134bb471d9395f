// Host tests for RunQueue: priority order, round robin inside a level, enqueue_front, removal,
// all 64 levels, refused priorities, and 50 000 random steps against a deque-per-level model.
#include "lib/sched/run_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <vector>

namespace bm {
namespace {

struct Thread {
  int id = 0;
  ListNode run_node;
};

using Queue = RunQueue<Thread, &Thread::run_node, 8>;
using FullQueue = RunQueue<Thread, &Thread::run_node, 64>;

// A global run queue must need no runtime constructor in the kernel.
constinit Queue g_constant_initialised;

std::vector<Thread> make_threads(size_t count) {
  std::vector<Thread> threads(count);
  for (size_t i = 0; i < count; ++i) threads[i].id = static_cast<int>(i);
  return threads;
}

template <typename Q>
std::vector<int> drain(Q& queue) {
  std::vector<int> out;
  while (Thread* thread = queue.dequeue_highest()) out.push_back(thread->id);
  return out;
}

TEST(HighestSetBit, FindsTheTopBit) {
  EXPECT_EQ(highest_set_bit(1), 0u);
  EXPECT_EQ(highest_set_bit(0b1011), 3u);
  EXPECT_EQ(highest_set_bit(uint64_t{1} << 63), 63u);
  EXPECT_EQ(highest_set_bit(~uint64_t{0}), 63u);
  for (unsigned bit = 0; bit < 64; ++bit) {
    EXPECT_EQ(highest_set_bit(uint64_t{1} << bit), bit);
    EXPECT_EQ(highest_set_bit((uint64_t{1} << bit) | 1), bit);
  }
}

TEST(RunQueue, GlobalStartsEmpty) {
  EXPECT_TRUE(g_constant_initialised.empty());
  EXPECT_EQ(g_constant_initialised.highest_priority(), -1);
  EXPECT_EQ(g_constant_initialised.dequeue_highest(), nullptr);
}

TEST(RunQueue, EmptyQueueHasNothingToRun) {
  Queue queue;
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.highest_priority(), -1);
  EXPECT_EQ(queue.peek_highest(), nullptr);
  EXPECT_EQ(queue.dequeue_highest(), nullptr);
}

TEST(RunQueue, DequeuesHighestPriorityFirst) {
  auto threads = make_threads(4);
  Queue queue;
  EXPECT_TRUE(queue.enqueue(&threads[0], 2));
  EXPECT_TRUE(queue.enqueue(&threads[1], 7));
  EXPECT_TRUE(queue.enqueue(&threads[2], 0));
  EXPECT_TRUE(queue.enqueue(&threads[3], 5));
  EXPECT_EQ(queue.size(), 4u);
  EXPECT_EQ(queue.highest_priority(), 7);
  EXPECT_EQ(queue.peek_highest(), &threads[1]);
  EXPECT_EQ(drain(queue), (std::vector<int>{1, 3, 0, 2}));
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0u);
  for (auto& thread : threads) EXPECT_FALSE(thread.run_node.linked());
}

TEST(RunQueue, RoundRobinWithinALevel) {
  auto threads = make_threads(3);  // A, B, C
  Queue queue;
  for (auto& thread : threads) ASSERT_TRUE(queue.enqueue(&thread, 4));
  Thread* a = queue.dequeue_highest();
  ASSERT_EQ(a, &threads[0]);
  ASSERT_TRUE(queue.enqueue(a, 4));  // A's slice ran out: behind C
  EXPECT_EQ(drain(queue), (std::vector<int>{1, 2, 0}));
}

TEST(RunQueue, RoundRobinComesOutInArrivalOrder) {
  auto threads = make_threads(3);
  Queue queue;
  for (auto& thread : threads) ASSERT_TRUE(queue.enqueue(&thread, 1));
  EXPECT_EQ(queue.dequeue_highest(), &threads[0]);
  EXPECT_EQ(queue.dequeue_highest(), &threads[1]);
  EXPECT_EQ(queue.dequeue_highest(), &threads[2]);
  EXPECT_EQ(queue.dequeue_highest(), nullptr);
}

TEST(RunQueue, EnqueueFrontKeepsThePreemptedThreadsTurn) {
  auto threads = make_threads(4);
  Queue queue;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(queue.enqueue(&threads[i], 3));
  Thread* running = queue.dequeue_highest();  // thread 0 runs
  ASSERT_EQ(running, &threads[0]);
  // A higher-priority thread wakes and preempts it; thread 0 goes back to the front.
  ASSERT_TRUE(queue.enqueue(&threads[3], 6));
  EXPECT_TRUE(queue.enqueue_front(running, 3));
  EXPECT_EQ(drain(queue), (std::vector<int>{3, 0, 1, 2}));
}

TEST(RunQueue, EnqueueFrontOnAnEmptyLevel) {
  auto threads = make_threads(1);
  Queue queue;
  EXPECT_TRUE(queue.enqueue_front(&threads[0], 2));
  EXPECT_EQ(queue.highest_priority(), 2);
  EXPECT_EQ(queue.size_at(2), 1u);
  EXPECT_EQ(queue.dequeue_highest(), &threads[0]);
  EXPECT_TRUE(queue.empty());
}

TEST(RunQueue, RemoveTakesAThreadOffItsLevel) {
  auto threads = make_threads(3);
  Queue queue;
  for (auto& thread : threads) ASSERT_TRUE(queue.enqueue(&thread, 5));
  EXPECT_TRUE(queue.remove(&threads[1], 5));  // middle
  EXPECT_FALSE(threads[1].run_node.linked());
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.size_at(5), 2u);
  EXPECT_FALSE(queue.contains(&threads[1], 5));
  EXPECT_FALSE(queue.remove(&threads[1], 5));  // not queued any more
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(drain(queue), (std::vector<int>{0, 2}));
}

TEST(RunQueue, RemovingTheLastThreadOfALevelClearsIt) {
  auto threads = make_threads(2);
  Queue queue;
  ASSERT_TRUE(queue.enqueue(&threads[0], 6));
  ASSERT_TRUE(queue.enqueue(&threads[1], 2));
  EXPECT_EQ(queue.highest_priority(), 6);
  EXPECT_TRUE(queue.remove(&threads[0], 6));
  EXPECT_EQ(queue.highest_priority(), 2);
  EXPECT_TRUE(queue.remove(&threads[1], 2));
  EXPECT_EQ(queue.highest_priority(), -1);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.dequeue_highest(), nullptr);
}

TEST(RunQueue, RemoveRefusesTheWrongLevelWhenItCanTell) {
  auto threads = make_threads(1);
  Queue queue;
  ASSERT_TRUE(queue.enqueue(&threads[0], 3));
  EXPECT_FALSE(queue.remove(&threads[0], 4));  // level 4 is empty
  EXPECT_FALSE(queue.remove(&threads[0], 8));  // out of range
  EXPECT_FALSE(queue.remove(nullptr, 3));
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.highest_priority(), 3);
  EXPECT_TRUE(queue.remove(&threads[0], 3));
}

TEST(RunQueue, HighestPriorityFollowsEnqueueAndDequeue) {
  auto threads = make_threads(3);
  Queue queue;
  ASSERT_TRUE(queue.enqueue(&threads[0], 1));
  EXPECT_EQ(queue.highest_priority(), 1);
  ASSERT_TRUE(queue.enqueue(&threads[1], 4));
  EXPECT_EQ(queue.highest_priority(), 4);
  ASSERT_TRUE(queue.enqueue(&threads[2], 4));
  EXPECT_EQ(queue.highest_priority(), 4);
  queue.dequeue_highest();
  EXPECT_EQ(queue.highest_priority(), 4);  // thread 2 still at 4
  queue.dequeue_highest();
  EXPECT_EQ(queue.highest_priority(), 1);
  queue.dequeue_highest();
  EXPECT_EQ(queue.highest_priority(), -1);
}

TEST(RunQueue, AllSixtyFourLevels) {
  auto threads = make_threads(64);
  FullQueue queue;
  std::vector<unsigned> order(64);
  for (unsigned i = 0; i < 64; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  for (unsigned priority : order) ASSERT_TRUE(queue.enqueue(&threads[priority], priority));
  EXPECT_EQ(queue.size(), 64u);
  for (int expected = 63; expected >= 0; --expected) {
    ASSERT_EQ(queue.highest_priority(), expected);
    Thread* thread = queue.dequeue_highest();
    ASSERT_NE(thread, nullptr);
    EXPECT_EQ(thread->id, expected);
  }
  EXPECT_TRUE(queue.empty());
  // The extreme levels on their own.
  ASSERT_TRUE(queue.enqueue(&threads[0], 0));
  EXPECT_EQ(queue.highest_priority(), 0);
  ASSERT_TRUE(queue.enqueue(&threads[1], 63));
  EXPECT_EQ(queue.highest_priority(), 63);
  EXPECT_EQ(drain(queue), (std::vector<int>{1, 0}));
}

TEST(RunQueue, RejectsOutOfRangePriority) {
  auto threads = make_threads(1);
  Queue queue;
  EXPECT_FALSE(queue.enqueue(&threads[0], 8));
  EXPECT_FALSE(queue.enqueue_front(&threads[0], 8));
  EXPECT_FALSE(queue.enqueue(&threads[0], ~0u));
  EXPECT_FALSE(threads[0].run_node.linked());
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.size_at(8), 0u);
  FullQueue full;
  EXPECT_FALSE(full.enqueue(&threads[0], 64));
  EXPECT_TRUE(full.enqueue(&threads[0], 63));
  EXPECT_EQ(full.dequeue_highest(), &threads[0]);
}

TEST(RunQueue, RejectsAThreadAlreadyQueued) {
  auto threads = make_threads(2);
  Queue queue;
  ASSERT_TRUE(queue.enqueue(&threads[0], 2));
  ASSERT_TRUE(queue.enqueue(&threads[1], 2));
  EXPECT_FALSE(queue.enqueue(&threads[0], 2));
  EXPECT_FALSE(queue.enqueue(&threads[0], 5));  // another level: still refused
  EXPECT_FALSE(queue.enqueue_front(&threads[1], 7));
  EXPECT_FALSE(queue.enqueue(nullptr, 1));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.highest_priority(), 2);
  EXPECT_EQ(drain(queue), (std::vector<int>{0, 1}));
}

TEST(RunQueue, SingleLevelQueueIsAFifo) {
  auto threads = make_threads(3);
  RunQueue<Thread, &Thread::run_node, 1> queue;
  for (auto& thread : threads) ASSERT_TRUE(queue.enqueue(&thread, 0));
  EXPECT_FALSE(queue.enqueue(&threads[0], 1));
  EXPECT_EQ(drain(queue), (std::vector<int>{0, 1, 2}));
}

// A reference run queue: one std::deque per level.
struct Model {
  std::deque<Thread*> levels[16];
  size_t size = 0;
  int highest() const {
    for (int p = 15; p >= 0; --p) {
      if (!levels[p].empty()) return p;
    }
    return -1;
  }
};

TEST(RunQueue, RandomOperationsMatchADequeModel) {
  constexpr size_t kThreads = 48;
  constexpr unsigned kLevels = 16;
  auto threads = make_threads(kThreads);
  std::vector<int> level_of(kThreads, -1);  // -1: not queued
  RunQueue<Thread, &Thread::run_node, kLevels> queue;
  Model model;
  std::mt19937 rng(42);
  for (int step = 0; step < 50000; ++step) {
    const size_t index = rng() % kThreads;
    Thread* thread = &threads[index];
    // A few priorities past the end, to exercise the refusal.
    const unsigned priority = rng() % (kLevels + 2);
    const bool queued = level_of[index] >= 0;
    switch (rng() % 5) {
      case 0:
      case 1: {
        const bool front = rng() % 2 == 0;
        const bool accepted =
            front ? queue.enqueue_front(thread, priority) : queue.enqueue(thread, priority);
        const bool expected = !queued && priority < kLevels;
        ASSERT_EQ(accepted, expected) << "step " << step;
        if (expected) {
          if (front) {
            model.levels[priority].push_front(thread);
          } else {
            model.levels[priority].push_back(thread);
          }
          level_of[index] = static_cast<int>(priority);
          ++model.size;
        }
        break;
      }
      case 2:
      case 3: {
        const int highest = model.highest();
        Thread* expected = highest < 0 ? nullptr : model.levels[highest].front();
        ASSERT_EQ(queue.dequeue_highest(), expected) << "step " << step;
        if (expected != nullptr) {
          model.levels[highest].pop_front();
          level_of[expected->id] = -1;
          --model.size;
        }
        break;
      }
      case 4: {
        if (!queued) {
          ASSERT_FALSE(queue.remove(thread, priority % kLevels));
          break;
        }
        const unsigned level = static_cast<unsigned>(level_of[index]);
        ASSERT_TRUE(queue.remove(thread, level)) << "step " << step;
        auto& deque = model.levels[level];
        deque.erase(std::find(deque.begin(), deque.end(), thread));
        level_of[index] = -1;
        --model.size;
        break;
      }
    }
    ASSERT_EQ(queue.size(), model.size);
    ASSERT_EQ(queue.empty(), model.size == 0);
    ASSERT_EQ(queue.highest_priority(), model.highest());
    for (unsigned p = 0; p < kLevels; ++p) ASSERT_EQ(queue.size_at(p), model.levels[p].size());
    const int highest = model.highest();
    ASSERT_EQ(queue.peek_highest(), highest < 0 ? nullptr : model.levels[highest].front());
  }
  // Drain both and compare the final order.
  while (Thread* thread = queue.dequeue_highest()) {
    const int highest = model.highest();
    ASSERT_GE(highest, 0);
    ASSERT_EQ(thread, model.levels[highest].front());
    model.levels[highest].pop_front();
  }
  EXPECT_EQ(model.highest(), -1);
}

}  // namespace
}  // namespace bm

namespace bm {
namespace {

// dequeue_from: the level the caller read from highest_priority(), without reading it again.
TEST(RunQueue, DequeueFromTakesTheFirstOfThatLevel) {
  Queue queue;
  auto threads = make_threads(3);
  ASSERT_TRUE(queue.enqueue(&threads[0], 5));
  ASSERT_TRUE(queue.enqueue(&threads[1], 5));
  ASSERT_TRUE(queue.enqueue(&threads[2], 2));
  EXPECT_EQ(queue.dequeue_from(5), &threads[0]);
  EXPECT_EQ(queue.highest_priority(), 5);
  EXPECT_EQ(queue.dequeue_from(5), &threads[1]);
  EXPECT_EQ(queue.highest_priority(), 2);  // level 5 emptied: its bit is clear
  EXPECT_EQ(queue.size(), 1u);
}

TEST(RunQueue, DequeueFromAnEmptyOrMissingLevelGivesNothing) {
  Queue queue;
  auto threads = make_threads(1);
  ASSERT_TRUE(queue.enqueue(&threads[0], 3));
  EXPECT_EQ(queue.dequeue_from(4), nullptr);
  EXPECT_EQ(queue.dequeue_from(8), nullptr);  // past the last level
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.highest_priority(), 3);
}

}  // namespace
}  // namespace bm
