// The crash-loop window (see restart_policy.h).
#include "servers/init/restart_policy.h"

namespace init {

bool RestartPolicy::allow_restart(uint64_t now_ms) {
  if (recent_count_ == kMaxRestartsInWindow) {
    uint64_t oldest = recent_ms_[next_];
    if (now_ms - oldest < kRestartWindowMs) return false;  // crash loop: give up for now
  } else {
    ++recent_count_;
  }
  recent_ms_[next_] = now_ms;
  next_ = (next_ + 1) % kMaxRestartsInWindow;
  ++total_;
  return true;
}

void RestartPolicy::record_requested_restart() {
  recent_count_ = 0;
  next_ = 0;
  ++total_;
}

}  // namespace init
