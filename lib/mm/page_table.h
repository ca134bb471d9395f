// PageTable: builds, edits and walks one x86_64 4-level page-table hierarchy (Intel SDM vol. 3A
// §4.5) through a PageTableEnvironment, so the same code runs in the kernel and in host tests.
#pragma once

#include <stdint.h>

#include "lib/core/result.h"
#include "lib/mm/page_flags.h"
#include "lib/mm/page_table_environment.h"

namespace bm {

// One leaf as the CPU would use it. `flags` are the effective PageFlags of the whole walk:
// writable/user only if every level allows it, no-execute if any level forbids execution
// (SDM vol. 3A §4.6); write-through, cache-disable and global come from the leaf.
struct Translation {
  PhysAddr physical;  // frame + offset of the translated address
  uint64_t flags;
  uint64_t page_size;  // kPageSize, kLargePageSize or kHugePageSize
};

// Called once per leaf by for_each_mapping, `virt` being the leaf's first (canonical) address
// and translation.physical the leaf's frame.
using MappingVisitor = void (*)(void* context, VirtAddr virt, const Translation& translation);

class PageTable {
 public:
  // Adopts an existing hierarchy whose PML4 is the 4 KiB frame at `root`. constexpr so that a
  // kernel global PageTable is constant-initialised (no global constructor).
  constexpr PageTable(PageTableEnvironment& env, PhysAddr root) : env_(&env), root_(root) {}
  // Allocates and zeroes a new, empty root.
  static Result<PageTable> create(PageTableEnvironment& env);

  PhysAddr root() const { return root_; }

  // Maps the 4 KiB page at `virt` to `phys`. Errors: kNotAligned, kNotCanonical, kOutOfRange
  // (phys beyond 52 bits), kInvalidArgument (flags outside kAllowedPageFlags), kAlreadyMapped
  // (also when a 2 MiB/1 GiB page covers virt), kOutOfMemory, kMalformed (a table the
  // environment cannot reach). On failure nothing changed and no table was leaked.
  Result<void> map(VirtAddr virt, PhysAddr phys, uint64_t flags);
  // Same for a 2 MiB page (virt and phys 2 MiB aligned); kAlreadyMapped if any mapping exists
  // in that 2 MiB range.
  Result<void> map_large(VirtAddr virt, PhysAddr phys, uint64_t flags);

  // Removes the 4 KiB mapping at `virt` and returns its frame; invalidates exactly that page.
  // kNotMapped if nothing is mapped, kInvalidArgument if a larger page covers virt.
  Result<PhysAddr> unmap(VirtAddr virt);
  // Removes the 2 MiB mapping at `virt`; kInvalidArgument if virt is mapped with 4 KiB pages.
  Result<PhysAddr> unmap_large(VirtAddr virt);

  // Any page size; virt need not be aligned.
  Result<Translation> translate(VirtAddr virt) const;

  // Replaces the permission flags of an existing 4 KiB mapping and invalidates it.
  Result<void> protect(VirtAddr virt, uint64_t flags);

  // Maps [virt, virt+bytes) to [phys, phys+bytes) with 4 KiB pages, all or nothing: on failure
  // the pages mapped so far are unmapped again (in the kernel half their now-empty tables stay,
  // as after any unmap there). bytes == 0 only validates. kNotCanonical also when the range
  // leaves its canonical half or wraps.
  Result<void> map_range(VirtAddr virt, PhysAddr phys, uint64_t bytes, uint64_t flags);
  // Maps [virt, virt+bytes) with 2 MiB pages, all or nothing; bytes a multiple of 2 MiB.
  // Walks the tables once per page directory rather than once per page: the kernel's direct
  // map of all RAM is thousands of pages.
  Result<void> map_large_range(VirtAddr virt, PhysAddr phys, uint64_t bytes, uint64_t flags);
  // Unmaps [virt, virt+bytes); changes nothing and fails with kNotMapped (a hole) or
  // kInvalidArgument (a larger page) unless every page in the range is a 4 KiB mapping.
  Result<void> unmap_range(VirtAddr virt, uint64_t bytes);

  // Visits every leaf in ascending virtual order. kMalformed if a table is unreachable.
  Result<void> for_each_mapping(MappingVisitor visitor, void* context) const;

  // Gives the PML4 entry covering `virt` (kernel half only, else kInvalidArgument) a PDPT if
  // it has none. The kernel does this for every kernel region at boot, before any address
  // space copies the kernel half, so later kernel mappings show up in every address space.
  Result<void> prepare_top_level(VirtAddr virt);

  // Copies PML4 entries 256..511 from `source`, so this address space shares the kernel half.
  // Sharing covers what lies below those entries: the kernel should create all 256 kernel-half
  // PDPTs once, before the first copy, since a PDPT added later reaches only one root.
  Result<void> copy_kernel_half(const PageTable& source);

  // Frees every intermediate table of the user half and the root, but no mapped frame (those
  // belong to their owners) and no kernel-half table (shared). Must not be the active CR3.
  // Afterwards every operation fails with kMalformed.
  void destroy();

 private:
  PageTableEnvironment* env_;  // a pointer, not a reference, so PageTable stays assignable
  PhysAddr root_;
};

}  // namespace bm
