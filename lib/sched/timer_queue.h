// TimerQueue: sleeping threads (sleep, IPC with a timeout) ordered by the tick they wake at,
// so the timer interrupt only ever looks at the front.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/containers/intrusive_list.h"

namespace bm {

// A sorted intrusive list: earliest wake tick first, equal ticks in insertion order (so two
// threads sleeping until the same tick wake in the order they went to sleep).
//
// Complexity: insert is O(n) in the number of sleepers (it walks from the latest wake tick
// backwards, so the common "sleep longer than everyone else" case is O(1)); pop_expired,
// next_wake and remove are O(1). A small kernel has tens of sleepers, where a list beats a
// heap or a timer wheel on code size and constant factors; revisit if that changes.
//
// The thread's WakeTick field is written by insert() and is what the order is kept by: do
// not change it while the thread is queued. remove() requires the thread to be on this queue
// (see IntrusiveList::remove for what is refused).
template <typename Thread, ListNode Thread::*Member, uint64_t Thread::*WakeTick>
class TimerQueue {
 public:
  static constexpr uint64_t kNever = UINT64_MAX;

  // constexpr so a global timer queue is constant-initialised.
  constexpr TimerQueue() = default;
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Records wake_tick in the thread and queues it after every thread waking at or before
  // wake_tick. False (thread untouched) when thread is null or already on a list through
  // Member.
  bool insert(Thread* thread, uint64_t wake_tick) {
    if (thread == nullptr || (thread->*Member).linked()) return false;
    thread->*WakeTick = wake_tick;
    Thread* before = list_.back();
    while (before != nullptr && before->*WakeTick > wake_tick) before = list_.prev(before);
    if (before == nullptr) return list_.push_front(thread);
    Thread* after = list_.next(before);
    return after == nullptr ? list_.push_back(thread) : list_.insert_before(after, thread);
  }

  // Unlinks and returns the earliest thread if its wake tick is <= now, else nullptr. The
  // tick handler calls it until nullptr to wake everything due.
  Thread* pop_expired(uint64_t now) {
    Thread* first = list_.front();
    if (first == nullptr || first->*WakeTick > now) return nullptr;
    return list_.pop_front();
  }

  // The earliest wake tick, or kNever (UINT64_MAX) when empty; a thread sleeping until
  // UINT64_MAX is indistinguishable from none here, but pop_expired(UINT64_MAX) returns it.
  uint64_t next_wake() const {
    const Thread* first = list_.front();
    return first == nullptr ? kNever : first->*WakeTick;
  }

  // Takes a thread out early (woken by IPC, a notification, or killed). O(1).
  bool remove(Thread* thread) { return list_.remove(thread); }

  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  Thread* front() const { return list_.front(); }
  // Iteration in wake order: for (T* t = q.front(); t != nullptr; t = q.next(t)).
  Thread* next(Thread* thread) const { return list_.next(thread); }
  // O(n) membership check for tests and debug checks.
  bool contains(const Thread* thread) const { return list_.contains(thread); }

 private:
  IntrusiveList<Thread, Member> list_;
};

}  // namespace bm
