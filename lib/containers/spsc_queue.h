// SpscQueue: a fixed-capacity FIFO shared by exactly two threads, one that only pushes and one
// that only pops (a driver's interrupt thread and its service thread). No locks: each index is
// written by one side only, and acquire/release ordering makes an element visible before the
// index that publishes it.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm {

template <typename T, size_t Capacity>
class SpscQueue {
  static_assert(Capacity > 0 && (Capacity & (Capacity - 1)) == 0,
                "capacity must be a power of two so the free-running indices wrap cleanly");

 public:
  constexpr SpscQueue() = default;
  SpscQueue(const SpscQueue&) = delete;
  SpscQueue& operator=(const SpscQueue&) = delete;

  // Producer side. When full, the queue keeps what it holds, counts the drop and returns false
  // (input that cannot be stored is lost, older input is never overwritten).
  bool push(const T& value) {
    uint64_t tail = tail_;  // only this side writes tail_
    uint64_t head = __atomic_load_n(&head_, __ATOMIC_ACQUIRE);
    if (tail - head == Capacity) {
      __atomic_fetch_add(&dropped_, 1, __ATOMIC_RELAXED);
      return false;
    }
    items_[tail & (Capacity - 1)] = value;
    __atomic_store_n(&tail_, tail + 1, __ATOMIC_RELEASE);
    return true;
  }

  // Consumer side: removes the oldest element into *out; false when empty.
  bool pop(T* out) {
    uint64_t head = head_;  // only this side writes head_
    uint64_t tail = __atomic_load_n(&tail_, __ATOMIC_ACQUIRE);
    if (head == tail) return false;
    *out = items_[head & (Capacity - 1)];
    __atomic_store_n(&head_, head + 1, __ATOMIC_RELEASE);
    return true;
  }

  // Either side; exact only when the other side is idle.
  size_t size() const {
    return static_cast<size_t>(__atomic_load_n(&tail_, __ATOMIC_ACQUIRE) -
                               __atomic_load_n(&head_, __ATOMIC_ACQUIRE));
  }
  bool empty() const { return size() == 0; }
  uint64_t dropped() const { return __atomic_load_n(&dropped_, __ATOMIC_RELAXED); }
  static constexpr size_t capacity() { return Capacity; }

 private:
  T items_[Capacity] = {};
  uint64_t head_ = 0;  // next element to pop (free-running)
  uint64_t tail_ = 0;  // next slot to fill (free-running)
  uint64_t dropped_ = 0;
};

}  // namespace bm
