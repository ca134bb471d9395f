// Physical frame allocator: one bit per 4 KiB frame of RAM, for the kernel's page tables,
// stacks and the frames it hands to memd. Knows nothing about virtual memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/page_size.h"
#include "lib/core/result.h"

namespace bm {

constexpr uint64_t kFrameSize = kPageSize;  // a frame backs one page
// x86-64 architectural limit on physical addresses (MAXPHYADDR <= 52, Intel SDM vol. 3 §4.1.4).
constexpr uint64_t kMaxPhysicalAddress = uint64_t{1} << 52;

// Two bitmaps live in caller-provided storage: `used` (1 = not available: allocated,
// reserved, or never RAM) and `usable` (1 = the frame was added as RAM by add_free_range and
// so may be freed). Invariant: a frame that is not usable is always used. Only frames lying
// wholly below max_physical_address are managed.
//
// The constructor is constexpr, so a global FrameAllocator is constant-initialised (no
// runtime constructor in the kernel). Nothing here touches the frames' contents.
class FrameAllocator {
 public:
  constexpr FrameAllocator() = default;
  FrameAllocator(const FrameAllocator&) = delete;
  FrameAllocator& operator=(const FrameAllocator&) = delete;

  // Bytes of storage init() needs for RAM up to max_physical_address (both bitmaps).
  static size_t bitmap_bytes_for(uint64_t max_physical_address);

  // Every frame starts used and not usable. Errors: kInvalidArgument (null storage, or fewer
  // than one frame), kNotAligned (storage not 8-byte aligned), kOutOfRange
  // (max_physical_address > kMaxPhysicalAddress), kOutOfMemory (storage_bytes too small).
  Result<void> init(void* bitmap_storage, size_t storage_bytes, uint64_t max_physical_address);

  // Frames wholly inside the range become usable and free (the range is rounded inward);
  // meant for setup, it also frees frames that were allocated. Parts past the managed range
  // are ignored.
  void add_free_range(uint64_t base, uint64_t length);
  // Frames the range touches become used (rounded outward). A reserved usable frame counts
  // as used and may later be handed back with free(); frames never added stay unusable.
  void reserve_range(uint64_t base, uint64_t length);

  // One free frame's physical address. Next-fit from where the last allocation ended,
  // skipping full 64-frame words. kOutOfMemory when none is left but committed ones.
  Result<uint64_t> allocate();
  // A free frame whose end is <= limit (lowest first), for structures that must be reachable
  // early. kOutOfMemory when there is none below the limit, or none left but committed ones.
  Result<uint64_t> allocate_below(uint64_t limit);

  // Commitments: `count` free frames set aside for one owner, who takes them later, one at
  // a time, with allocate_committed. allocate and allocate_below never take them, so a
  // commitment cannot fail later: memory is promised at once and touched only when used.
  // kOutOfMemory when fewer than `count` uncommitted frames are free (nothing changes then).
  Result<void> commit(size_t count);
  // One frame of a commitment made earlier (the caller counts its own); kOutOfMemory only if
  // nothing is committed, which is the caller's bug.
  Result<uint64_t> allocate_committed();
  // Gives back `count` committed frames that were never taken (at most what is committed).
  void release_commitment(size_t count);
  // Errors: kNotAligned, kOutOfRange (at or past the managed range), kForeignPointer (the
  // frame was never usable RAM, e.g. ACPI data or the first MiB), kDoubleFree.
  Result<void> free(uint64_t physical);

  // Free frames nobody has committed: what allocate and commit can still hand out.
  size_t free_frames() const {
    // reserve_range (setup only) may take free frames that were committed.
    return free_count_ > committed_count_ ? free_count_ - committed_count_ : 0;
  }
  // Usable frames allocated or committed.
  size_t used_frames() const { return usable_count_ - free_frames(); }
  size_t committed_frames() const { return committed_count_; }
  size_t total_usable_frames() const { return usable_count_; }
  // Exclusive end of the managed range (a multiple of kFrameSize).
  uint64_t managed_end() const { return frame_count_ * kFrameSize; }

 private:
  // Applies `mask` to word `word` of the bitmaps for the frame-range operations.
  void add_free_word(size_t word, uint64_t mask);
  void reserve_word(size_t word, uint64_t mask);
  // Marks bit `bit` of `word` used and returns the frame's address.
  uint64_t take(size_t word, unsigned bit);
  // The next-fit search behind allocate and allocate_committed.
  Result<uint64_t> take_next_free();

  uint64_t* used_ = nullptr;
  uint64_t* usable_ = nullptr;
  size_t word_count_ = 0;
  uint64_t frame_count_ = 0;
  size_t usable_count_ = 0;
  size_t free_count_ = 0;       // free frames, committed ones included
  size_t committed_count_ = 0;  // free frames promised by commit, not yet taken
  size_t next_word_ = 0;  // next-fit hint: the word the last allocation came from
};

}  // namespace bm
