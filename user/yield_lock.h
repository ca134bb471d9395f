// YieldLock: mutual exclusion between the threads of one task, for state they share (the
// heap's block cache, a driver's interrupt and service threads, the shell's key readers).
#pragma once

#include "user/syscalls.h"

namespace user {

// A waiter yields instead of spinning. That matters on one CPU: the holder may be blocked in
// an IPC call or simply waiting for the CPU, and only a waiter that steps aside lets it finish
// (yield runs another thread of the same priority).
class YieldLock {
 public:
  constexpr YieldLock() = default;
  YieldLock(const YieldLock&) = delete;
  YieldLock& operator=(const YieldLock&) = delete;

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
