// Host tests for PageTable::map, map_large, translate and protect: addresses, flags, intermediate
// entries and every rejected input.
#include <stdint.h>

#include "test/host/paging/page_table_fixture.h"

namespace bm::test {
namespace {

namespace pe = page_entry;

class PageTableMap : public PageTableFixture {};

constexpr PhysAddr kFrame = 0x1'2345'6000;

TEST_F(PageTableMap, CreateZeroesTheRoot) {
  EXPECT_EQ(memory_.allocated_count(), 1u);
  for (size_t i = 0; i < 512; ++i) ASSERT_EQ(memory_.entry(table_.root(), i), 0u) << i;
}

TEST_F(PageTableMap, CreateReportsOutOfMemory) {
  FakePhysicalMemory empty(0);
  Result<PageTable> table = PageTable::create(empty);
  EXPECT_EQ(table.error(), Error::kOutOfMemory);
}

TEST_F(PageTableMap, TranslatesAtManyAddresses) {
  const VirtAddr addresses[] = {
      0x0,                    // first page
      0x1000,                 // second page, same PT
      0x1f'f000,              // last entry of a PT
      0x20'0000,              // first entry of the next PT
      0x3fff'f000,            // last page of a PD
      0x4000'0000,            // first page of the next PD
      0x7f'ffff'f000,         // last page of a PDPT
      0x80'0000'0000,         // first page of PML4 slot 1
      0x7fff'ffff'f000,       // highest user page
      0xffff'8000'0000'0000,  // lowest kernel-half page
      0xffff'ffff'8000'0000,  // kernel image base
      0xffff'ffff'ffff'f000,  // last page of the address space
  };
  PhysAddr phys = kFrame;
  for (VirtAddr virt : addresses) {
    ASSERT_TRUE(table_.map(virt, phys, kPageWritable).ok()) << std::hex << virt;
    phys += 7 * kPageSize;  // frames unrelated to the virtual layout
  }
  phys = kFrame;
  for (VirtAddr virt : addresses) {
    for (uint64_t offset : {uint64_t{0}, uint64_t{1}, uint64_t{0x7ff}, uint64_t{0xfff}}) {
      Result<Translation> translation = table_.translate(virt + offset);
      ASSERT_TRUE(translation.ok()) << std::hex << virt + offset;
      EXPECT_EQ(translation->physical, phys + offset) << std::hex << virt + offset;
      EXPECT_EQ(translation->page_size, kPageSize);
      EXPECT_EQ(translation->flags, uint64_t{kPageWritable});
    }
    phys += 7 * kPageSize;
  }
  // Neighbours that were not mapped stay unmapped.
  EXPECT_EQ(table_.translate(0x2000).error(), Error::kNotMapped);
  EXPECT_EQ(table_.translate(0x1f'e000).error(), Error::kNotMapped);
  EXPECT_EQ(table_.translate(0xffff'ffff'8000'1000).error(), Error::kNotMapped);
  EXPECT_EQ(table_.translate(0xffff'ffff'ffff'e000).error(), Error::kNotMapped);
  // A fresh mapping needs no TLB flush.
  EXPECT_TRUE(memory_.invalidations().empty());
}

TEST_F(PageTableMap, WritesTheHardwareEntryFormat) {
  const VirtAddr virt = 0x12'3456'7000;
  ASSERT_TRUE(table_.map(virt, kFrame, kPageWritable | kPageNoExecute).ok());
  EXPECT_EQ(raw_entry(virt, kPt), kFrame | pe::kPresent | pe::kWritable | pe::kNoExecute);
  for (int level : {kPml4, kPdpt, kPd}) {
    const uint64_t entry = raw_entry(virt, level);
    // Intermediates: Present|Writable, no U for a supervisor leaf, never NX, table address.
    EXPECT_EQ(entry & ~pe::kAddressMask, pe::kPresent | pe::kWritable) << level;
    EXPECT_TRUE(memory_.allocated().count(entry & pe::kAddressMask)) << level;
  }
  EXPECT_EQ(memory_.allocated_count(), 4u);  // root + PDPT + PD + PT
}

TEST_F(PageTableMap, PreservesFlags) {
  const uint64_t combinations[] = {
      0,
      kPageWritable,
      kPageUser,
      kPageNoExecute,
      kPageGlobal,
      kPageWriteThrough,
      kPageCacheDisable,
      kPageWritable | kPageUser | kPageNoExecute,
      kPageWritable | kPageGlobal | kPageNoExecute,
      kPageWriteThrough | kPageCacheDisable | kPageUser,
      kAllowedPageFlags,
  };
  VirtAddr virt = 0x40'0000'0000;
  for (uint64_t flags : combinations) {
    ASSERT_TRUE(table_.map(virt, kFrame, flags).ok()) << std::hex << flags;
    Result<Translation> translation = table_.translate(virt);
    ASSERT_TRUE(translation.ok());
    EXPECT_EQ(translation->flags, flags) << std::hex << flags;
    virt += kPageSize;
  }
}

TEST_F(PageTableMap, UserLeafAddsUserToExistingIntermediates) {
  const VirtAddr kernel_page = 0x5000'0000;
  const VirtAddr user_page = kernel_page + kPageSize;  // same PT, PD and PDPT
  ASSERT_TRUE(table_.map(kernel_page, kFrame, kPageWritable).ok());
  for (int level : {kPml4, kPdpt, kPd}) EXPECT_EQ(raw_entry(kernel_page, level) & pe::kUser, 0u);

  ASSERT_TRUE(table_.map(user_page, kFrame + kPageSize, kPageUser).ok());
  for (int level : {kPml4, kPdpt, kPd}) {
    EXPECT_NE(raw_entry(user_page, level) & pe::kUser, 0u) << level;
    EXPECT_EQ(raw_entry(user_page, level) & pe::kNoExecute, 0u) << level;
  }
  // Widening an intermediate's rights flushes, since paging-structure caches may hold the old.
  EXPECT_EQ(memory_.invalidations(), std::vector<VirtAddr>{user_page});
  // The supervisor page stays supervisor-only: the leaf decides.
  EXPECT_EQ(table_.translate(kernel_page)->flags, uint64_t{kPageWritable});
  EXPECT_EQ(table_.translate(user_page)->flags, uint64_t{kPageUser});
}

TEST_F(PageTableMap, RejectsBadArgumentsWithoutChangingAnything) {
  ASSERT_TRUE(table_.map(0x1000, kFrame, kPageWritable).ok());
  const auto before = memory_.snapshot();
  struct Case {
    VirtAddr virt;
    PhysAddr phys;
    uint64_t flags;
    Error expected;
  };
  const Case cases[] = {
      {0x0000'8000'0000'0000, kFrame, 0, Error::kNotCanonical},  // first non-canonical
      {0xffff'7fff'ffff'f000, kFrame, 0, Error::kNotCanonical},  // last non-canonical
      {0xffff'0000'0000'0000, kFrame, 0, Error::kNotCanonical},
      {0x0001'0000'0000'0000, kFrame, 0, Error::kNotCanonical},
      {0x2001, kFrame, 0, Error::kNotAligned},
      {0x2800, kFrame, 0, Error::kNotAligned},
      {0x2000, kFrame + 8, 0, Error::kNotAligned},
      {0x1000, kFrame + kPageSize, 0, Error::kAlreadyMapped},
      {0x2000, 1ull << 52, 0, Error::kOutOfRange},
      {0x2000, ~0ull << 12, 0, Error::kOutOfRange},
      {0x2000, kFrame, pe::kPresent, Error::kInvalidArgument},
      {0x2000, kFrame, pe::kAccessed, Error::kInvalidArgument},
      {0x2000, kFrame, pe::kDirty, Error::kInvalidArgument},
      {0x2000, kFrame, pe::kPageSizeBit, Error::kInvalidArgument},
      {0x2000, kFrame, 1ull << 10, Error::kInvalidArgument},  // bit 9 is kPageOwned
      {0x2000, kFrame, 1ull << 12, Error::kInvalidArgument},
      {0x2000, kFrame, 1ull << 62, Error::kInvalidArgument},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(table_.map(c.virt, c.phys, c.flags).error(), c.expected)
        << std::hex << c.virt << " " << c.phys << " " << c.flags;
    EXPECT_EQ(memory_.snapshot(), before);
  }
  EXPECT_EQ(table_.translate(0x1000)->physical, kFrame);
  EXPECT_EQ(table_.translate(0x0000'8000'0000'0000).error(), Error::kNotCanonical);
  EXPECT_TRUE(memory_.invalidations().empty());
}

TEST_F(PageTableMap, MapsLargePages) {
  const VirtAddr virt = 0x4000'0000;
  const PhysAddr phys = 0x8020'0000;
  ASSERT_TRUE(table_.map_large(virt, phys, kPageWritable | kPageGlobal).ok());
  EXPECT_EQ(memory_.allocated_count(), 3u);  // root + PDPT + PD, no PT
  EXPECT_EQ(raw_entry(virt, kPd),
            phys | pe::kPresent | pe::kWritable | pe::kGlobal | pe::kPageSizeBit);
  for (uint64_t offset : {uint64_t{0}, uint64_t{0x1234}, uint64_t{0x12'3456}, kLargePageSize - 1}) {
    Result<Translation> translation = table_.translate(virt + offset);
    ASSERT_TRUE(translation.ok());
    EXPECT_EQ(translation->physical, phys + offset);
    EXPECT_EQ(translation->page_size, kLargePageSize);
    EXPECT_EQ(translation->flags, uint64_t{kPageWritable | kPageGlobal});
  }
  EXPECT_EQ(table_.translate(virt + kLargePageSize).error(), Error::kNotMapped);
  EXPECT_EQ(table_.translate(virt - 1).error(), Error::kNotMapped);
}

TEST_F(PageTableMap, MapsTheKernelDirectMapWithLargePages) {
  const VirtAddr base = 0xffff'8000'0000'0000;
  for (uint64_t i = 0; i < 600; ++i) {  // 1.2 GiB: crosses a PD boundary
    ASSERT_TRUE(
        table_.map_large(base + i * kLargePageSize, i * kLargePageSize, kPageWritable).ok());
  }
  EXPECT_EQ(memory_.allocated_count(), 4u);  // root + PDPT + two PDs
  EXPECT_EQ(table_.translate(base + 0x4567'89ab)->physical, 0x4567'89abu);
}

TEST_F(PageTableMap, RejectsBadLargePages) {
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.map_large(0x4000'1000, 0x8000'0000, 0).error(), Error::kNotAligned);
  EXPECT_EQ(table_.map_large(0x4000'0000, 0x8000'1000, 0).error(), Error::kNotAligned);
  EXPECT_EQ(table_.map_large(0x0000'8000'0000'0000, 0, 0).error(), Error::kNotCanonical);
  EXPECT_EQ(table_.map_large(0x4000'0000, 1ull << 52, 0).error(), Error::kOutOfRange);
  EXPECT_EQ(table_.map_large(0x4000'0000, 0, pe::kPageSizeBit).error(), Error::kInvalidArgument);
  EXPECT_EQ(memory_.snapshot(), before);
}

TEST_F(PageTableMap, RejectsSmallPageInsideLargePage) {
  ASSERT_TRUE(table_.map_large(0x4000'0000, 0x8000'0000, kPageWritable).ok());
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.map(0x4000'0000, kFrame, 0).error(), Error::kAlreadyMapped);
  EXPECT_EQ(table_.map(0x4010'5000, kFrame, 0).error(), Error::kAlreadyMapped);
  EXPECT_EQ(table_.map_large(0x4000'0000, 0, 0).error(), Error::kAlreadyMapped);
  EXPECT_EQ(table_.unmap(0x4010'5000).error(), Error::kInvalidArgument);
  EXPECT_EQ(table_.protect(0x4010'5000, 0).error(), Error::kInvalidArgument);
  EXPECT_EQ(memory_.snapshot(), before);
  // The next 2 MiB is free for small pages.
  EXPECT_TRUE(table_.map(0x4020'0000, kFrame, 0).ok());
}

TEST_F(PageTableMap, RejectsLargePageOverSmallPages) {
  ASSERT_TRUE(table_.map(0x4012'3000, kFrame, 0).ok());
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.map_large(0x4000'0000, 0x8000'0000, 0).error(), Error::kAlreadyMapped);
  EXPECT_EQ(table_.unmap_large(0x4000'0000).error(), Error::kInvalidArgument);
  EXPECT_EQ(memory_.snapshot(), before);
}

TEST_F(PageTableMap, UnmapsLargePages) {
  ASSERT_TRUE(table_.map_large(0x4000'0000, 0x8000'0000, 0).ok());
  EXPECT_EQ(table_.unmap_large(0x4000'1000).error(), Error::kNotAligned);
  Result<PhysAddr> frame = table_.unmap_large(0x4000'0000);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(*frame, 0x8000'0000u);
  EXPECT_EQ(memory_.invalidations(), std::vector<VirtAddr>{0x4000'0000});
  EXPECT_EQ(memory_.allocated_count(), 1u);
  EXPECT_EQ(table_.unmap_large(0x4000'0000).error(), Error::kNotMapped);
}

TEST_F(PageTableMap, ProtectChangesFlagsAndInvalidates) {
  const VirtAddr virt = 0x7000'0000'0000;
  ASSERT_TRUE(table_.map(virt, kFrame, kPageWritable).ok());
  // Accessed/Dirty set by the "CPU" must survive a permission change.
  const uint64_t pt = raw_entry(virt, kPd) & pe::kAddressMask;
  memory_.entry(pt, (virt >> 12) & 511) |= pe::kAccessed | pe::kDirty;

  ASSERT_TRUE(table_.protect(virt, kPageUser | kPageNoExecute).ok());
  EXPECT_EQ(memory_.invalidations(), std::vector<VirtAddr>{virt});
  Result<Translation> translation = table_.translate(virt + 0x10);
  ASSERT_TRUE(translation.ok());
  EXPECT_EQ(translation->physical, kFrame + 0x10);
  EXPECT_EQ(translation->flags, uint64_t{kPageUser | kPageNoExecute});
  EXPECT_EQ(raw_entry(virt, kPt),
            kFrame | pe::kPresent | pe::kUser | pe::kNoExecute | pe::kAccessed | pe::kDirty);
  for (int level : {kPml4, kPdpt, kPd}) EXPECT_NE(raw_entry(virt, level) & pe::kUser, 0u);
}

TEST_F(PageTableMap, ProtectRejectsBadArguments) {
  ASSERT_TRUE(table_.map(0x1000, kFrame, kPageWritable).ok());
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.protect(0x2000, 0).error(), Error::kNotMapped);
  EXPECT_EQ(table_.protect(0x1'0000'0000, 0).error(), Error::kNotMapped);
  EXPECT_EQ(table_.protect(0x1800, 0).error(), Error::kNotAligned);
  EXPECT_EQ(table_.protect(0x8000'0000'0000, 0).error(), Error::kNotCanonical);
  EXPECT_EQ(table_.protect(0x1000, pe::kPresent).error(), Error::kInvalidArgument);
  EXPECT_EQ(memory_.snapshot(), before);
  EXPECT_TRUE(memory_.invalidations().empty());
}

TEST_F(PageTableMap, TranslateRejectsNonCanonical) {
  EXPECT_EQ(table_.translate(0x0000'8000'0000'0000).error(), Error::kNotCanonical);
  EXPECT_EQ(table_.translate(0x1234'5678'9abc'def0).error(), Error::kNotCanonical);
  EXPECT_EQ(table_.translate(0).error(), Error::kNotMapped);
}

TEST_F(PageTableMap, OwnedSoftwareBitIsKeptAndReported) {
  ASSERT_TRUE(table_.map(0x40'0000, 0x20'0000, kPageUser | kPageOwned).ok());
  ASSERT_TRUE(table_.map(0x40'1000, 0x30'0000, kPageUser).ok());
  EXPECT_NE(table_.translate(0x40'0000)->flags & kPageOwned, 0u);
  EXPECT_EQ(table_.translate(0x40'1000)->flags & kPageOwned, 0u);
}

TEST_F(PageTableMap, MapsLargeRangesAcrossPageDirectories) {
  // 1 GiB - 4 MiB .. 1 GiB + 6 MiB: crosses a page-directory boundary.
  const VirtAddr base = 0xffff'8000'3fc0'0000;
  const uint64_t bytes = 5 * kLargePageSize;
  ASSERT_TRUE(table_.map_large_range(base, 0x3fc0'0000, bytes, kPageWritable).ok());
  for (uint64_t offset = 0; offset < bytes; offset += kLargePageSize) {
    auto translation = table_.translate(base + offset + 0x1234);
    ASSERT_TRUE(translation.ok());
    EXPECT_EQ(translation->physical, 0x3fc0'0000 + offset + 0x1234);
    EXPECT_EQ(translation->page_size, kLargePageSize);
    EXPECT_NE(translation->flags & kPageWritable, 0u);
  }
  EXPECT_EQ(table_.translate(base + bytes).error(), Error::kNotMapped);
}

TEST_F(PageTableMap, LargeRangeIsAllOrNothing) {
  const VirtAddr base = 0x4000'0000;
  ASSERT_TRUE(table_.map_large(base + 3 * kLargePageSize, 0x80'0000, 0).ok());  // in the way
  const auto before = memory_.snapshot();
  EXPECT_EQ(table_.map_large_range(base, 0x100'0000, 6 * kLargePageSize, 0).error(),
            Error::kAlreadyMapped);
  for (uint64_t page = 0; page < 3; ++page) {
    EXPECT_EQ(table_.translate(base + page * kLargePageSize).error(), Error::kNotMapped);
  }
  EXPECT_EQ(table_.translate(base + 3 * kLargePageSize)->physical, 0x80'0000u);
  EXPECT_EQ(table_.map_large_range(base, 0x100'0000, kLargePageSize + 4096, 0).error(),
            Error::kNotAligned);
  (void)before;
}

}  // namespace
}  // namespace bm::test
