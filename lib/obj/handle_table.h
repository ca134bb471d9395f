// HandleTable: a task's table of handles. Each handle names a kernel object plus the rights
// and the badge this task holds it with; system calls reach objects only through it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/core/result.h"
#include "lib/obj/handle.h"

namespace bm {

// Kernel objects are reference counted; the table holds one reference per handle. Object must
// provide: abi::ObjectType object_type() const; void retain(); void release();
//
// Invariants:
// - The table owns exactly one reference per live entry: insert and duplicate retain, close
//   and close_all release, remove hands the reference to the caller.
// - Rights never grow: duplicate keeps or drops rights of its source, never adds any.
// - Every failing call changes nothing (no slot taken, no reference taken or dropped).
// - A slot's state is updated before release() runs, so an object destructor that re-enters
//   the table sees it consistent.
//
// Slot reuse is FIFO: slots start out queued 1, 2, ..., Capacity-1 (kept implicitly, so the
// constructor touches nothing) and a closed slot joins the tail. A slot is therefore reused
// only after every other free slot, so a stale handle rarely meets its old slot again, and
// when it does the generation no longer matches. Limit (ABA): a slot's generation wraps after
// 65535 closes of that slot, and then a handle stale for exactly that many reuses validates
// again. Both insert and close are O(1).
//
// Not synchronised: the owner (a task) serialises access. Trivially destructible, so it can be
// a constant-initialised global; the owner calls close_all() before dropping the table.
template <typename Object, size_t Capacity>
class HandleTable {
  static_assert(Capacity >= 2, "slot 0 is never used, so at least two slots are needed");
  static_assert(Capacity <= kHandleIndexMask, "a handle's index has 16 bits");

 public:
  // What a handle grants. `object` is borrowed: it stays valid while the handle stays open
  // (the table's reference keeps it alive); a caller that keeps it longer retains it.
  struct Entry {
    Object* object;
    uint32_t rights;
    uint64_t badge;
  };
  using Visitor = void (*)(void* context, abi::Handle handle, const Entry& entry);

  constexpr HandleTable() = default;
  HandleTable(const HandleTable&) = delete;
  HandleTable& operator=(const HandleTable&) = delete;

  // How many handles fit at once (slot 0 is never used).
  static constexpr size_t max_handles() { return Capacity - 1; }

  // Takes a new reference on object. kInvalidArgument for a null object, an object of type
  // kNone or rights outside abi::kAllRights; kNoSlots when the table is full.
  Result<abi::Handle> insert(Object* object, uint32_t rights, uint64_t badge = 0) {
    if (object == nullptr || object->object_type() == abi::ObjectType::kNone ||
        (rights & ~abi::kAllRights) != 0) {
      return Error::kInvalidArgument;
    }
    return insert_retained(object, rights, badge);
  }

  // Checks in this order and returns the first failure: the handle is live (index in range,
  // slot in use, generation matches) else kInvalidHandle; the object has `type` (kNone
  // accepts any) else kWrongType; the handle holds every right in required_rights else
  // kNoRights.
  Result<Entry> lookup(abi::Handle handle, abi::ObjectType type, uint32_t required_rights) const {
    const Slot* slot = live_slot(handle);
    if (slot == nullptr) return Error::kInvalidHandle;
    if (type != abi::ObjectType::kNone && slot->object->object_type() != type) {
      return Error::kWrongType;
    }
    if ((slot->rights & required_rights) != required_rights) return Error::kNoRights;
    return Entry{slot->object, slot->rights, slot->badge};
  }

  // A second handle to the same object with the same badge and `rights`, which must be a
  // subset of the source's. Needs kRightGrant on the source. Errors: those of lookup, then
  // kNoRights when rights are not a subset, then kNoSlots.
  Result<abi::Handle> duplicate(abi::Handle handle, uint32_t rights) {
    auto source = checked_source(handle, rights);
    if (!source) return source.error();
    return insert_retained(source->object, rights, source->badge);
  }

  // As duplicate, but the new handle carries `badge`: an unbadged endpoint handle mints
  // badged ones, so servers can tell clients apart. A badged source cannot be re-badged
  // (kNoRights), otherwise a client could impersonate another; badge 0 would mean "unbadged"
  // (kInvalidArgument: use duplicate). Which object types take badges is the caller's policy.
  Result<abi::Handle> duplicate_with_badge(abi::Handle handle, uint32_t rights, uint64_t badge) {
    auto source = checked_source(handle, rights);
    if (!source) return source.error();
    if (source->badge != 0) return Error::kNoRights;
    if (badge == 0) return Error::kInvalidArgument;
    return insert_retained(source->object, rights, badge);
  }

  // Closes the handle and drops the table's reference. kInvalidHandle if it is not live.
  Result<void> close(abi::Handle handle) {
    auto entry = remove(handle);
    if (!entry) return entry.error();
    entry->object->release();
    return {};
  }

  // Closes the handle WITHOUT releasing: the caller now owns that reference (a handle moving
  // into a message). Checking kRightGrant first is the caller's job. kInvalidHandle if the
  // handle is not live.
  Result<Entry> remove(abi::Handle handle) {
    const uint32_t index = live_index(handle);
    if (index == 0) return Error::kInvalidHandle;
    const Slot& slot = slots_[index];
    const Entry entry{slot.object, slot.rights, slot.badge};
    free_slot(index);
    return entry;
  }

  // Task exit: closes every handle, releasing each reference. The table stays usable and none
  // of the old handle values validate any more.
  void close_all() {
    for (uint32_t index = 1; index <= high_water_; ++index) {
      Object* object = slots_[index].object;
      if (object == nullptr) continue;
      free_slot(index);
      object->release();
    }
  }

  // Live handles.
  size_t count() const { return count_; }

  // Calls visit(context, handle, entry) for every live handle, in slot order (for `ps`,
  // debugging and tests). visit must not change the table.
  void for_each(Visitor visit, void* context) const {
    for (uint32_t index = 1; index <= high_water_; ++index) {
      const Slot& slot = slots_[index];
      if (slot.object == nullptr) continue;
      visit(context, make_handle(slot.generation, static_cast<uint16_t>(index)),
            Entry{slot.object, slot.rights, slot.badge});
    }
  }

 private:
  // A free slot has object == nullptr; its generation is the one its next handle gets (0 only
  // for a slot never used yet). next_free links the FIFO of closed slots (0 ends it).
  struct Slot {
    Object* object = nullptr;
    uint32_t rights = 0;
    uint16_t generation = 0;
    uint16_t next_free = 0;
    uint64_t badge = 0;
  };

  // The slot of a live handle, or null. (Every system call that names a handle comes here.)
  const Slot* live_slot(abi::Handle handle) const {
    const uint32_t index = handle_index(handle);
    // No test against high_water_: a slot above it was never used, so its object is null.
    if (index == 0 || index >= Capacity) return nullptr;
    const Slot& slot = slots_[index];
    if (slot.object == nullptr || slot.generation != handle_generation(handle)) return nullptr;
    return &slot;
  }

  // Slot index of a live handle, or 0.
  uint32_t live_index(abi::Handle handle) const {
    const Slot* slot = live_slot(handle);
    return slot == nullptr ? 0 : static_cast<uint32_t>(slot - slots_);
  }

  // The shared checks of duplicate and duplicate_with_badge.
  Result<Entry> checked_source(abi::Handle handle, uint32_t rights) const {
    auto source = lookup(handle, abi::ObjectType::kNone, abi::kRightGrant);
    if (!source) return source.error();
    if ((rights & ~source->rights) != 0) return Error::kNoRights;
    return source;
  }

  // Arguments already checked; takes a slot and only then the reference, so kNoSlots
  // leaves the object's count alone.
  Result<abi::Handle> insert_retained(Object* object, uint32_t rights, uint64_t badge) {
    const uint32_t index = take_slot();
    if (index == 0) return Error::kNoSlots;
    object->retain();
    Slot& slot = slots_[index];
    slot.object = object;
    slot.rights = rights;
    slot.badge = badge;
    ++count_;
    return make_handle(slot.generation, static_cast<uint16_t>(index));
  }

  // Head of the FIFO: never-used slots come first (they are the queue's initial contents),
  // then closed slots in the order they were closed. 0 when the table is full.
  uint32_t take_slot() {
    if (high_water_ + 1 < Capacity) {
      const uint32_t index = ++high_water_;
      slots_[index].generation = kFirstHandleGeneration;
      return index;
    }
    const uint32_t index = free_head_;
    if (index == 0) return 0;
    free_head_ = slots_[index].next_free;
    if (free_head_ == 0) free_tail_ = 0;
    slots_[index].next_free = 0;
    return index;
  }

  // Empties a live slot, moves its generation on (so old handles stop validating) and queues
  // it at the tail.
  void free_slot(uint32_t index) {
    Slot& slot = slots_[index];
    slot.object = nullptr;
    slot.rights = 0;
    slot.badge = 0;
    slot.generation = next_handle_generation(slot.generation);
    slot.next_free = 0;
    if (free_tail_ == 0) {
      free_head_ = static_cast<uint16_t>(index);
    } else {
      slots_[free_tail_].next_free = static_cast<uint16_t>(index);
    }
    free_tail_ = static_cast<uint16_t>(index);
    --count_;
  }

  // All members start at zero, so a global table lands in .bss.
  Slot slots_[Capacity] = {};
  uint32_t high_water_ = 0;  // slots above this have never been used
  uint16_t free_head_ = 0;   // FIFO of closed slots; 0 = empty
  uint16_t free_tail_ = 0;
  size_t count_ = 0;
};

}  // namespace bm
