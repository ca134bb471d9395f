// YieldingLock: mutual exclusion between the threads of one task for state the runtime shares
// (the heap's block cache). A waiter yields instead of spinning: the holder may be blocked in
// an IPC call, and on this kernel's fixed priorities a spinning waiter could keep it from
// running.
#pragma once

#include "user/syscalls.h"

namespace user {

class YieldingLock {
 public:
  constexpr YieldingLock() = default;
  YieldingLock(const YieldingLock&) = delete;
  YieldingLock& operator=(const YieldingLock&) = delete;

  void lock() {
    while (__atomic_exchange_n(&held_, true, __ATOMIC_ACQUIRE)) yield();
  }
  void unlock() { __atomic_store_n(&held_, false, __ATOMIC_RELEASE); }

 private:
  bool held_ = false;
};

// Holds a YieldingLock for the rest of the scope.
class LockGuard {
 public:
  explicit LockGuard(YieldingLock& lock) : lock_(lock) { lock_.lock(); }
  ~LockGuard() { lock_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  YieldingLock& lock_;
};

}  // namespace user
