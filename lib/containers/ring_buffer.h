// RingBuffer: a fixed-capacity FIFO of values with no allocation, for driver queues (keyboard
// scan codes, serial bytes). Not synchronised: callers that share it with an interrupt
// handler mask that interrupt around access.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm {

template <typename T, size_t Capacity>
class RingBuffer {
  static_assert(Capacity > 0, "RingBuffer needs room for at least one element");

 public:
  // constexpr so a global RingBuffer is constant-initialised (no static constructor).
  constexpr RingBuffer() = default;

  // Appends value; when full, leaves the contents untouched, counts the overflow and
  // returns false (a driver drops the newest input rather than corrupting older input).
  bool push(const T& value) {
    if (count_ == Capacity) {
      ++overflows_;
      return false;
    }
    items_[wrap(head_ + count_)] = value;
    ++count_;
    return true;
  }

  // Removes the oldest element into *out. False (and nothing removed) when empty or out is null.
  bool pop(T* out) {
    if (count_ == 0 || out == nullptr) return false;
    *out = items_[head_];
    head_ = wrap(head_ + 1);
    --count_;
    return true;
  }

  // Copies the oldest element into *out without removing it. False when empty or out is null.
  bool peek(T* out) const {
    if (count_ == 0 || out == nullptr) return false;
    *out = items_[head_];
    return true;
  }

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool full() const { return count_ == Capacity; }
  static constexpr size_t capacity() { return Capacity; }
  // Pushes rejected because the buffer was full, since construction or reset_overflows().
  uint64_t overflows() const { return overflows_; }
  void reset_overflows() { overflows_ = 0; }
  // Drops every element; the overflow count is kept.
  void clear() {
    head_ = 0;
    count_ = 0;
  }

 private:
  // index < 2 * Capacity here, so one subtraction wraps it (no division for odd capacities).
  static constexpr size_t wrap(size_t index) {
    return index >= Capacity ? index - Capacity : index;
  }

  T items_[Capacity] = {};
  size_t head_ = 0;  // index of the oldest element
  size_t count_ = 0;
  uint64_t overflows_ = 0;
};

}  // namespace bm
