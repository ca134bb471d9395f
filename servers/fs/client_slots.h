// The clients init introduced to fs (ipc/client_admin.h): each in one of 64 slots, the bit
// of the clients_gone notification its task's watch signals when it ends. Portable, so the
// host tests drive it; the server's main does the system calls around it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/protocol.h"

namespace bm::fs {

class ClientSlots {
 public:
  // One bit per slot in a notification word.
  static constexpr size_t kCapacity = 64;

  // Where client `id` may go: kOk and the lowest free slot; kBusy if `id` is a client
  // already (a restarted client whose old task has not been seen to end); kNoSlots when
  // full; kBadValue for id 0 (no badge: that is init).
  ipc::ProtocolStatus find_free(uint64_t id, size_t* slot) const;
  // Client `id` is in `slot` (from find_free, once its task is watched).
  void take(size_t slot, uint64_t id) { ids_[slot] = id; }
  // The clients of the set bits of `ended` leave their slots; on_ended(id) for each.
  template <typename OnEnded>
  void release_ended(uint64_t ended, OnEnded on_ended) {
    for (size_t slot = 0; slot < kCapacity; ++slot) {
      if ((ended & (1ull << slot)) == 0 || ids_[slot] == 0) continue;
      uint64_t id = ids_[slot];
      ids_[slot] = 0;
      on_ended(id);
    }
  }
  size_t count() const;

 private:
  uint64_t ids_[kCapacity] = {};  // 0: free
};

}  // namespace bm::fs
