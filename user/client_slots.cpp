// ClientSlots: a fixed table, searched whole (64 entries, and only on introductions).
#include "user/client_slots.h"

namespace user {

bm::ipc::ProtocolStatus ClientSlots::find_free(uint64_t id, size_t* slot) const {
  if (id == 0) return bm::ipc::ProtocolStatus::kBadValue;
  size_t free = kCapacity;
  for (size_t i = 0; i < kCapacity; ++i) {
    if (ids_[i] == id) return bm::ipc::ProtocolStatus::kBusy;
    if (ids_[i] == 0 && free == kCapacity) free = i;
  }
  if (free == kCapacity) return bm::ipc::ProtocolStatus::kNoSlots;
  *slot = free;
  return bm::ipc::ProtocolStatus::kOk;
}

size_t ClientSlots::count() const {
  size_t used = 0;
  for (uint64_t id : ids_) used += id != 0 ? 1 : 0;
  return used;
}

}  // namespace user
