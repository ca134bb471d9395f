// Host tests for the bitmap frame allocator: exact counts, every usable frame handed out
// exactly once, the error cases of free(), and a 16 GiB machine with e820-like holes.
#include "lib/mm/frame_allocator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <vector>

namespace bm {
namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;

// A global allocator must need no runtime constructor in the kernel.
constinit FrameAllocator g_constant_initialised;

// Owns the bitmap storage alongside the allocator.
struct Fixture {
  explicit Fixture(uint64_t max_physical_address)
      : storage(FrameAllocator::bitmap_bytes_for(max_physical_address) / 8 + 1) {
    EXPECT_TRUE(allocator.init(storage.data(), storage.size() * 8, max_physical_address).ok());
  }
  std::vector<uint64_t> storage;
  FrameAllocator allocator;
};

std::vector<uint64_t> drain(FrameAllocator& allocator) {
  std::vector<uint64_t> frames;
  while (true) {
    auto frame = allocator.allocate();
    if (!frame) {
      EXPECT_EQ(frame.error(), Error::kOutOfMemory);
      break;
    }
    frames.push_back(*frame);
  }
  return frames;
}

TEST(FrameAllocator, GlobalInstanceStartsEmpty) {
  EXPECT_EQ(g_constant_initialised.free_frames(), 0u);
  EXPECT_EQ(g_constant_initialised.total_usable_frames(), 0u);
  EXPECT_EQ(g_constant_initialised.allocate().error(), Error::kOutOfMemory);
  EXPECT_EQ(g_constant_initialised.allocate_below(4 * kGiB).error(), Error::kOutOfMemory);
  EXPECT_EQ(g_constant_initialised.free(0x1000).error(), Error::kOutOfRange);
}

TEST(FrameAllocator, BitmapBytesCoverBothBitmaps) {
  // 16 GiB = 4M frames = 512 KiB per bitmap.
  EXPECT_EQ(FrameAllocator::bitmap_bytes_for(16 * kGiB), 2 * 512 * kKiB);
  EXPECT_EQ(FrameAllocator::bitmap_bytes_for(32 * kMiB), 2 * 1 * kKiB);
  // 65 frames need two 64-bit words per bitmap; a partial last frame is not managed.
  EXPECT_EQ(FrameAllocator::bitmap_bytes_for(65 * kFrameSize + 100), 2u * 2 * 8);
  EXPECT_EQ(FrameAllocator::bitmap_bytes_for(0), 0u);
}

TEST(FrameAllocator, InitRejectsBadStorage) {
  std::vector<uint64_t> storage(64);
  FrameAllocator allocator;
  EXPECT_EQ(allocator.init(nullptr, 512, 32 * kFrameSize).error(), Error::kInvalidArgument);
  EXPECT_EQ(allocator.init(storage.data(), 512, 100).error(), Error::kInvalidArgument);
  auto* misaligned = reinterpret_cast<uint8_t*>(storage.data()) + 4;
  EXPECT_EQ(allocator.init(misaligned, 256, 32 * kFrameSize).error(), Error::kNotAligned);
  EXPECT_EQ(allocator.init(storage.data(), 512, kMaxPhysicalAddress + kFrameSize).error(),
            Error::kOutOfRange);
  const size_t needed = FrameAllocator::bitmap_bytes_for(4096 * kFrameSize);
  ASSERT_GT(needed, 512u);
  EXPECT_EQ(allocator.init(storage.data(), 512, 4096 * kFrameSize).error(), Error::kOutOfMemory);
  EXPECT_TRUE(allocator.init(storage.data(), 512, 2048 * kFrameSize).ok());
}

TEST(FrameAllocator, EveryFrameStartsReserved) {
  Fixture f(32 * kMiB);
  EXPECT_EQ(f.allocator.free_frames(), 0u);
  EXPECT_EQ(f.allocator.used_frames(), 0u);
  EXPECT_EQ(f.allocator.total_usable_frames(), 0u);
  EXPECT_EQ(f.allocator.allocate().error(), Error::kOutOfMemory);
  EXPECT_EQ(f.allocator.free(0x200000).error(), Error::kForeignPointer);
}

TEST(FrameAllocator, AddFreeRangeRoundsInward) {
  Fixture f(32 * kMiB);
  f.allocator.add_free_range(0x100800, 0x3000);  // covers frames 0x101000 and 0x102000 wholly
  EXPECT_EQ(f.allocator.free_frames(), 2u);
  EXPECT_EQ(f.allocator.total_usable_frames(), 2u);
  f.allocator.add_free_range(0x200000, 0xfff);  // less than a frame: nothing
  f.allocator.add_free_range(0x300000, 0);
  EXPECT_EQ(f.allocator.free_frames(), 2u);
  const auto frames = drain(f.allocator);
  EXPECT_EQ(std::set<uint64_t>(frames.begin(), frames.end()),
            (std::set<uint64_t>{0x101000, 0x102000}));
}

TEST(FrameAllocator, AddingARangeTwiceDoesNotDoubleCount) {
  Fixture f(32 * kMiB);
  f.allocator.add_free_range(0x100000, 0x100000);
  f.allocator.add_free_range(0x180000, 0x100000);
  EXPECT_EQ(f.allocator.total_usable_frames(), 0x180u);
  EXPECT_EQ(f.allocator.free_frames(), 0x180u);
}

TEST(FrameAllocator, ReserveRangeRoundsOutward) {
  Fixture f(32 * kMiB);
  f.allocator.add_free_range(0x100000, 0x10000);  // 16 frames
  f.allocator.reserve_range(0x102fff, 2);         // touches 0x102000 and 0x103000
  EXPECT_EQ(f.allocator.free_frames(), 14u);
  EXPECT_EQ(f.allocator.used_frames(), 2u);
  EXPECT_EQ(f.allocator.total_usable_frames(), 16u);
  f.allocator.reserve_range(0x102000, 0x1000);  // already reserved: no change
  f.allocator.reserve_range(0x0, 0x1000);       // never usable: no change to counts
  EXPECT_EQ(f.allocator.free_frames(), 14u);
  for (uint64_t frame : drain(f.allocator)) {
    EXPECT_NE(frame, 0x102000u);
    EXPECT_NE(frame, 0x103000u);
  }
  // A reserved usable frame can be handed back later (e.g. a module's frames).
  EXPECT_TRUE(f.allocator.free(0x103000).ok());
  EXPECT_EQ(f.allocator.free_frames(), 1u);
}

TEST(FrameAllocator, AllocatesEveryUsableFrameExactlyOnce) {
  Fixture f(64 * kMiB);
  f.allocator.add_free_range(0x0, 0x9fc00);         // 159 whole frames
  f.allocator.add_free_range(0x100000, 63 * kMiB);  // up to the end
  f.allocator.reserve_range(0x100000, 0x200000);    // "kernel"
  f.allocator.reserve_range(0x1234567, 0x10);       // one frame
  const size_t usable = 159 + 63 * 256;
  const size_t reserved = 512 + 1;
  ASSERT_EQ(f.allocator.total_usable_frames(), usable);
  ASSERT_EQ(f.allocator.free_frames(), usable - reserved);
  ASSERT_EQ(f.allocator.used_frames(), reserved);

  const auto frames = drain(f.allocator);
  std::set<uint64_t> unique(frames.begin(), frames.end());
  EXPECT_EQ(frames.size(), usable - reserved);
  EXPECT_EQ(unique.size(), frames.size());
  for (uint64_t frame : frames) {
    ASSERT_EQ(frame % kFrameSize, 0u);
    ASSERT_FALSE(frame >= 0x9f000 && frame < 0x100000) << std::hex << frame;
    ASSERT_FALSE(frame >= 0x100000 && frame < 0x300000) << std::hex << frame;
    ASSERT_NE(frame, 0x1234000u);
    ASSERT_LT(frame, 64 * kMiB);
  }
  EXPECT_EQ(f.allocator.free_frames(), 0u);
  EXPECT_EQ(f.allocator.used_frames(), usable);

  for (uint64_t frame : frames) ASSERT_TRUE(f.allocator.free(frame).ok());
  EXPECT_EQ(f.allocator.free_frames(), usable - reserved);
  EXPECT_EQ(f.allocator.used_frames(), reserved);
  // And the same set comes out again.
  const auto again = drain(f.allocator);
  EXPECT_EQ(std::set<uint64_t>(again.begin(), again.end()), unique);
}

TEST(FrameAllocator, RejectsBadFrees) {
  Fixture f(32 * kMiB);
  f.allocator.add_free_range(0x100000, 0x100000);
  f.allocator.add_free_range(0x400000, 0x100000);
  auto frame = f.allocator.allocate();
  ASSERT_TRUE(frame.ok());

  EXPECT_EQ(f.allocator.free(*frame + 8).error(), Error::kNotAligned);
  EXPECT_EQ(f.allocator.free(32 * kMiB).error(), Error::kOutOfRange);
  EXPECT_EQ(f.allocator.free(1ull << 40).error(), Error::kOutOfRange);
  EXPECT_EQ(f.allocator.free(0x0).error(), Error::kForeignPointer);        // below 1 MiB
  EXPECT_EQ(f.allocator.free(0x300000).error(), Error::kForeignPointer);   // the hole
  EXPECT_EQ(f.allocator.free(0x1fff000).error(), Error::kForeignPointer);  // last frame
  EXPECT_EQ(f.allocator.free(0x500000).error(), Error::kForeignPointer);   // just past a range

  const size_t free_before = f.allocator.free_frames();
  ASSERT_TRUE(f.allocator.free(*frame).ok());
  EXPECT_EQ(f.allocator.free(*frame).error(), Error::kDoubleFree);
  EXPECT_EQ(f.allocator.free(0x4ff000).error(), Error::kDoubleFree);  // never allocated
  EXPECT_EQ(f.allocator.free_frames(), free_before + 1);
}

TEST(FrameAllocator, AllocateBelowSkipsFramesAboveTheLimit) {
  Fixture f(64 * kMiB);
  f.allocator.add_free_range(40 * kMiB, 8 * kMiB);
  f.allocator.add_free_range(0x200000, 0x2000);
  auto high = f.allocator.allocate();  // next-fit takes the low ones first; that is fine
  ASSERT_TRUE(high.ok());
  auto low = f.allocator.allocate_below(16 * kMiB);
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(*low, *high == 0x200000u ? 0x201000u : 0x200000u);
  EXPECT_EQ(f.allocator.allocate_below(16 * kMiB).error(), Error::kOutOfMemory);
  auto any = f.allocator.allocate();
  ASSERT_TRUE(any.ok());
  EXPECT_GE(*any, 40 * kMiB);
}

TEST(FrameAllocator, AllocateBelowStopsAtTheLimitExactly) {
  Fixture f(64 * kMiB);
  f.allocator.add_free_range(0x100000, 63 * kMiB);
  std::set<uint64_t> below;
  while (true) {
    auto frame = f.allocator.allocate_below(0x180800);  // not frame aligned
    if (!frame) {
      EXPECT_EQ(frame.error(), Error::kOutOfMemory);
      break;
    }
    EXPECT_LE(*frame + kFrameSize, 0x180800u);
    below.insert(*frame);
  }
  EXPECT_EQ(below.size(), 0x80u);  // 0x100000 .. 0x17f000
  EXPECT_EQ(*below.begin(), 0x100000u);
  EXPECT_EQ(*below.rbegin(), 0x17f000u);
  EXPECT_EQ(f.allocator.allocate_below(0x100000).error(), Error::kOutOfMemory);
  EXPECT_EQ(f.allocator.allocate_below(0).error(), Error::kOutOfMemory);
  // A limit above the managed range just means "anywhere".
  auto anywhere = f.allocator.allocate_below(~uint64_t{0});
  ASSERT_TRUE(anywhere.ok());
  EXPECT_EQ(*anywhere, 0x180000u);
  EXPECT_EQ(f.allocator.free_frames(), 63 * 256 - 0x80u - 1);
}

TEST(FrameAllocator, RangesPastTheManagedEndAreClipped) {
  Fixture f(32 * kMiB + 0x800);  // partial last frame is not managed
  EXPECT_EQ(f.allocator.managed_end(), 32 * kMiB);
  f.allocator.add_free_range(31 * kMiB, ~uint64_t{0});  // overflowing length
  EXPECT_EQ(f.allocator.total_usable_frames(), 256u);
  f.allocator.reserve_range(32 * kMiB - 1, ~uint64_t{0});
  EXPECT_EQ(f.allocator.free_frames(), 255u);
  f.allocator.add_free_range(64 * kMiB, kMiB);  // entirely outside
  f.allocator.reserve_range(64 * kMiB, kMiB);
  EXPECT_EQ(f.allocator.total_usable_frames(), 256u);
  EXPECT_EQ(f.allocator.free_frames(), 255u);
}

TEST(FrameAllocator, NextFitContinuesAfterTheLastAllocation) {
  Fixture f(32 * kMiB);
  f.allocator.add_free_range(0x100000, 0x100000);
  auto first = f.allocator.allocate();
  auto second = f.allocator.allocate();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 0x100000u);
  EXPECT_EQ(*second, 0x101000u);
  ASSERT_TRUE(f.allocator.free(*first).ok());
  auto third = f.allocator.allocate();  // reuses the freed frame in the hint word
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 0x100000u);
}

TEST(FrameAllocator, CommittedFramesAreKeptForTheirOwner) {
  Fixture f(1 * kMiB);
  f.allocator.add_free_range(0, 1 * kMiB);  // 256 frames
  ASSERT_TRUE(f.allocator.commit(200).ok());
  EXPECT_EQ(f.allocator.committed_frames(), 200u);
  EXPECT_EQ(f.allocator.free_frames(), 56u);
  EXPECT_EQ(f.allocator.used_frames(), 200u);
  // Everyone else gets only the 56 uncommitted frames, through either allocate.
  EXPECT_EQ(drain(f.allocator).size(), 56u);
  EXPECT_EQ(f.allocator.allocate_below(1 * kMiB).error(), Error::kOutOfMemory);
  EXPECT_EQ(f.allocator.commit(1).error(), Error::kOutOfMemory);
  // The owner still gets all of its 200, each a distinct, really free frame.
  std::set<uint64_t> taken;
  for (int i = 0; i < 200; ++i) {
    auto frame = f.allocator.allocate_committed();
    ASSERT_TRUE(frame.ok()) << i;
    EXPECT_TRUE(taken.insert(*frame).second);
  }
  EXPECT_EQ(f.allocator.committed_frames(), 0u);
  EXPECT_EQ(f.allocator.allocate_committed().error(), Error::kOutOfMemory);
  EXPECT_EQ(f.allocator.free_frames(), 0u);
}

TEST(FrameAllocator, ACommitmentLargerThanWhatIsFreeChangesNothing) {
  Fixture f(1 * kMiB);
  f.allocator.add_free_range(0, 1 * kMiB);
  ASSERT_TRUE(f.allocator.commit(100).ok());
  EXPECT_EQ(f.allocator.commit(157).error(), Error::kOutOfMemory);  // 156 uncommitted
  EXPECT_EQ(f.allocator.committed_frames(), 100u);
  EXPECT_EQ(f.allocator.free_frames(), 156u);
  ASSERT_TRUE(f.allocator.commit(156).ok());
  EXPECT_EQ(f.allocator.free_frames(), 0u);
}

TEST(FrameAllocator, ReleasedCommitmentsBecomeFreeAgain) {
  Fixture f(1 * kMiB);
  f.allocator.add_free_range(0, 1 * kMiB);
  ASSERT_TRUE(f.allocator.commit(64).ok());
  ASSERT_TRUE(f.allocator.allocate_committed().ok());
  f.allocator.release_commitment(63);
  EXPECT_EQ(f.allocator.committed_frames(), 0u);
  EXPECT_EQ(f.allocator.free_frames(), 255u);
  f.allocator.release_commitment(5);  // more than is committed: clamped, never negative
  EXPECT_EQ(f.allocator.free_frames(), 255u);
  EXPECT_EQ(drain(f.allocator).size(), 255u);
}

TEST(FrameAllocator, FreedFramesServeCommitmentsAndAllocationsAlike) {
  Fixture f(1 * kMiB);
  f.allocator.add_free_range(0, 1 * kMiB);
  std::vector<uint64_t> all = drain(f.allocator);
  ASSERT_EQ(all.size(), 256u);
  EXPECT_EQ(f.allocator.commit(1).error(), Error::kOutOfMemory);
  ASSERT_TRUE(f.allocator.free(all[10]).ok());
  ASSERT_TRUE(f.allocator.commit(1).ok());
  EXPECT_EQ(f.allocator.allocate().error(), Error::kOutOfMemory);
  auto frame = f.allocator.allocate_committed();
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(*frame, all[10]);
}

TEST(FrameAllocator, SixteenGibE820LayoutIsCountedExactlyAndFast) {
  const uint64_t max = 16 * kGiB;
  Fixture f(max);
  EXPECT_EQ(f.storage.size() * 8, FrameAllocator::bitmap_bytes_for(max) + 8);

  const auto start = std::chrono::steady_clock::now();
  f.allocator.add_free_range(0x0, 640 * kKiB);
  f.allocator.add_free_range(1 * kMiB, 3584 * kMiB - 1 * kMiB);  // 1 MiB .. 3.5 GiB
  f.allocator.add_free_range(4 * kGiB, 12 * kGiB);               // 4 GiB .. 16 GiB
  f.allocator.reserve_range(0x0, 1 * kMiB);                      // the first MiB
  const size_t low = 160, middle = (3584 - 1) * 256, high = 12 * 256 * 1024;
  ASSERT_EQ(f.allocator.total_usable_frames(), low + middle + high);
  ASSERT_EQ(f.allocator.free_frames(), middle + high);
  ASSERT_EQ(f.allocator.used_frames(), low);

  std::vector<uint8_t> seen(max / kFrameSize, 0);
  size_t count = 0;
  while (true) {
    auto frame = f.allocator.allocate();
    if (!frame) break;
    const uint64_t index = *frame / kFrameSize;
    ASSERT_LT(index, seen.size());
    ASSERT_EQ(seen[index], 0) << std::hex << *frame;
    seen[index] = 1;
    ++count;
    ASSERT_TRUE(*frame >= 1 * kMiB) << std::hex << *frame;
    ASSERT_FALSE(*frame >= 3584 * kMiB && *frame < 4 * kGiB) << std::hex << *frame;
  }
  EXPECT_EQ(count, middle + high);
  EXPECT_EQ(f.allocator.free_frames(), 0u);

  // Free every other frame, then allocate below 4 GiB: must come from the 1M..3.5G range.
  for (uint64_t frame = 4 * kGiB; frame < max; frame += 2 * kFrameSize) {
    ASSERT_TRUE(f.allocator.free(frame).ok());
  }
  EXPECT_EQ(f.allocator.allocate_below(4 * kGiB).error(), Error::kOutOfMemory);
  ASSERT_TRUE(f.allocator.free(2 * kGiB).ok());
  auto low_frame = f.allocator.allocate_below(4 * kGiB);
  ASSERT_TRUE(low_frame.ok());
  EXPECT_EQ(*low_frame, 2 * kGiB);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // 3.9M allocations; generous bound even under sanitizers, catches a quadratic scan.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 20);
}

}  // namespace
}  // namespace bm
