// Host tests for the shell's key queue: a full queue holds its reader back (no key dropped)
// until the session frees a slot and signals, with one thread and with two real threads.
#include "servers/shell/key_queue.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace shell {
namespace {

using bm::ipc::keyboard::KeyEvent;

KeyEvent key(uint32_t character) {
  KeyEvent event;
  event.pressed = true;
  event.character = character;
  return event;
}

TEST(KeyQueue, AFullQueueWaitsForRoomInsteadOfDropping) {
  KeyQueue<4> queue;
  int signals = 0;
  auto no_wait = [] { FAIL() << "waited with room in the queue"; };
  for (uint32_t c = 'a'; c < 'a' + 4; ++c) queue.push(key(c), no_wait);
  // The fifth key: the reader waits; while it waits the session takes one key.
  std::vector<uint32_t> seen;
  int waits = 0;
  queue.push(key('e'), [&] {
    ++waits;
    KeyEvent out;
    ASSERT_TRUE(queue.pop(&out, [&] { ++signals; }));
    seen.push_back(out.character);
  });
  EXPECT_EQ(waits, 1);
  EXPECT_EQ(signals, 1);  // the reader was waiting, so the session woke it
  KeyEvent out;
  while (queue.pop(&out, [&] { ++signals; })) seen.push_back(out.character);
  EXPECT_EQ(seen, (std::vector<uint32_t>{'a', 'b', 'c', 'd', 'e'}));
  EXPECT_EQ(signals, 1);  // nobody waited for the later slots
  EXPECT_EQ(queue.dropped(), 0u);
}

TEST(KeyQueue, AWaitThatReturnsEarlyLooksAgain) {
  KeyQueue<2> queue;
  queue.push(key('1'), [] {});
  queue.push(key('2'), [] {});
  int waits = 0;
  queue.push(key('3'), [&] {
    if (++waits == 3) {  // two spurious wake-ups, then the session makes room
      KeyEvent out;
      ASSERT_TRUE(queue.pop(&out, [] {}));
    }
  });
  EXPECT_EQ(waits, 3);
  EXPECT_EQ(queue.size(), 2u);
}

// A notification as the kernel has it: signal sets a bit that stays until a wait takes it.
class Notification {
 public:
  void signal() {
    std::lock_guard<std::mutex> hold(mutex_);
    pending_ = true;
    changed_.notify_one();
  }
  void wait() {
    std::unique_lock<std::mutex> hold(mutex_);
    changed_.wait(hold, [this] { return pending_; });
    pending_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool pending_ = false;
};

TEST(KeyQueue, AFastReaderAndASlowSessionLoseNoKey) {
  constexpr uint32_t kKeys = 20000;
  KeyQueue<8> queue;
  Notification room, keys;
  std::thread reader([&] {
    for (uint32_t c = 1; c <= kKeys; ++c) {
      queue.push(key(c), [&] { room.wait(); });
      keys.signal();
    }
  });
  std::vector<uint32_t> seen;
  while (seen.size() < kKeys) {
    KeyEvent out;
    bool any = false;
    while (queue.pop(&out, [&] { room.signal(); })) {
      seen.push_back(out.character);
      any = true;
      if (seen.size() % 97 == 0) std::this_thread::yield();  // the session falls behind
    }
    if (!any) keys.wait();
  }
  reader.join();
  ASSERT_EQ(seen.size(), kKeys);
  for (uint32_t i = 0; i < kKeys; ++i) ASSERT_EQ(seen[i], i + 1) << "at " << i;
  EXPECT_EQ(queue.dropped(), 0u);
}

}  // namespace
}  // namespace shell
