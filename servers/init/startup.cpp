// init's start-up: see startup.h.
#include "servers/init/startup.h"

namespace init {

bool startup_complete(const ServerState* servers, size_t count, const ServerState* asking) {
  for (size_t i = 0; i < count; ++i) {
    const ServerState& server = servers[i];
    if (&server == asking) continue;
    if (server.running && !server.registered_a_name) return false;
  }
  return true;
}

bool StartupWaiters::can_add(const ServerState* asking) const {
  if (count_ == kCapacity) return false;
  for (size_t i = 0; i < count_; ++i) {
    if (waiters_[i].asking == asking) return false;
  }
  return true;
}

bool StartupWaiters::add(bm::abi::Handle reply, const ServerState* asking, uint64_t deadline) {
  if (!can_add(asking)) return false;
  waiters_[count_++] = {reply, asking, deadline};
  return true;
}

uint64_t StartupWaiters::ticks_to_next_deadline(uint64_t now) const {
  if (count_ == 0) return 0;
  uint64_t earliest = waiters_[0].deadline;
  for (size_t i = 1; i < count_; ++i) {
    if (waiters_[i].deadline < earliest) earliest = waiters_[i].deadline;
  }
  return earliest > now ? earliest - now : 1;
}

}  // namespace init
