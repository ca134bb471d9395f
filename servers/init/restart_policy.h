// When init restarts a server that ended (fault, kill, missed heartbeats): always, unless it
// is crash-looping: kMaxRestartsInWindow restarts within kRestartWindowMs and the next is
// refused until the oldest of them is older than the window (docs/reliability.md). Portable,
// so host tests check it with made-up clocks.
#pragma once

#include <stdint.h>

namespace init {

constexpr uint32_t kMaxRestartsInWindow = 5;
constexpr uint64_t kRestartWindowMs = 30000;

class RestartPolicy {
 public:
  // Whether a server that ended at `now_ms` may start again; if so the restart is counted.
  bool allow_restart(uint64_t now_ms);
  // A restart the user asked for (`restart` in the shell): always allowed, counted, and it
  // forgets the crash history, so a server given up on gets a fresh window.
  void record_requested_restart();

  uint32_t restarts() const { return total_; }

 private:
  uint64_t recent_ms_[kMaxRestartsInWindow] = {};  // ring of the last restarts' times
  uint32_t recent_count_ = 0;                      // how many of them are valid
  uint32_t next_ = 0;                              // the oldest, overwritten next
  uint32_t total_ = 0;
};

}  // namespace init
