// BlockCache: the runtime's cache of small memd blocks, so that malloc and free of a small
// block are mostly local. Blocks come from memd in batches (refill) and go back in batches
// (drain), one IPC each; docs/protocols.md (memd) describes both and what `mem` shows.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/memd.h"
#include "lib/containers/address_map.h"

namespace user {

// What the cache asks of memd. user/memd_heap.cpp sends the real messages; host tests fake it.
class BlockCacheBackend {
 public:
  // Up to `count` blocks of `size` bytes into blocks[]: kOk with 1 .. count of them in
  // *placed, or memd's refusal (kOutOfMemory).
  virtual bm::ipc::ProtocolStatus refill(uint64_t size, uint32_t count, uint64_t* blocks,
                                         uint32_t* placed) = 0;
  virtual bm::ipc::ProtocolStatus drain(const uint64_t* blocks, uint32_t count) = 0;

 protected:
  ~BlockCacheBackend() = default;  // never deleted through this interface
};

// Size classes of 16, 32, 64, 128 and 256 bytes. Per class the cache keeps up to kFreeLimit
// free blocks: an empty class refills kBatch, a full one drains kBatch, so a program that
// allocates and frees in turn swings between the two without reaching either. It lends at
// most kLentLimit blocks at a time and remembers which (and their class) in a fixed table:
// that is how free() knows a block is the cache's, and the bound on what the cache holds.
//
// What it checks: a block it takes back must be one it lent and has not had back; anything
// else (a double free, a pointer from elsewhere) is not the cache's and goes to memd, which
// refuses it (kDoubleFree for a block sitting in the cache, kNotAllocated or kDoubleFree
// otherwise). A block the program wrote past is not caught, here or in memd.
//
// Not thread-safe: the runtime serialises calls.
class BlockCache {
 public:
  static constexpr uint32_t kClassCount = 5;
  static constexpr size_t kMinClassSize = 16;
  static constexpr size_t kMaxClassSize = kMinClassSize << (kClassCount - 1);  // 256
  static constexpr uint32_t kBatch = 16;
  static constexpr uint32_t kFreeLimit = 2 * kBatch;
  static constexpr uint32_t kLentLimit = 96;
  static_assert(kBatch <= bm::ipc::memd::kMaxBatch && kMaxClassSize <= bm::ipc::memd::kMaxRefillSize);

  constexpr explicit BlockCache(BlockCacheBackend* backend) : backend_(backend) {}
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  // Whether a request for `size` bytes aligned to `alignment` is the cache's to serve: sizes
  // 1 .. kMaxClassSize at memd's minimum alignment. The rest goes to memd one by one.
  static bool serves(size_t size, size_t alignment);
  static size_t class_size(uint32_t size_class) { return kMinClassSize << size_class; }

  // A block of at least `size` bytes (serves() must hold): kOk with its address in *block;
  // kNoSlots when kLentLimit blocks are lent already (the caller asks memd instead); or the
  // refill's failure (kOutOfMemory).
  bm::ipc::ProtocolStatus take(size_t size, uint64_t* block);
  // Takes `block` back if this cache lent it (*ours), draining a batch when its class is
  // full: kOk, or the drain's failure. Not ours: nothing happens (the caller asks memd).
  bm::ipc::ProtocolStatus give_back(uint64_t block, bool* ours);
  // The class size of a block this cache lent and has not had back; 0 for any other address.
  size_t lent_size(uint64_t block) const;
  // Every free block back to memd (lent ones stay lent): kOk or the first drain's failure.
  bm::ipc::ProtocolStatus drain_all();

  uint32_t free_blocks(uint32_t size_class) const { return classes_[size_class].count; }
  size_t free_bytes() const;
  size_t lent_blocks() const { return lent_.size(); }

 private:
  struct SizeClass {
    uint64_t block[kFreeLimit] = {};  // a stack: the last block freed is the next one lent
    uint32_t count = 0;
  };
  static uint32_t class_of(size_t size);
  bm::ipc::ProtocolStatus refill(uint32_t size_class);
  // Drains the top `count` blocks of the class.
  bm::ipc::ProtocolStatus drain(uint32_t size_class, uint32_t count);

  BlockCacheBackend* backend_;
  SizeClass classes_[kClassCount];
  // 128 slots for at most 96 entries: kLentLimit is the table's own limit.
  bm::AddressMap<uint8_t, 128> lent_;
  static_assert(decltype(lent_)::kMaxEntries == kLentLimit);
};

}  // namespace user
