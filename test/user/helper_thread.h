// Extra threads in the suite's own task (thread_create with
// kOwnAddressSpace), for tests that need a second thread: a sender for the
// suite to receive from, a signaller, spinners for the scheduler tests.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"

namespace user_tests {

using ThreadBody = void (*)(uint64_t argument);

class HelperThread {
 public:
  HelperThread() = default;
  // Waits for the thread (see join); there is no way to kill a single thread,
  // so a body must always end on its own.
  ~HelperThread();
  HelperThread(const HelperThread&) = delete;
  HelperThread& operator=(const HelperThread&) = delete;

  // Runs body(argument) on a new thread at `priority`; the thread calls
  // thread_exit when body returns. Bodies share data through globals, never
  // through the starting test's stack, which may be gone if a test fails.
  bm::abi::Status start(ThreadBody body, uint64_t argument, uint32_t priority);
  // Sleeps a tick at a time until body has returned; false after
  // `timeout_ticks`.
  bool join(uint64_t timeout_ticks);
  bool finished() const;

 private:
  struct Slot* slot_ = nullptr;
};

}  // namespace user_tests
