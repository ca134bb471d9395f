// PolicyAllocator: exactly one lib/alloc allocator of the policy memd runs with, in place (no
// heap), chosen at run time because memd reads its policy from its manifest arguments.
#pragma once

#include <stddef.h>

#include "lib/alloc/alloc_stats.h"
#include "lib/alloc/bump_allocator.h"
#include "lib/alloc/fixed_block_allocator.h"
#include "lib/alloc/linked_list_allocator.h"
#include "lib/core/result.h"
#include "servers/memd/heap_layout.h"

namespace bm::memd {

// The lib/alloc interface, forwarded to the active allocator. Until start() and after
// stop() there is none: allocate() answers kOutOfMemory and the other calls kInvalidArgument.
// Trivially destructible (so are the allocators), so a server can keep it in static storage
// without a C++ runtime to run destructors at exit.
class PolicyAllocator {
 public:
  PolicyAllocator() {}
  PolicyAllocator(const PolicyAllocator&) = delete;
  PolicyAllocator& operator=(const PolicyAllocator&) = delete;

  // A fresh, uninitialised allocator of `policy`, replacing any earlier one.
  void start(Policy policy);
  // Drops the allocator and all it knew.
  void stop();
  bool active() const { return active_; }

  Result<void> init(void* base, size_t size);
  Result<void> extend(size_t bytes);
  Result<void*> allocate(size_t size, size_t alignment);
  Result<void> free(void* ptr);
  Result<size_t> usable_size(const void* ptr) const;
  AllocStats stats() const;

 private:
  // Calls f with the active allocator of `self`, const or not; only when active_.
  template <typename Self, typename F>
  static auto with_allocator(Self& self, F&& f);

  union Storage {
    Storage() : none() {}
    struct None {
    } none;
    BumpAllocator bump;
    LinkedListAllocator list;
    FixedBlockAllocator fixed;
  } storage_;
  Policy policy_ = Policy::kBump;
  bool active_ = false;
};

}  // namespace bm::memd
