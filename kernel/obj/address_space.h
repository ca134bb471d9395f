// A task's address space: its own lower half (user pages), the kernel's
// upper half shared with every other address space. Also the one place
// where the kernel reads and writes user memory, always after checking it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "kernel/mm/kernel_paging.h"
#include "lib/mm/frame_quota.h"
#include "lib/mm/page_table.h"
#include "lib/obj/ref_ptr.h"

namespace kernel {

class MemoryObject;
using bm::RefPtr;

class AddressSpace {
 public:
  // A fresh lower half and the kernel's upper half.
  bm::Result<void> init();
  // Frees every frame the space owns (kPageOwned), its user tables and root.
  void destroy();

  uint64_t root() const { return table_.root(); }
  bm::PageTable& table() { return table_; }

  // Maps zeroed frames owned by this space at [virt, virt + bytes), all or
  // nothing. virt and bytes page aligned, inside the user half.
  bm::Result<void> map_fresh(uint64_t virt, uint64_t bytes, uint64_t flags);
  // Maps physical memory the space does not own (device memory, shared frames).
  bm::Result<void> map_foreign(uint64_t virt, uint64_t physical, uint64_t bytes, uint64_t flags);
  // Unmaps [virt, virt + bytes); owned frames go back to the frame allocator.
  bm::Result<void> unmap(uint64_t virt, uint64_t bytes);

  // Checks that [virt, virt + length) is canonical, in the user half, mapped
  // for user access and, if `for_write`, writable. kNotCanonical,
  // kOutOfRange, kNotMapped or kInvalidArgument (read-only) otherwise.
  bm::Result<void> check_user_range(uint64_t virt, size_t length, bool for_write) const;
  // Copies through the direct map, so it works on any space, current or not.
  bm::Result<void> copy_from_user(void* destination, uint64_t source, size_t length) const;
  bm::Result<void> copy_to_user(uint64_t destination, const void* source, size_t length);

  // Maps pages [first_page, first_page + page_count) of a memory object at
  // `virt` (page aligned, user half; the caller checked the range lies in
  // the object); the mapping keeps a reference to it. W+X is refused.
  bm::Result<void> map_object(MemoryObject* object, uint64_t first_page, uint64_t page_count,
                              uint64_t virt, uint64_t flags);
  // Removes the mapping made by map_object at exactly `virt`.
  bm::Result<void> unmap_object(uint64_t virt);

  size_t owned_frames() const { return owned_frames_; }
  // Every frame map_fresh allocates from now on is charged to `quota` (the
  // owning task's) and given back when unmapped or destroyed.
  void charge_to(bm::FrameQuota* quota) { quota_ = quota; }

  // Most object mappings one space may hold: each may need up to three page
  // tables, which are not charged to the quota, so their number is bounded.
  static constexpr size_t kMaxObjectMappings = 1024;

 private:
  struct ObjectMapping {
    RefPtr<MemoryObject> object;  // a mapping keeps its object alive
    uint64_t virt;
    uint64_t bytes;
    ObjectMapping* next;
  };
  ObjectMapping* object_mappings_ = nullptr;
  size_t object_mapping_count_ = 0;
  bm::FrameQuota* quota_ = nullptr;

  bm::PageTable table_{page_table_environment(), 0};
  size_t owned_frames_ = 0;
  bool ready_ = false;
};

}  // namespace kernel
