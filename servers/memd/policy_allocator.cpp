// PolicyAllocator: placement-constructs the allocator of the policy and forwards to it.
#include "servers/memd/policy_allocator.h"

#include "lib/core/placement_new.h"

namespace bm::memd {

template <typename Self, typename F>
auto PolicyAllocator::with_allocator(Self& self, F&& f) {
  switch (self.policy_) {
    case Policy::kLinkedList:
      return f(self.storage_.list);
    case Policy::kFixedBlock:
      return f(self.storage_.fixed);
    case Policy::kBump:
      break;
  }
  return f(self.storage_.bump);
}

void PolicyAllocator::start(Policy policy) {
  stop();
  policy_ = policy;
  switch (policy) {
    case Policy::kLinkedList:
      new (&storage_.list) LinkedListAllocator();
      break;
    case Policy::kFixedBlock:
      new (&storage_.fixed) FixedBlockAllocator();
      break;
    case Policy::kBump:
      new (&storage_.bump) BumpAllocator();
      break;
  }
  active_ = true;
}

void PolicyAllocator::stop() {
  if (!active_) return;
  with_allocator(*this, [](auto& allocator) {
    using Allocator = typename RemoveReference<decltype(allocator)>::Type;
    allocator.~Allocator();
  });
  new (&storage_.none) Storage::None();
  active_ = false;
}

Result<void> PolicyAllocator::init(void* base, size_t size) {
  if (!active_) return Error::kInvalidArgument;
  return with_allocator(*this, [&](auto& allocator) { return allocator.init(base, size); });
}

Result<void> PolicyAllocator::extend(size_t bytes) {
  if (!active_) return Error::kInvalidArgument;
  return with_allocator(*this, [&](auto& allocator) { return allocator.extend(bytes); });
}

Result<void*> PolicyAllocator::allocate(size_t size, size_t alignment) {
  if (!active_) return Error::kOutOfMemory;
  return with_allocator(*this,
                        [&](auto& allocator) { return allocator.allocate(size, alignment); });
}

Result<void> PolicyAllocator::free(void* ptr) {
  if (!active_) return Error::kInvalidArgument;
  return with_allocator(*this, [&](auto& allocator) { return allocator.free(ptr); });
}

Result<size_t> PolicyAllocator::usable_size(const void* ptr) const {
  if (!active_) return Error::kInvalidArgument;
  return with_allocator(*this, [&](const auto& allocator) { return allocator.usable_size(ptr); });
}

AllocStats PolicyAllocator::stats() const {
  if (!active_) return AllocStats{};
  return with_allocator(*this, [](const auto& allocator) { return allocator.stats(); });
}

}  // namespace bm::memd
