// Physical memory a task may map into an address space: frames allocated
// for it (memory_create), a device's range (the VGA text buffer), or a boot
// module's image. Mapping it retains the object, so frames are freed only
// when the last handle and the last mapping are gone.
#pragma once

#include <stdint.h>

#include "kernel/obj/kernel_object.h"
#include "lib/core/page_size.h"
#include "lib/core/result.h"
#include "lib/mm/frame_quota.h"

namespace kernel {

class MemoryObject final : public KernelObject {
 public:
  // An object for `pages` frames (type kMemory), charged to `quota` until it is destroyed.
  // The frames are committed in the frame allocator at once, so the object can always get
  // them, but each is taken and zeroed only when its page is first mapped (take_frames):
  // creating a large object costs no time, and pages nobody maps cost no zeroing.
  // Null when memory runs out or the quota would be exceeded. The object may outlive the
  // task whose quota pays (`payer`, which owns `quota`): it keeps the payer alive so the
  // charge can be given back.
  static MemoryObject* reserve_frames(uint64_t pages, bm::FrameQuota& quota,
                                      KernelObject& payer);
  // Takes and zeroes the committed frames of pages [first, first + count) that have none yet,
  // at most `budget` of them: true once every page of the range has its frame, false when
  // the budget ran out first, so a caller can cover a large range in pieces with preemption
  // points in between. kOutOfMemory only if the commitment was broken (a kernel bug).
  bm::Result<bool> take_frames(uint64_t first, uint64_t count, uint64_t budget);
  // A fixed physical range, never freed: kDeviceMemory for devices, kMemory
  // for boot module images.
  static MemoryObject* create_fixed(bm::abi::ObjectType type, uint64_t physical, uint64_t bytes);

  uint64_t pages() const { return pages_; }
  uint64_t bytes() const { return bytes_; }
  // The frame behind page `index`; for a kMemory object, after take_frames covered it.
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

  // A page whose committed frame is not taken yet (never a frame: frames are page aligned).
  static constexpr uint64_t kNoFrameYet = ~uint64_t{0};

  uint64_t* frames_ = nullptr;  // each page's frame or kNoFrameYet; null for a fixed range
  bm::FrameQuota* quota_ = nullptr;  // what the frames count against
  RefPtr<KernelObject> payer_;       // the quota's owner, kept alive for the refund
  uint64_t charged_ = 0;
  uint64_t base_ = 0;
  uint64_t pages_ = 0;
  uint64_t committed_ = 0;  // frames committed in the frame allocator and not yet taken
  uint64_t bytes_ = 0;
  void (*first_map_hook_)() = nullptr;
};

}  // namespace kernel
