// AddressMap: a fixed-size hash map from addresses (never 0) to small values, with no heap, for
// code that must not allocate while it keeps track of memory (the runtime's block cache).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm {

// Open addressing with linear probing. Removal shifts the entries after the hole back into it
// (instead of leaving tombstones), so a lookup stops at the first empty slot and the cost of a
// lookup depends only on how full the map is, not on its history. The map refuses an insert
// past kMaxEntries (three quarters of the slots), which keeps probe runs short.
template <typename Value, size_t kSlots>
class AddressMap {
  static_assert(kSlots >= 4 && (kSlots & (kSlots - 1)) == 0, "a power of two");

 public:
  static constexpr size_t kMaxEntries = kSlots / 4 * 3;

  // False when `address` is 0, already present, or the map is full.
  bool insert(uint64_t address, Value value) {
    if (address == 0 || size_ == kMaxEntries) return false;
    size_t slot = home(address);
    while (slots_[slot].address != 0) {
      if (slots_[slot].address == address) return false;
      slot = next(slot);
    }
    slots_[slot] = {address, value};
    ++size_;
    return true;
  }

  // The value of `address`, or null.
  const Value* find(uint64_t address) const {
    if (address == 0) return nullptr;
    for (size_t slot = home(address); slots_[slot].address != 0; slot = next(slot)) {
      if (slots_[slot].address == address) return &slots_[slot].value;
    }
    return nullptr;
  }

  // Removes `address`, its value in *value; false if it was not there.
  bool remove(uint64_t address, Value* value) {
    if (address == 0) return false;
    size_t hole = home(address);
    while (slots_[hole].address != address) {
      if (slots_[hole].address == 0) return false;
      hole = next(hole);
    }
    *value = slots_[hole].value;
    // Every entry of the probe run after the hole that may live at the hole moves there.
    for (size_t slot = next(hole); slots_[slot].address != 0; slot = next(slot)) {
      if (distance(home(slots_[slot].address), slot) >= distance(hole, slot)) {
        slots_[hole] = slots_[slot];
        hole = slot;
      }
    }
    slots_[hole] = {};
    --size_;
    return true;
  }

  size_t size() const { return size_; }
  bool full() const { return size_ == kMaxEntries; }

 private:
  struct Slot {
    uint64_t address = 0;
    Value value{};
  };

  // Fibonacci hashing of the address without its low bits (blocks are 16-byte aligned).
  static size_t home(uint64_t address) {
    return static_cast<size_t>(((address >> 4) * 0x9e3779b97f4a7c15ull) >> 32) & (kSlots - 1);
  }
  static size_t next(size_t slot) { return (slot + 1) & (kSlots - 1); }
  // Steps from `from` forward to `to`, wrapping around.
  static size_t distance(size_t from, size_t to) { return (to - from) & (kSlots - 1); }

  Slot slots_[kSlots] = {};
  size_t size_ = 0;
};

}  // namespace bm
