// A test-and-set lock that yields the CPU while it waits, for threads of one program that run
// at the same priority (a driver's interrupt and service threads, the shell's key readers).
#pragma once

#include "user/syscalls.h"

namespace user {

// Yielding rather than spinning matters on one CPU: the holder can only finish once the
// waiter steps aside, and both threads have the same priority, so the yield runs it.
class YieldLock {
 public:
  constexpr YieldLock() = default;

  void lock() {
    while (__atomic_exchange_n(&held_, true, __ATOMIC_ACQUIRE)) user::yield();
  }
  // Takes the lock if it is free; false (without waiting) if another thread holds it.
  bool try_lock() { return !__atomic_exchange_n(&held_, true, __ATOMIC_ACQUIRE); }
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
