// What PageTable needs from its surroundings: the kernel implements it with the direct physical
// map, its frame allocator and invlpg; host tests implement it over a std::vector of frames.
#pragma once

#include "lib/core/result.h"
#include "lib/mm/page_flags.h"

namespace bm {

class PageTableEnvironment {
 public:
  // Where the table at physical address `table` can be read and written, or nullptr if that
  // frame is not reachable (PageTable then reports kMalformed instead of following it).
  virtual void* physical_to_virtual(PhysAddr table) = 0;
  // A 4 KiB-aligned frame for a new table; its contents are unspecified (PageTable zeroes it).
  virtual Result<PhysAddr> allocate_table() = 0;
  virtual void free_table(PhysAddr table) = 0;
  // Drop cached translations for `page` (invlpg on hardware; it also flushes the
  // paging-structure caches, SDM vol. 3A §4.10.4.1, which is why one call suffices after
  // freeing intermediate tables).
  virtual void invalidate(VirtAddr page) = 0;

 protected:
  // Never deleted through this interface; the kernel has no heap to delete from.
  ~PageTableEnvironment() = default;
};

}  // namespace bm
