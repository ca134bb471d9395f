// RunQueue: the ready threads of one CPU, one FIFO per fixed priority level plus a bitmap of
// the non-empty levels, so picking the next thread is O(1) whatever the number of threads.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/containers/intrusive_list.h"

namespace bm {

// Index of the highest set bit of a non-zero value.
constexpr unsigned highest_set_bit(uint64_t value) {
#if defined(__GNUC__) || defined(__clang__)
  return 63u - static_cast<unsigned>(__builtin_clzll(value));
#else
  unsigned bit = 0;
  for (unsigned shift = 32; shift != 0; shift /= 2) {
    if (value >> shift != 0) {
      value >>= shift;
      bit += shift;
    }
  }
  return bit;
#endif
}

// Higher number = higher priority; Levels <= 64 so the bitmap is one word. Every operation but
// size() is O(1). The caller records the level a thread was queued at (e.g. in the thread itself) and
// passes the same level to remove(); a thread is on at most one level at a time.
//
// Which end to queue at:
//   enqueue        a thread that gave up the CPU or used up its time slice (yield, tick
//                  expiry), or became ready after blocking: it waits behind its level, which
//                  gives round robin inside the level.
//   enqueue_front  a thread preempted by a higher-priority thread before its slice ran out:
//                  it keeps its turn and runs again first when its level is next picked.
template <typename Thread, ListNode Thread::*Member, size_t Levels>
class RunQueue {
  static_assert(Levels >= 1 && Levels <= 64, "RunQueue levels must fit the 64-bit bitmap");

 public:
  static constexpr size_t kLevels = Levels;

  // constexpr so a global run queue is constant-initialised.
  constexpr RunQueue() = default;
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // Queue at the tail of its level. False (nothing changes) when thread is null or already on
  // a list through Member, or priority >= Levels.
  bool enqueue(Thread* thread, unsigned priority) {
    if (priority >= Levels || !levels_[priority].push_back(thread)) return false;
    linked(priority);
    return true;
  }

  // Queue at the head of its level; same refusals as enqueue().
  bool enqueue_front(Thread* thread, unsigned priority) {
    if (priority >= Levels || !levels_[priority].push_front(thread)) return false;
    linked(priority);
    return true;
  }

  // Unlinks and returns the first thread of the highest non-empty level; nullptr when empty.
  Thread* dequeue_highest() {
    const int priority = highest_priority();
    if (priority < 0) return nullptr;
    return dequeue_from(static_cast<unsigned>(priority));
  }

  // Unlinks and returns the first thread of `level`; nullptr when the level is empty or out
  // of range. For a caller that has just read highest_priority() to decide.
  Thread* dequeue_from(unsigned level) {
    if (level >= Levels) return nullptr;
    Thread* thread = levels_[level].pop_front();
    if (thread != nullptr) unlinked(level);
    return thread;
  }

  // The thread dequeue_highest() would return, left in place; nullptr when empty.
  Thread* peek_highest() const {
    const int priority = highest_priority();
    return priority < 0 ? nullptr : levels_[priority].front();
  }

  // The highest non-empty level, or -1 when nothing is ready. Lets the scheduler decide
  // whether a newly ready thread should preempt the running one.
  int highest_priority() const {
    return bitmap_ == 0 ? -1 : static_cast<int>(highest_set_bit(bitmap_));
  }

  // Takes thread off level `priority` (a thread that blocks or exits while ready). The thread
  // must be on that level of this queue; false when priority is out of range or the thread is
  // null, unlinked or visibly elsewhere (see IntrusiveList::remove).
  bool remove(Thread* thread, unsigned priority) {
    if (priority >= Levels || !levels_[priority].remove(thread)) return false;
    unlinked(priority);
    return true;
  }

  bool empty() const { return bitmap_ == 0; }

  // Total ready threads. Summed over the levels, O(Levels): only tests and debug output ask,
  // and a running count would cost every enqueue and dequeue two instructions.
  size_t size() const {
    size_t total = 0;
    for (const auto& level : levels_) total += level.size();
    return total;
  }

  // Threads waiting at one level; 0 for an out-of-range level.
  size_t size_at(unsigned priority) const {
    return priority < Levels ? levels_[priority].size() : 0;
  }

  // O(n) membership check at one level, for tests and debug checks.
  bool contains(const Thread* thread, unsigned priority) const {
    return priority < Levels && levels_[priority].contains(thread);
  }

 private:
  // Called after each successful link/unlink, so bitmap_ follows the lists exactly.
  void linked(unsigned priority) { bitmap_ |= uint64_t{1} << priority; }
  void unlinked(unsigned priority) {
    if (levels_[priority].empty()) bitmap_ &= ~(uint64_t{1} << priority);
  }

  IntrusiveList<Thread, Member> levels_[Levels];
  uint64_t bitmap_ = 0;  // bit p set <=> levels_[p] is non-empty
};

}  // namespace bm
