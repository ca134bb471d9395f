// Host tests for TimerQueue: wake order, stability for equal ticks, the now/now-1 boundary of
// pop_expired, early removal, next_wake, and random steps against a std::multimap model.
#include "lib/sched/timer_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "lib/sched/run_queue.h"

namespace bm {
namespace {

struct Thread {
  int id = 0;
  ListNode node;  // shared by the run queue and the timer queue: a thread is on one at a time
  uint64_t wake_tick = 0;
};

using Queue = TimerQueue<Thread, &Thread::node, &Thread::wake_tick>;

// A global timer queue must need no runtime constructor in the kernel.
constinit Queue g_constant_initialised;

std::vector<Thread> make_threads(size_t count) {
  std::vector<Thread> threads(count);
  for (size_t i = 0; i < count; ++i) threads[i].id = static_cast<int>(i);
  return threads;
}

std::vector<int> ids(const Queue& queue) {
  std::vector<int> out;
  for (Thread* t = queue.front(); t != nullptr; t = queue.next(t)) out.push_back(t->id);
  return out;
}

std::vector<int> pop_all(Queue& queue, uint64_t now) {
  std::vector<int> out;
  while (Thread* thread = queue.pop_expired(now)) out.push_back(thread->id);
  return out;
}

TEST(TimerQueue, GlobalStartsEmpty) {
  EXPECT_TRUE(g_constant_initialised.empty());
  EXPECT_EQ(g_constant_initialised.next_wake(), UINT64_MAX);
  EXPECT_EQ(g_constant_initialised.pop_expired(UINT64_MAX), nullptr);
}

TEST(TimerQueue, EmptyQueueNeverWakes) {
  Queue queue;
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.next_wake(), UINT64_MAX);
  EXPECT_EQ(queue.next_wake(), Queue::kNever);
  EXPECT_EQ(queue.pop_expired(0), nullptr);
  EXPECT_EQ(queue.pop_expired(UINT64_MAX), nullptr);
}

TEST(TimerQueue, OrdersByWakeTick) {
  auto threads = make_threads(5);
  const uint64_t ticks[] = {50, 10, 40, 20, 30};
  Queue queue;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue.insert(&threads[i], ticks[i]));
  EXPECT_EQ(queue.size(), 5u);
  EXPECT_EQ(ids(queue), (std::vector<int>{1, 3, 4, 2, 0}));
  EXPECT_EQ(queue.next_wake(), 10u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(threads[i].wake_tick, ticks[i]);
  EXPECT_EQ(pop_all(queue, 1000), (std::vector<int>{1, 3, 4, 2, 0}));
  EXPECT_TRUE(queue.empty());
}

TEST(TimerQueue, EqualTicksKeepInsertionOrder) {
  auto threads = make_threads(6);
  Queue queue;
  ASSERT_TRUE(queue.insert(&threads[0], 20));
  ASSERT_TRUE(queue.insert(&threads[1], 10));
  ASSERT_TRUE(queue.insert(&threads[2], 20));
  ASSERT_TRUE(queue.insert(&threads[3], 10));
  ASSERT_TRUE(queue.insert(&threads[4], 30));
  ASSERT_TRUE(queue.insert(&threads[5], 20));
  EXPECT_EQ(ids(queue), (std::vector<int>{1, 3, 0, 2, 5, 4}));
  EXPECT_EQ(pop_all(queue, 20), (std::vector<int>{1, 3, 0, 2, 5}));
  EXPECT_EQ(pop_all(queue, 30), (std::vector<int>{4}));
}

TEST(TimerQueue, AllEqualTicksComeOutInInsertionOrder) {
  auto threads = make_threads(8);
  Queue queue;
  for (auto& thread : threads) ASSERT_TRUE(queue.insert(&thread, 7));
  EXPECT_EQ(pop_all(queue, 7), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(TimerQueue, PopExpiredBoundary) {
  auto threads = make_threads(1);
  Queue queue;
  ASSERT_TRUE(queue.insert(&threads[0], 100));
  EXPECT_EQ(queue.pop_expired(99), nullptr);  // now = tick - 1: still asleep
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_TRUE(threads[0].node.linked());
  EXPECT_EQ(queue.pop_expired(100), &threads[0]);  // now == tick: wakes
  EXPECT_FALSE(threads[0].node.linked());
  EXPECT_TRUE(queue.empty());
}

TEST(TimerQueue, PopExpiredReturnsOnlyDueThreadsEarliestFirst) {
  auto threads = make_threads(4);
  Queue queue;
  ASSERT_TRUE(queue.insert(&threads[0], 5));
  ASSERT_TRUE(queue.insert(&threads[1], 3));
  ASSERT_TRUE(queue.insert(&threads[2], 9));
  ASSERT_TRUE(queue.insert(&threads[3], 6));
  EXPECT_EQ(pop_all(queue, 2), (std::vector<int>{}));
  EXPECT_EQ(pop_all(queue, 5), (std::vector<int>{1, 0}));
  EXPECT_EQ(queue.next_wake(), 6u);
  EXPECT_EQ(pop_all(queue, 8), (std::vector<int>{3}));
  EXPECT_EQ(queue.next_wake(), 9u);
  EXPECT_EQ(pop_all(queue, 9), (std::vector<int>{2}));
  EXPECT_EQ(queue.next_wake(), UINT64_MAX);
}

TEST(TimerQueue, ExtremeTicks) {
  auto threads = make_threads(2);
  Queue queue;
  ASSERT_TRUE(queue.insert(&threads[0], UINT64_MAX));
  ASSERT_TRUE(queue.insert(&threads[1], 0));
  EXPECT_EQ(queue.next_wake(), 0u);
  EXPECT_EQ(queue.pop_expired(0), &threads[1]);
  EXPECT_EQ(queue.next_wake(), UINT64_MAX);
  EXPECT_EQ(queue.pop_expired(UINT64_MAX - 1), nullptr);
  EXPECT_EQ(queue.pop_expired(UINT64_MAX), &threads[0]);
}

TEST(TimerQueue, RemoveFromMiddleFrontAndBack) {
  auto threads = make_threads(5);
  Queue queue;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue.insert(&threads[i], 10 * (i + 1)));
  EXPECT_TRUE(queue.remove(&threads[2]));  // middle: woken early by IPC
  EXPECT_FALSE(threads[2].node.linked());
  EXPECT_EQ(ids(queue), (std::vector<int>{0, 1, 3, 4}));
  EXPECT_EQ(queue.next_wake(), 10u);
  EXPECT_TRUE(queue.remove(&threads[0]));  // front: next_wake moves on
  EXPECT_EQ(queue.next_wake(), 20u);
  EXPECT_TRUE(queue.remove(&threads[4]));  // back
  EXPECT_EQ(ids(queue), (std::vector<int>{1, 3}));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_FALSE(queue.remove(&threads[2]));  // already out
  EXPECT_FALSE(queue.remove(nullptr));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(pop_all(queue, 100), (std::vector<int>{1, 3}));
}

TEST(TimerQueue, RemovedThreadCanSleepAgain) {
  auto threads = make_threads(2);
  Queue queue;
  ASSERT_TRUE(queue.insert(&threads[0], 10));
  ASSERT_TRUE(queue.insert(&threads[1], 20));
  ASSERT_TRUE(queue.remove(&threads[0]));
  EXPECT_TRUE(queue.insert(&threads[0], 30));
  EXPECT_EQ(threads[0].wake_tick, 30u);
  EXPECT_EQ(ids(queue), (std::vector<int>{1, 0}));
  EXPECT_EQ(pop_all(queue, 30), (std::vector<int>{1, 0}));
}

TEST(TimerQueue, RefusesDoubleInsertAndLeavesTheTickAlone) {
  auto threads = make_threads(2);
  Queue queue;
  ASSERT_TRUE(queue.insert(&threads[0], 10));
  ASSERT_TRUE(queue.insert(&threads[1], 20));
  EXPECT_FALSE(queue.insert(&threads[0], 30));
  EXPECT_EQ(threads[0].wake_tick, 10u);
  EXPECT_FALSE(queue.insert(nullptr, 5));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(ids(queue), (std::vector<int>{0, 1}));
  EXPECT_EQ(pop_all(queue, 20), (std::vector<int>{0, 1}));
}

TEST(TimerQueue, RefusesAThreadStillOnTheRunQueue) {
  auto threads = make_threads(1);
  Queue timers;
  RunQueue<Thread, &Thread::node, 4> ready;
  ASSERT_TRUE(ready.enqueue(&threads[0], 1));
  EXPECT_FALSE(timers.insert(&threads[0], 10));  // the shared node is in use
  EXPECT_TRUE(timers.empty());
  ASSERT_EQ(ready.dequeue_highest(), &threads[0]);  // it runs, then goes to sleep
  EXPECT_TRUE(timers.insert(&threads[0], 10));
  Thread* woken = timers.pop_expired(10);
  ASSERT_EQ(woken, &threads[0]);
  EXPECT_TRUE(ready.enqueue(woken, 1));  // and becomes ready again
  EXPECT_EQ(ready.dequeue_highest(), &threads[0]);
}

TEST(TimerQueue, RandomOperationsMatchAMultimapModel) {
  constexpr size_t kThreads = 40;
  auto threads = make_threads(kThreads);
  std::vector<bool> asleep(kThreads, false);
  Queue queue;
  // std::multimap keeps equal keys in insertion order, as the queue must.
  std::multimap<uint64_t, Thread*> model;
  std::mt19937_64 rng(99);
  uint64_t now = 0;
  for (int step = 0; step < 50000; ++step) {
    const size_t index = rng() % kThreads;
    Thread* thread = &threads[index];
    switch (rng() % 4) {
      case 0:
      case 1: {
        // Small offsets make many equal ticks; some are already in the past.
        const uint64_t tick = now + rng() % 12 - (rng() % 4 == 0 ? std::min<uint64_t>(now, 3) : 0);
        ASSERT_EQ(queue.insert(thread, tick), !asleep[index]) << "step " << step;
        if (!asleep[index]) {
          model.emplace(tick, thread);
          asleep[index] = true;
        }
        break;
      }
      case 2: {
        now += rng() % 3;
        while (true) {
          Thread* expected = nullptr;
          if (!model.empty() && model.begin()->first <= now) expected = model.begin()->second;
          Thread* woken = queue.pop_expired(now);
          ASSERT_EQ(woken, expected) << "step " << step;
          if (woken == nullptr) break;
          model.erase(model.begin());
          asleep[woken->id] = false;
        }
        break;
      }
      case 3: {
        ASSERT_EQ(queue.remove(thread), asleep[index]) << "step " << step;
        if (asleep[index]) {
          auto [first, last] = model.equal_range(thread->wake_tick);
          while (first != last && first->second != thread) ++first;
          ASSERT_NE(first, last);
          model.erase(first);
          asleep[index] = false;
        }
        break;
      }
    }
    ASSERT_EQ(queue.size(), model.size());
    ASSERT_EQ(queue.next_wake(), model.empty() ? UINT64_MAX : model.begin()->first);
    if (step % 50 == 0) {
      std::vector<Thread*> actual;
      for (Thread* t = queue.front(); t != nullptr; t = queue.next(t)) actual.push_back(t);
      std::vector<Thread*> expected;
      for (const auto& [tick, t] : model) expected.push_back(t);
      ASSERT_EQ(actual, expected) << "step " << step;
    }
  }
  while (queue.pop_expired(UINT64_MAX) != nullptr) {
  }
}

}  // namespace
}  // namespace bm
