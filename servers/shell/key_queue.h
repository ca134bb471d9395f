// The queue from a keyboard's reader thread to the shell session. When it is full the reader
// waits for room instead of dropping the key, so it stops taking keys from the keyboard or
// serial server and their own buffers hold the typist back.
#pragma once

#include <stddef.h>

#include "ipc/keyboard.h"
#include "lib/containers/spsc_queue.h"

namespace shell {

template <size_t Capacity>
class KeyQueue {
 public:
  using KeyEvent = bm::ipc::keyboard::KeyEvent;

  // Reader side: queues `event`, calling wait_for_room() while the queue is full (it may
  // return early: the queue is looked at again). Never drops.
  template <typename WaitForRoom>
  void push(const KeyEvent& event, WaitForRoom wait_for_room) {
    while (events_.size() == Capacity) {
      __atomic_store_n(&reader_waiting_, true, __ATOMIC_SEQ_CST);
      // The flag must be visible before the second look, and the session pops before it
      // looks at the flag (the fence in pop), so either this look sees the room or the
      // session sees the flag and signals: a wake-up cannot fall between the two.
      __atomic_thread_fence(__ATOMIC_SEQ_CST);
      if (events_.size() < Capacity) break;
      wait_for_room();
    }
    __atomic_store_n(&reader_waiting_, false, __ATOMIC_SEQ_CST);
    (void)events_.push(event);  // there is room: only this side adds
  }

  // Session side: takes the oldest event into *out (false when empty) and calls
  // signal_room() when the reader is waiting for the slot this freed.
  template <typename SignalRoom>
  bool pop(KeyEvent* out, SignalRoom signal_room) {
    if (!events_.pop(out)) return false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_exchange_n(&reader_waiting_, false, __ATOMIC_SEQ_CST)) signal_room();
    return true;
  }

  size_t size() const { return events_.size(); }
  // Always 0 (push waits rather than drops); kept so a test can say so.
  uint64_t dropped() const { return events_.dropped(); }
  static constexpr size_t capacity() { return Capacity; }

 private:
  bm::SpscQueue<KeyEvent, Capacity> events_;
  bool reader_waiting_ = false;
};

}  // namespace shell
