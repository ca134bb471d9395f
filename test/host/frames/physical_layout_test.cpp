// Host tests for the boot-time physical plan: where the bitmap goes, and that nothing
// excluded (first MiB, kernel, modules, MB2 block, the bitmap) is ever handed out.
#include "lib/mm/physical_layout.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace bm {
namespace {

using mb2::MemoryRegion;
using mb2::PhysicalRange;
using mb2::RegionType;

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;

bool overlaps(uint64_t base, uint64_t length, const PhysicalRange& range) {
  return base < range.base + range.length && range.base < base + length;
}

// 32 MiB QEMU-like machine, normalized.
std::vector<MemoryRegion> machine_32m() {
  return {{0x0, 0x9fc00, RegionType::kUsable},
          {0x9fc00, 0x400, RegionType::kReserved},
          {0xf0000, 0x10000, RegionType::kReserved},
          {0x100000, 31 * kMiB - 0x20000, RegionType::kUsable},
          {32 * kMiB - 0x20000, 0x20000, RegionType::kReserved}};
}

// Kernel at 1 MiB, MB2 block right after, two modules.
std::vector<PhysicalRange> boot_exclusions_32m() {
  return {{0x100000, 0x123456},   // kernel image (unaligned end)
          {0x224000, 0x1238},     // MB2 info block
          {0x226000, 0x5000},     // module "init"
          {0x22c800, 0x3000}};    // module "vga", unaligned
}

struct Populated {
  std::vector<uint64_t> storage;
  FrameAllocator allocator;
};

std::unique_ptr<Populated> populate(const PhysicalLayoutPlan& plan,
                                    const std::vector<MemoryRegion>& regions,
                                    const std::vector<PhysicalRange>& excluded) {
  auto p = std::make_unique<Populated>();
  p->storage.resize(plan.bitmap_bytes / 8);
  EXPECT_TRUE(populate_frame_allocator(&p->allocator, p->storage.data(), plan, regions.data(),
                                       regions.size(), excluded.data(), excluded.size())
                  .ok());
  return p;
}

TEST(PhysicalLayout, CollectsKernelBootBlockAndModules) {
  auto info = std::make_unique<mb2::BootInfo>();
  info->total_size = 0x1238;
  info->module_count = 2;
  info->modules[0] = {0x226000, 0x22b000, "init"};
  info->modules[1] = {0x22c800, 0x22f800, "vga"};
  PhysicalRange out[8];
  auto count = collect_boot_exclusions(*info, 0x224000, {0x100000, 0x123456}, out, 8);
  ASSERT_TRUE(count.ok());
  ASSERT_EQ(*count, 4u);
  const auto expected = boot_exclusions_32m();
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(out[i].base, expected[i].base) << i;
    EXPECT_EQ(out[i].length, expected[i].length) << i;
  }
  EXPECT_EQ(collect_boot_exclusions(*info, 0x224000, {0x100000, 1}, out, 3).error(),
            Error::kOutOfRange);
  info->modules[1].end = 0x1000;
  EXPECT_EQ(collect_boot_exclusions(*info, 0x224000, {0x100000, 1}, out, 8).error(),
            Error::kInvalidArgument);
}

TEST(PhysicalLayout, PlansA32MibMachine) {
  const auto regions = machine_32m();
  const auto excluded = boot_exclusions_32m();
  auto plan = plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                   excluded.size(), 4 * kGiB);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->max_physical_address, 32 * kMiB - 0x20000);
  EXPECT_EQ(plan->bitmap_bytes, FrameAllocator::bitmap_bytes_for(32 * kMiB - 0x20000));
  EXPECT_EQ(plan->bitmap_physical % kFrameSize, 0u);
  // Lowest fit: the 2 KiB bitmap fits the 6 KiB gap between the two modules.
  EXPECT_EQ(plan->bitmap_bytes, 2048u);  // 8160 frames, 128 words per bitmap
  EXPECT_EQ(plan->bitmap_physical, 0x22b000u);
  EXPECT_GE(plan->bitmap_physical, kLowMemoryEnd);
  for (const PhysicalRange& range : excluded) {
    EXPECT_FALSE(overlaps(plan->bitmap_physical, plan->bitmap_bytes, range));
  }
}

TEST(PhysicalLayout, BitmapSkipsGapsTooSmallForIt) {
  // 16 GiB needs a 1 MiB bitmap; the 512 KiB gaps between exclusions must be skipped.
  const std::vector<MemoryRegion> regions = {
      {0x0, 640 * kKiB, RegionType::kUsable},
      {1 * kMiB, 3584 * kMiB - 1 * kMiB, RegionType::kUsable},
      {4 * kGiB, 12 * kGiB, RegionType::kUsable}};
  const std::vector<PhysicalRange> excluded = {
      {1 * kMiB, 1 * kMiB}, {2560 * kKiB, 1 * kMiB}, {4 * kMiB, 2 * kMiB}};
  auto plan = plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                   excluded.size(), 4 * kGiB);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->max_physical_address, 16 * kGiB);
  EXPECT_EQ(plan->bitmap_bytes, 1 * kMiB);
  EXPECT_EQ(plan->bitmap_physical, 6 * kMiB);
}

TEST(PhysicalLayout, BitmapNeverGoesIntoTheFirstMib) {
  // Only low memory has room before the limit: the plan must fail, not use it.
  const std::vector<MemoryRegion> regions = {{0x1000, 0x9e000, RegionType::kUsable},
                                             {8 * kGiB, 1 * kGiB, RegionType::kUsable}};
  auto plan = plan_physical_layout(regions.data(), regions.size(), nullptr, 0, 4 * kGiB);
  EXPECT_EQ(plan.error(), Error::kOutOfMemory);
}

TEST(PhysicalLayout, BitmapStaysBelowThePlacementLimit) {
  const std::vector<MemoryRegion> regions = {{1 * kMiB, 8 * kMiB, RegionType::kUsable},
                                             {4 * kGiB, 4 * kGiB, RegionType::kUsable}};
  const std::vector<PhysicalRange> excluded = {{1 * kMiB, 8 * kMiB - 0x1000}};
  // Bitmap for 8 GiB is 512 KiB; below 4 GiB only one free frame is left.
  auto plan = plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                   excluded.size(), 4 * kGiB);
  EXPECT_EQ(plan.error(), Error::kOutOfMemory);
  // Without the limit it may go above 4 GiB.
  auto unlimited = plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                        excluded.size(), ~uint64_t{0});
  ASSERT_TRUE(unlimited.ok());
  EXPECT_EQ(unlimited->bitmap_physical, 4 * kGiB);
  // A limit that exactly fits the bitmap's end is accepted.
  auto exact = plan_physical_layout(regions.data(), regions.size(), nullptr, 0,
                                    kMiB + FrameAllocator::bitmap_bytes_for(8 * kGiB));
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->bitmap_physical, 1 * kMiB);
  auto one_short = plan_physical_layout(regions.data(), regions.size(), nullptr, 0,
                                        kMiB + FrameAllocator::bitmap_bytes_for(8 * kGiB) - 1);
  EXPECT_EQ(one_short.error(), Error::kOutOfMemory);
}

TEST(PhysicalLayout, IgnoresNonUsableRegionsForTheMaximum) {
  const std::vector<MemoryRegion> regions = {{1 * kMiB, 31 * kMiB, RegionType::kUsable},
                                             {0xfec00000, 0x1000, RegionType::kReserved},
                                             {64 * kGiB, 1 * kGiB, RegionType::kReserved}};
  auto plan = plan_physical_layout(regions.data(), regions.size(), nullptr, 0, 4 * kGiB);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->max_physical_address, 32 * kMiB);
}

TEST(PhysicalLayout, RejectsMachinesWithoutUsableRam) {
  const std::vector<MemoryRegion> regions = {{0, 1 * kGiB, RegionType::kReserved}};
  EXPECT_EQ(plan_physical_layout(regions.data(), 1, nullptr, 0, 4 * kGiB).error(),
            Error::kOutOfMemory);
  EXPECT_EQ(plan_physical_layout(nullptr, 0, nullptr, 0, 4 * kGiB).error(),
            Error::kOutOfMemory);
  EXPECT_EQ(plan_physical_layout(nullptr, 1, nullptr, 0, 4 * kGiB).error(),
            Error::kInvalidArgument);
}

TEST(PhysicalLayout, RejectsTooManyExclusions) {
  const auto regions = machine_32m();
  std::vector<PhysicalRange> excluded(kMaxExclusions + 1, PhysicalRange{0x200000, 0x1000});
  EXPECT_EQ(plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                 excluded.size(), 4 * kGiB)
                .error(),
            Error::kOutOfRange);
  excluded.pop_back();
  EXPECT_TRUE(plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                   excluded.size(), 4 * kGiB)
                  .ok());
}

TEST(PhysicalLayout, RejectsRamBeyondThePhysicalAddressLimit) {
  const std::vector<MemoryRegion> regions = {{1 * kMiB, ~uint64_t{0}, RegionType::kUsable}};
  EXPECT_EQ(plan_physical_layout(regions.data(), 1, nullptr, 0, 4 * kGiB).error(),
            Error::kOutOfRange);
}

TEST(PhysicalLayout, PopulatedAllocatorNeverHandsOutExcludedFrames) {
  const auto regions = machine_32m();
  const auto excluded = boot_exclusions_32m();
  auto plan = plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                   excluded.size(), 4 * kGiB);
  ASSERT_TRUE(plan.ok());
  auto p = populate(*plan, regions, excluded);

  // Usable above 1 MiB: 0x100000 .. 0x1fe0000. Excluded frames (rounded outward):
  // kernel 0x100000..0x224000 (0x124 frames), MB2 0x224000..0x226000 (2), module
  // 0x226000..0x22b000 (5), bitmap 0x22b000..0x22b800 (1), module 0x22c000..0x230000 (4).
  const size_t usable = (0x1fe0000 - 0x100000) / kFrameSize;
  const size_t expected = usable - 0x124 - 2 - 5 - 4 - 1;
  EXPECT_EQ(p->allocator.total_usable_frames(), expected);
  EXPECT_EQ(p->allocator.free_frames(), expected);

  std::vector<PhysicalRange> forbidden = excluded;
  forbidden.push_back({0, kLowMemoryEnd});
  forbidden.push_back({plan->bitmap_physical, plan->bitmap_bytes});
  size_t count = 0;
  while (true) {
    auto frame = p->allocator.allocate();
    if (!frame) break;
    ++count;
    for (const PhysicalRange& range : forbidden) {
      ASSERT_FALSE(overlaps(*frame, kFrameSize, range)) << std::hex << *frame;
    }
    ASSERT_LE(*frame + kFrameSize, 32 * kMiB - 0x20000);
  }
  EXPECT_EQ(count, expected);
  // Excluded frames are not just allocated: free() refuses them.
  EXPECT_EQ(p->allocator.free(0x100000).error(), Error::kForeignPointer);   // kernel
  EXPECT_EQ(p->allocator.free(0x22c000).error(), Error::kForeignPointer);   // partly a module
  EXPECT_EQ(p->allocator.free(0x22b000).error(), Error::kForeignPointer);   // bitmap
  EXPECT_EQ(p->allocator.free(0x1000).error(), Error::kForeignPointer);     // first MiB
  EXPECT_TRUE(p->allocator.free(0x230000).ok());  // right after the last module: RAM
}

TEST(PhysicalLayout, PopulatesASixteenGibMachineWithHoles) {
  const std::vector<MemoryRegion> regions = {
      {0x0, 640 * kKiB, RegionType::kUsable},
      {640 * kKiB, 384 * kKiB, RegionType::kReserved},
      {1 * kMiB, 3584 * kMiB - 1 * kMiB, RegionType::kUsable},
      {3584 * kMiB, 512 * kMiB, RegionType::kReserved},
      {4 * kGiB, 12 * kGiB, RegionType::kUsable}};
  const std::vector<PhysicalRange> excluded = {{1 * kMiB, 4 * kMiB}};
  auto plan = plan_physical_layout(regions.data(), regions.size(), excluded.data(),
                                   excluded.size(), 4 * kGiB);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->bitmap_physical, 5 * kMiB);
  EXPECT_EQ(plan->bitmap_bytes, 1 * kMiB);
  auto p = populate(*plan, regions, excluded);
  const size_t expected = (3584 - 6) * 256 + 12 * 256 * 1024;
  EXPECT_EQ(p->allocator.total_usable_frames(), expected);
  EXPECT_EQ(p->allocator.free_frames(), expected);
  auto early = p->allocator.allocate_below(4 * kGiB);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(*early, 6 * kMiB);
}

TEST(PhysicalLayout, PopulateReportsBadArguments) {
  const auto regions = machine_32m();
  auto plan = plan_physical_layout(regions.data(), regions.size(), nullptr, 0, 4 * kGiB);
  ASSERT_TRUE(plan.ok());
  std::vector<uint64_t> storage(plan->bitmap_bytes / 8);
  FrameAllocator allocator;
  EXPECT_EQ(populate_frame_allocator(nullptr, storage.data(), *plan, regions.data(),
                                     regions.size(), nullptr, 0)
                .error(),
            Error::kInvalidArgument);
  EXPECT_EQ(populate_frame_allocator(&allocator, nullptr, *plan, regions.data(), regions.size(),
                                     nullptr, 0)
                .error(),
            Error::kInvalidArgument);
  PhysicalLayoutPlan too_small = *plan;
  too_small.bitmap_bytes = 8;
  EXPECT_EQ(populate_frame_allocator(&allocator, storage.data(), too_small, regions.data(),
                                     regions.size(), nullptr, 0)
                .error(),
            Error::kOutOfMemory);
}

}  // namespace
}  // namespace bm
