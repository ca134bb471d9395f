// Physical memory a task may map into an address space: frames allocated
// for it (memory_create), a device's range (the VGA text buffer), or a boot
// module's image. Mapping it retains the object, so frames are freed only
// when the last handle and the last mapping are gone.
#pragma once

#include <stdint.h>

#include "kernel/obj/kernel_object.h"
#include "lib/core/page_size.h"
#include "lib/mm/frame_quota.h"

namespace kernel {

class MemoryObject final : public KernelObject {
 public:
  // An object for `pages` frames (type kMemory), charged to `quota` until it
  // is destroyed, but still without frames: add_zeroed_frames fills it a chunk at a time, so that a large one
  // can be built with preemption points in between. Nobody may see it before
  // it is filled. Null when memory runs out or the quota would be exceeded.
  // The object may outlive the task whose quota pays (`payer`, which owns
  // `quota`): it keeps the payer alive so the charge can be given back.
  static MemoryObject* reserve_frames(uint64_t pages, bm::FrameQuota& quota,
                                      KernelObject& payer);
  // Takes and zeroes up to `count` more frames; false when physical memory runs out.
  bool add_zeroed_frames(uint64_t count);
  bool filled() const { return filled_ == pages_; }
  // A fixed physical range, never freed: kDeviceMemory for devices, kMemory
  // for boot module images.
  static MemoryObject* create_fixed(bm::abi::ObjectType type, uint64_t physical, uint64_t bytes);

  uint64_t pages() const { return pages_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t physical_page(uint64_t index) const {
    return frames_ != nullptr ? frames_[index]
                              : (base_ & ~(bm::kPageSize - 1)) + index * bm::kPageSize;
  }
  // The physical start of a fixed range (boot modules are read from here).
  uint64_t physical_base() const { return base_; }
  bool is_fixed() const { return frames_ == nullptr; }

  // `hook` runs the first time the object is mapped: the kernel's log stops
  // drawing on the screen once a console server maps the text buffer
  // (start_init), without memory_map knowing which object that is.
  void set_first_map_hook(void (*hook)()) { first_map_hook_ = hook; }
  void note_mapped() {
    if (void (*hook)() = first_map_hook_) {
      first_map_hook_ = nullptr;
      hook();
    }
  }

 private:
  explicit MemoryObject(bm::abi::ObjectType type);
  void destroy() override;

  uint64_t* frames_ = nullptr;  // allocated frames, or null for a fixed range
  bm::FrameQuota* quota_ = nullptr;  // what the frames count against
  RefPtr<KernelObject> payer_;       // the quota's owner, kept alive for the refund
  uint64_t charged_ = 0;
  uint64_t base_ = 0;
  uint64_t pages_ = 0;
  uint64_t filled_ = 0;         // frames_[0, filled_) are taken and zeroed
  uint64_t bytes_ = 0;
  void (*first_map_hook_)() = nullptr;
};

}  // namespace kernel
