// YieldLock: mutual exclusion between the threads of one task, for state the runtime shares
// (the heap's block cache). A waiter yields instead of spinning: the holder may be blocked in
// an IPC call, and on one CPU a spinning waiter would keep it from running. (The serial server
// has its own copy, servers/serial/yield_lock.h, which can move to this one.)
#pragma once

#include "user/syscalls.h"

namespace user {

class YieldLock {
 public:
  constexpr YieldLock() = default;
  YieldLock(const YieldLock&) = delete;
  YieldLock& operator=(const YieldLock&) = delete;

  void lock() {
    while (__atomic_exchange_n(&held_, true, __ATOMIC_ACQUIRE)) yield();
  }
  void unlock() { __atomic_store_n(&held_, false, __ATOMIC_RELEASE); }

 private:
  bool held_ = false;
};

// Holds a YieldLock for one scope.
class LockGuard {
 public:
  explicit LockGuard(YieldLock& lock) : lock_(lock) { lock_.lock(); }
  ~LockGuard() { lock_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  YieldLock& lock_;
};

}  // namespace user
