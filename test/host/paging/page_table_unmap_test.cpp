// Host tests for tearing mappings down and failing half-way: unmap, ranges, out-of-memory
// rollback and destroy, each checked against the fake's allocation and invalidation records.
#include <stdint.h>

#include <algorithm>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "test/host/paging/page_table_fixture.h"

namespace bm::test {
namespace {

namespace pe = page_entry;

class PageTableUnmap : public PageTableFixture {};
class PageTableOutOfMemory : public PageTableFixture {};
class PageTableRange : public PageTableFixture {};
class PageTableDestroy : public PageTableFixture {};

constexpr PhysAddr kFrame = 0x2'0000'0000;
constexpr VirtAddr kKernelBase = 0xffff'ffff'8000'0000;

TEST_F(PageTableUnmap, ReturnsFrameInvalidatesAndFreesEmptyTables) {
  const VirtAddr virt = 0x12'3456'7000;
  ASSERT_TRUE(table_.map(virt, kFrame, kPageWritable).ok());
  ASSERT_EQ(memory_.allocated_count(), 4u);

  Result<PhysAddr> frame = table_.unmap(virt);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(*frame, kFrame);
  EXPECT_EQ(memory_.invalidations(), std::vector<VirtAddr>{virt});
  EXPECT_EQ(memory_.allocated_count(), 1u);  // PT, PD and PDPT freed, the root kept
  EXPECT_EQ(memory_.frees(), 3u);
  // Flush first: the paging-structure caches may still point at the tables being freed.
  EXPECT_EQ(memory_.events(), "ifff");
  for (size_t i = 0; i < 512; ++i) ASSERT_EQ(memory_.entry(table_.root(), i), 0u);
  EXPECT_EQ(table_.translate(virt).error(), Error::kNotMapped);
}

TEST_F(PageTableUnmap, KeepsTablesThatStillHoldMappings) {
  ASSERT_TRUE(table_.map(0x1000, kFrame, 0).ok());
  ASSERT_TRUE(table_.map(0x2000, kFrame + kPageSize, 0).ok());
  ASSERT_TRUE(table_.map(0x4000'0000, kFrame + 2 * kPageSize, 0).ok());  // same PDPT, other PD
  ASSERT_EQ(memory_.allocated_count(), 6u);

  EXPECT_EQ(*table_.unmap(0x1000), kFrame);
  EXPECT_EQ(memory_.allocated_count(), 6u);
  EXPECT_EQ(table_.translate(0x2000)->physical, kFrame + kPageSize);
  EXPECT_EQ(*table_.unmap(0x2000), kFrame + kPageSize);
  EXPECT_EQ(memory_.allocated_count(), 4u);  // first PT and PD freed, PDPT still used
  EXPECT_EQ(table_.translate(0x4000'0000)->physical, kFrame + 2 * kPageSize);
  EXPECT_EQ(memory_.invalidations(), (std::vector<VirtAddr>{0x1000, 0x2000}));
}

TEST_F(PageTableUnmap, RejectsBadArguments) {
  ASSERT_TRUE(table_.map(0x1000, kFrame, 0).ok());
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.unmap(0x2000).error(), Error::kNotMapped);          // PT exists, PTE absent
  EXPECT_EQ(table_.unmap(0x80'0000'0000).error(), Error::kNotMapped);  // no PDPT at all
  EXPECT_EQ(table_.unmap(0x1008).error(), Error::kNotAligned);
  EXPECT_EQ(table_.unmap(0xffff'0000'0000'0000).error(), Error::kNotCanonical);
  EXPECT_EQ(memory_.snapshot(), before);
  EXPECT_TRUE(memory_.invalidations().empty());
}

TEST_F(PageTableUnmap, ThousandRandomPagesReturnToBaseline) {
  std::mt19937_64 random(20240611);
  std::map<VirtAddr, PhysAddr> pages;
  while (pages.size() < 1000) {
    // Half spread over the whole user half (mostly private tables), half clustered (shared).
    const VirtAddr virt = pages.size() % 2 == 0 ? (random() % (1ull << 35)) * kPageSize
                                                : 0x1000'0000 + (random() % 4096) * kPageSize;
    pages.emplace(virt, (random() % (1ull << 40)) * kPageSize);
  }
  std::vector<std::pair<VirtAddr, PhysAddr>> order(pages.begin(), pages.end());
  std::shuffle(order.begin(), order.end(), random);

  const size_t baseline = memory_.allocated_count();
  for (const auto& [virt, phys] : order) ASSERT_TRUE(table_.map(virt, phys, kPageUser).ok());
  for (const auto& [virt, phys] : pages) {
    Result<Translation> translation = table_.translate(virt + 0x123);
    ASSERT_TRUE(translation.ok());
    ASSERT_EQ(translation->physical, phys + 0x123);
  }
  EXPECT_GT(memory_.allocated_count(), baseline + 500);

  std::shuffle(order.begin(), order.end(), random);
  for (const auto& [virt, phys] : order) {
    Result<PhysAddr> frame = table_.unmap(virt);
    ASSERT_TRUE(frame.ok());
    ASSERT_EQ(*frame, phys);
    ASSERT_EQ(memory_.invalidations().back(), virt);
  }
  EXPECT_EQ(memory_.invalidations().size(), pages.size());
  EXPECT_EQ(memory_.allocated_count(), baseline);
  for (size_t i = 0; i < 512; ++i) ASSERT_EQ(memory_.entry(table_.root(), i), 0u);
}

TEST_F(PageTableUnmap, KeepsKernelHalfTables) {
  ASSERT_TRUE(table_.map(kKernelBase, kFrame, kPageWritable).ok());
  ASSERT_EQ(memory_.allocated_count(), 4u);
  const uint64_t pml4_entry = memory_.entry(table_.root(), 511);

  EXPECT_EQ(*table_.unmap(kKernelBase), kFrame);
  EXPECT_EQ(memory_.invalidations(), std::vector<VirtAddr>{kKernelBase});
  EXPECT_EQ(memory_.allocated_count(), 4u);
  EXPECT_EQ(memory_.entry(table_.root(), 511), pml4_entry);
  EXPECT_NE(raw_entry(kKernelBase, kPd) & pe::kPresent, 0u);
  EXPECT_EQ(table_.translate(kKernelBase).error(), Error::kNotMapped);

  // Re-mapping reuses the kept tables.
  ASSERT_TRUE(table_.map(kKernelBase + kPageSize, kFrame, 0).ok());
  EXPECT_EQ(memory_.allocated_count(), 4u);
}

TEST_F(PageTableOutOfMemory, FailedMapLeaksNothingWhicheverAllocationFails) {
  ASSERT_TRUE(table_.map(0x1000, kFrame, kPageUser).ok());
  struct Case {
    VirtAddr virt;
    size_t tables_needed;
  };
  const Case cases[] = {
      {0x2000, 0},          // everything exists
      {0x20'0000, 1},       // new PT
      {0x4000'0000, 2},     // new PD + PT
      {0x80'0000'0000, 3},  // new PDPT + PD + PT
      {kKernelBase, 3},     // the same in the kernel half
  };
  for (const Case& c : cases) {
    size_t failures = 0;
    for (size_t k = 1;; ++k) {
      const auto before = memory_.snapshot();
      memory_.fail_nth_allocation(k);
      Result<void> mapped = table_.map(c.virt, kFrame, kPageUser);
      memory_.fail_nth_allocation(0);
      if (mapped.ok()) break;
      ++failures;
      ASSERT_EQ(mapped.error(), Error::kOutOfMemory);
      ASSERT_EQ(memory_.snapshot(), before) << std::hex << c.virt << " k=" << k;
      ASSERT_LE(k, 4u);
    }
    EXPECT_EQ(failures, c.tables_needed) << std::hex << c.virt;
    EXPECT_EQ(table_.translate(c.virt)->physical, kFrame);
  }
  EXPECT_TRUE(memory_.invalidations().empty());
}

TEST_F(PageTableOutOfMemory, FailedLargeMapLeaksNothing) {
  size_t failures = 0;
  for (size_t k = 1;; ++k) {
    const auto before = memory_.snapshot();
    memory_.fail_nth_allocation(k);
    Result<void> mapped = table_.map_large(0x4000'0000, 0, kPageWritable);
    memory_.fail_nth_allocation(0);
    if (mapped.ok()) break;
    ++failures;
    ASSERT_EQ(mapped.error(), Error::kOutOfMemory);
    ASSERT_EQ(memory_.snapshot(), before);
    ASSERT_LE(k, 3u);
  }
  EXPECT_EQ(failures, 2u);  // PDPT + PD
}

TEST_F(PageTableOutOfMemory, FailedRangeMapRollsBackWhicheverAllocationFails) {
  ASSERT_TRUE(table_.map(0x1000, kFrame, 0).ok());
  // Crosses into PML4 slot 1: needs PD + PT below the existing PDPT of slot 0, then
  // PDPT + PD + PT in slot 1.
  const VirtAddr virt = 0x80'0000'0000 - 2 * kPageSize;
  const uint64_t bytes = 4 * kPageSize;
  size_t failures = 0;
  for (size_t k = 1;; ++k) {
    const auto before = memory_.snapshot();
    memory_.fail_nth_allocation(k);
    Result<void> mapped = table_.map_range(virt, kFrame, bytes, kPageWritable);
    memory_.fail_nth_allocation(0);
    if (mapped.ok()) break;
    ++failures;
    ASSERT_EQ(mapped.error(), Error::kOutOfMemory);
    ASSERT_EQ(memory_.snapshot(), before) << "k=" << k;
    ASSERT_LE(k, 6u);
  }
  EXPECT_EQ(failures, 5u);
  for (uint64_t offset = 0; offset < bytes; offset += kPageSize) {
    EXPECT_EQ(table_.translate(virt + offset)->physical, kFrame + offset);
  }
}

TEST_F(PageTableRange, MapsAndUnmapsRanges) {
  const VirtAddr virt = 0x1f'c000;   // starts 4 pages before a PT boundary
  const uint64_t bytes = 0x50'0000;  // 5 MiB: several page tables
  const PhysAddr phys = 0x3'0000'0000;
  ASSERT_TRUE(table_.map_range(virt, phys, bytes, kPageWritable | kPageUser).ok());
  for (uint64_t offset = 0; offset < bytes; offset += kPageSize) {
    Result<Translation> translation = table_.translate(virt + offset + 0x42);
    ASSERT_TRUE(translation.ok());
    ASSERT_EQ(translation->physical, phys + offset + 0x42);
    ASSERT_EQ(translation->flags, uint64_t{kPageWritable | kPageUser});
  }
  EXPECT_EQ(table_.translate(virt - kPageSize).error(), Error::kNotMapped);
  EXPECT_EQ(table_.translate(virt + bytes).error(), Error::kNotMapped);

  ASSERT_TRUE(table_.unmap_range(virt, bytes).ok());
  EXPECT_EQ(memory_.invalidations().size(), bytes / kPageSize);
  EXPECT_EQ(memory_.allocated_count(), 1u);
}

TEST_F(PageTableRange, MapRangeRollsBackWhenAPageIsTaken) {
  const VirtAddr virt = 0x1f'0000;  // 16 pages before a PT boundary
  const VirtAddr taken = virt + 20 * kPageSize;
  ASSERT_TRUE(table_.map(taken, kFrame, 0).ok());
  const auto before = memory_.snapshot();

  EXPECT_EQ(table_.map_range(virt, 0x3'0000'0000, 32 * kPageSize, kPageWritable).error(),
            Error::kAlreadyMapped);
  EXPECT_EQ(memory_.snapshot(), before);  // the PT created for the first 16 pages is gone again
  EXPECT_EQ(table_.translate(taken)->physical, kFrame);
  EXPECT_EQ(table_.translate(virt).error(), Error::kNotMapped);
}

TEST_F(PageTableRange, RejectsBadRanges) {
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.map_range(0x1000, kFrame, 0x1001, 0).error(), Error::kNotAligned);
  EXPECT_EQ(table_.map_range(0x1001, kFrame, 0x1000, 0).error(), Error::kNotAligned);
  EXPECT_EQ(table_.map_range(0x1000, kFrame + 1, 0x1000, 0).error(), Error::kNotAligned);
  // Runs into the non-canonical hole, or wraps past the top of the address space.
  EXPECT_EQ(table_.map_range(0x7fff'ffff'f000, kFrame, 0x2000, 0).error(), Error::kNotCanonical);
  EXPECT_EQ(table_.map_range(0xffff'ffff'ffff'f000, kFrame, 0x2000, 0).error(),
            Error::kNotCanonical);
  // Both ends canonical, but the range spans the hole between the halves.
  EXPECT_EQ(table_.map_range(0x1000, 0, 0xffff'8000'0000'0000, 0).error(), Error::kNotCanonical);
  EXPECT_EQ(table_.map_range(0x1000, (1ull << 52) - 0x1000, 0x2000, 0).error(), Error::kOutOfRange);
  EXPECT_EQ(table_.map_range(0x1000, ~0ull << 12, 0x2000, 0).error(), Error::kOutOfRange);
  EXPECT_EQ(table_.map_range(0x1000, kFrame, 0x2000, 1ull << 7).error(), Error::kInvalidArgument);
  EXPECT_TRUE(table_.map_range(0x1000, kFrame, 0, 0).ok());  // empty: nothing to do
  EXPECT_EQ(table_.unmap_range(0x7fff'ffff'f000, 0x2000).error(), Error::kNotCanonical);
  EXPECT_EQ(table_.unmap_range(0x1000, 0x10).error(), Error::kNotAligned);
  EXPECT_TRUE(table_.unmap_range(0x1000, 0).ok());
  EXPECT_EQ(memory_.snapshot(), before);
}

TEST_F(PageTableRange, UnmapRangeWithAHoleChangesNothing) {
  ASSERT_TRUE(table_.map_range(0x10'0000, kFrame, 8 * kPageSize, 0).ok());
  ASSERT_TRUE(table_.map_large(0x4000'0000, 0, 0).ok());
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.unmap_range(0x10'0000, 9 * kPageSize).error(), Error::kNotMapped);
  EXPECT_EQ(table_.unmap_range(0x4000'0000, kPageSize).error(), Error::kInvalidArgument);
  EXPECT_EQ(memory_.snapshot(), before);
  EXPECT_TRUE(memory_.invalidations().empty());
}

TEST_F(PageTableDestroy, FreesUserHalfTablesAndRootOnly) {
  const PhysAddr owned_frame = memory_.claim_frame();  // a mapped frame that is real memory
  ASSERT_TRUE(table_.map(0x1000, owned_frame, kPageUser).ok());
  ASSERT_TRUE(table_.map_range(0x80'0000'0000 - kPageSize, kFrame, 2 * kPageSize, 0).ok());
  ASSERT_TRUE(table_.map_large(0x7fff'ffe0'0000, 0, 0).ok());
  ASSERT_TRUE(table_.map(kKernelBase, kFrame, 0).ok());
  ASSERT_TRUE(table_.map_large(0xffff'8000'0000'0000, 0, 0).ok());
  // User half: PDPTs in slots 0, 1, 255; PDs for 0x0, 0x7f'c000'0000, slot 1, slot 255; PTs
  // for all but the large page. Kernel half: PDPT + PD + PT (slot 511), PDPT + PD (slot 256).
  const size_t user_tables = 3 + 4 + 3;
  const size_t kernel_tables = 3 + 2;
  ASSERT_EQ(memory_.allocated_count(), 1 + 1 + user_tables + kernel_tables);
  const PhysAddr kernel_pdpt = memory_.entry(table_.root(), 511) & pe::kAddressMask;

  table_.destroy();
  EXPECT_EQ(memory_.frees(), user_tables + 1);
  EXPECT_EQ(memory_.allocated_count(), 1 + kernel_tables);
  EXPECT_TRUE(memory_.allocated().count(owned_frame));
  EXPECT_TRUE(memory_.allocated().count(kernel_pdpt));
  EXPECT_TRUE(memory_.invalidations().empty());

  // A destroyed table refuses every further use instead of touching freed frames.
  EXPECT_EQ(table_.translate(0x1000).error(), Error::kMalformed);
  EXPECT_EQ(table_.map(0x1000, kFrame, 0).error(), Error::kMalformed);
  EXPECT_EQ(table_.unmap(0x1000).error(), Error::kMalformed);
  table_.destroy();
  EXPECT_EQ(memory_.frees(), user_tables + 1);
}

}  // namespace
}  // namespace bm::test
