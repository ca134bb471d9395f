// The clients init introduced to a service (ipc/client_admin.h): each in one of 64 slots, the
// bit of the notification its task's watch signals when it ends, with its task handle, which
// the service keeps until then. Portable, so the host tests drive it; user/client_watch.h does
// the system calls around it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/protocol.h"

namespace user {

class ClientSlots {
 public:
  // One bit per slot in a notification word.
  static constexpr size_t kCapacity = 64;

  // Where client `id` may go: kOk and the lowest free slot; kBusy if `id` is a client
  // already (a restarted client whose old task has not been seen to end); kNoSlots when
  // full; kBadValue for id 0 (no badge: that is init).
  bm::ipc::ProtocolStatus find_free(uint64_t id, size_t* slot) const;
  // Client `id`, whose task handle is `task`, is in `slot` (from find_free, once its task is
  // watched).
  void take(size_t slot, uint64_t id, bm::abi::Handle task) {
    ids_[slot] = id;
    tasks_[slot] = task;
  }
  // The clients of the set bits of `ended` leave their slots; on_ended(id, task) for each.
  template <typename OnEnded>
  void release_ended(uint64_t ended, OnEnded on_ended) {
    for (size_t slot = 0; slot < kCapacity; ++slot) {
      if ((ended & (1ull << slot)) == 0 || ids_[slot] == 0) continue;
      uint64_t id = ids_[slot];
      bm::abi::Handle task = tasks_[slot];
      ids_[slot] = 0;
      tasks_[slot] = 0;
      on_ended(id, task);
    }
  }
  size_t count() const;

 private:
  uint64_t ids_[kCapacity] = {};  // 0: free
  bm::abi::Handle tasks_[kCapacity] = {};
};

}  // namespace user
