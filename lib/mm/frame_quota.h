// How many physical frames one task may hold. The kernel charges a task
// before it allocates frames on the task's behalf (its program image, thread
// stacks and IPC buffers, the memory objects it creates) and gives the charge
// back when it frees them, so a task at its limit gets kOutOfMemory while the
// rest of the system keeps its share.
#pragma once

#include <stdint.h>

namespace bm {

class FrameQuota {
 public:
  static constexpr uint64_t kUnlimited = ~0ull;

  explicit FrameQuota(uint64_t limit = kUnlimited) : limit_(limit) {}

  uint64_t limit() const { return limit_; }
  uint64_t used() const { return used_; }
  uint64_t available() const { return used_ >= limit_ ? 0 : limit_ - used_; }

  // Records `frames` more in use; false (and nothing recorded) past the limit.
  bool charge(uint64_t frames) {
    if (frames > available()) return false;
    used_ += frames;
    return true;
  }
  // Gives back frames charged earlier (never more than are charged).
  void release(uint64_t frames) { used_ -= frames < used_ ? frames : used_; }
  // A lower limit than what is in use blocks new charges until enough is freed.
  void set_limit(uint64_t limit) { limit_ = limit; }

 private:
  uint64_t limit_;
  uint64_t used_ = 0;
};

}  // namespace bm
