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
  for (uint64_t page = 0; page < pages; ++page) object->frames_[page] = kNoFrameYet;
  object->pages_ = pages;
  object->bytes_ = pages * bm::kPageSize;
  if (!frame_allocator().commit(pages)) {
    object->destroy();
    return nullptr;
  }
  object->committed_ = pages;
  return object;
}

bm::Result<bool> MemoryObject::take_frames(uint64_t first, uint64_t count, uint64_t budget) {
  if (frames_ == nullptr) return true;  // a fixed range has its frames
  for (uint64_t page = first; page < first + count; ++page) {
    if (frames_[page] != kNoFrameYet) continue;
    if (budget-- == 0) return false;
    // Committed in reserve_frames, so this cannot run out.
    auto frame = frame_allocator().allocate_committed();
    if (!frame) return frame.error();
    --committed_;
    // A frame may hold another task's old data: never hand it out unwiped.
    __builtin_memset(physical_to_virtual(*frame), 0, bm::kPageSize);
    frames_[page] = *frame;
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
  return object;
}

void MemoryObject::destroy() {
  if (frames_ != nullptr) {
    for (uint64_t page = 0; page < pages_; ++page) {
      if (frames_[page] != kNoFrameYet) (void)frame_allocator().free(frames_[page]);
    }
    frame_allocator().release_commitment(committed_);
    (void)kernel_free(frames_);
  }
  if (quota_ != nullptr) {
    quota_->release(charged_);
    payer_.reset();
  }
  delete this;
}

}  // namespace kernel
