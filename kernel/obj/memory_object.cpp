// Memory objects and their frames.
#include "kernel/obj/memory_object.h"

#include "kernel/mm/kernel_heap.h"
#include "kernel/mm/physical_memory.h"
#include "lib/core/page_size.h"
#include "lib/core/utility.h"

namespace kernel {

MemoryObject::MemoryObject(bm::abi::ObjectType type) : KernelObject(type) {}

MemoryObject* MemoryObject::reserve_frames(uint64_t pages, bm::FrameQuota& quota,
                                           KernelObject& payer) {
  if (!quota.charge(pages)) return nullptr;
  auto* object = new MemoryObject(bm::abi::ObjectType::kMemory);
  if (object == nullptr) {
    quota.release(pages);
    return nullptr;
  }
  object->quota_ = &quota;
  object->payer_ = RefPtr<KernelObject>::retain(&payer);
  object->charged_ = pages;
  auto array = kernel_allocate(pages * sizeof(uint64_t), alignof(uint64_t));
  if (!array) {
    object->destroy();  // gives the charge back
    return nullptr;
  }
  object->frames_ = static_cast<uint64_t*>(*array);
  object->pages_ = pages;
  object->bytes_ = pages * bm::kPageSize;
  return object;
}

bool MemoryObject::add_zeroed_frames(uint64_t count) {
  for (uint64_t end = bm::min(pages_, filled_ + count); filled_ < end; ++filled_) {
    auto frame = frame_allocator().allocate();
    if (!frame) return false;
    // A frame may hold another task's old data: never hand it out unwiped.
    __builtin_memset(physical_to_virtual(*frame), 0, bm::kPageSize);
    frames_[filled_] = *frame;
  }
  return true;
}

MemoryObject* MemoryObject::create_fixed(bm::abi::ObjectType type, uint64_t physical,
                                         uint64_t bytes) {
  auto* object = new MemoryObject(type);
  if (object == nullptr) return nullptr;
  object->base_ = physical;
  object->bytes_ = bytes;
  object->pages_ = bm::align_up(bytes + physical % bm::kPageSize, bm::kPageSize) / bm::kPageSize;
  object->filled_ = object->pages_;
  return object;
}

void MemoryObject::destroy() {
  if (frames_ != nullptr) {
    for (uint64_t i = 0; i < filled_; ++i) (void)frame_allocator().free(frames_[i]);
    (void)kernel_free(frames_);
  }
  if (quota_ != nullptr) {
    quota_->release(charged_);
    payer_.reset();
  }
  delete this;
}

}  // namespace kernel
