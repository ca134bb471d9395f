// Host tests for reading page tables: for_each_mapping order, decoding hand-built hardware
// tables (1 GiB, 2 MiB and 4 KiB leaves, rights combined across levels), and kernel-half sharing.
#include <stdint.h>

#include <vector>

#include "test/host/paging/page_table_fixture.h"

namespace bm::test {
namespace {

namespace pe = page_entry;

class PageTableWalk : public PageTableFixture {};
class PageTableDecode : public PageTableFixture {};

struct Visited {
  VirtAddr virt;
  Translation translation;
};

void record(void* context, VirtAddr virt, const Translation& translation) {
  static_cast<std::vector<Visited>*>(context)->push_back({virt, translation});
}

TEST_F(PageTableWalk, VisitsEveryLeafInAscendingOrder) {
  struct Mapping {
    VirtAddr virt;
    PhysAddr phys;
    uint64_t flags;
    uint64_t size;
  };
  // Listed in ascending order; mapped in a scrambled one.
  const Mapping mappings[] = {
      {0x0, 0x10'0000, kPageUser, kPageSize},
      {0x1000, 0x5000, kPageWritable, kPageSize},
      {0x20'0000, 0x7000, kPageNoExecute, kPageSize},
      {0x4000'0000, 0x8000'0000, kPageWritable, kLargePageSize},
      {0x80'0000'0000, 0x9000, 0, kPageSize},
      {0x7fff'ffff'f000, 0xa000, kPageUser | kPageWritable, kPageSize},
      {0xffff'8000'0000'0000, 0x0, kPageGlobal | kPageWritable, kLargePageSize},
      {0xffff'ffff'8000'0000, 0xb000, kPageGlobal, kPageSize},
      {0xffff'ffff'ffff'f000, 0xc000, kPageNoExecute, kPageSize},
  };
  for (size_t i : {7, 2, 0, 8, 4, 1, 6, 3, 5}) {
    const Mapping& m = mappings[i];
    Result<void> mapped = m.size == kPageSize ? table_.map(m.virt, m.phys, m.flags)
                                              : table_.map_large(m.virt, m.phys, m.flags);
    ASSERT_TRUE(mapped.ok()) << i;
  }
  std::vector<Visited> visited;
  ASSERT_TRUE(table_.for_each_mapping(record, &visited).ok());
  ASSERT_EQ(visited.size(), sizeof(mappings) / sizeof(mappings[0]));
  for (size_t i = 0; i < visited.size(); ++i) {
    EXPECT_EQ(visited[i].virt, mappings[i].virt) << i;
    EXPECT_EQ(visited[i].translation.physical, mappings[i].phys) << i;
    EXPECT_EQ(visited[i].translation.flags, mappings[i].flags) << i;
    EXPECT_EQ(visited[i].translation.page_size, mappings[i].size) << i;
  }
}

TEST_F(PageTableWalk, EmptyTableVisitsNothingAndNullVisitorIsRejected) {
  std::vector<Visited> visited;
  EXPECT_TRUE(table_.for_each_mapping(record, &visited).ok());
  EXPECT_TRUE(visited.empty());
  EXPECT_EQ(table_.for_each_mapping(nullptr, &visited).error(), Error::kInvalidArgument);
}

TEST_F(PageTableWalk, CopiesTheKernelHalfOnly) {
  ASSERT_TRUE(table_.map(0xffff'ffff'8000'0000, 0x10'0000, kPageWritable).ok());
  ASSERT_TRUE(table_.map(0x40'0000, 0x20'0000, kPageUser).ok());
  PageTable other = make_table(memory_);
  const size_t allocated = memory_.allocated_count();

  ASSERT_TRUE(other.copy_kernel_half(table_).ok());
  EXPECT_EQ(memory_.allocated_count(), allocated);  // shares, does not copy tables
  EXPECT_EQ(other.translate(0xffff'ffff'8000'0123)->physical, 0x10'0123u);
  EXPECT_EQ(other.translate(0x40'0000).error(), Error::kNotMapped);
  // A mapping added later through either table shows in both: the tables below are shared.
  ASSERT_TRUE(other.map(0xffff'ffff'8000'1000, 0x30'0000, 0).ok());
  EXPECT_EQ(table_.translate(0xffff'ffff'8000'1000)->physical, 0x30'0000u);
  other.destroy();
  EXPECT_EQ(table_.translate(0xffff'ffff'8000'1000)->physical, 0x30'0000u);
}

TEST_F(PageTableWalk, PreparedTopLevelEntriesAreSharedByLaterCopies) {
  const VirtAddr heap = 0xffff'c000'0000'0000;
  const size_t before = memory_.allocated_count();
  ASSERT_TRUE(table_.prepare_top_level(heap).ok());
  EXPECT_EQ(memory_.allocated_count(), before + 1);  // one PDPT
  ASSERT_TRUE(table_.prepare_top_level(heap + 0x1000).ok());
  EXPECT_EQ(memory_.allocated_count(), before + 1);  // already there: nothing new
  EXPECT_EQ(table_.translate(heap).error(), Error::kNotMapped);

  PageTable other = make_table(memory_);
  ASSERT_TRUE(other.copy_kernel_half(table_).ok());
  // Mapped after the copy, yet visible in the copy: the PDPT is shared.
  ASSERT_TRUE(table_.map(heap, 0x40'0000, kPageWritable).ok());
  EXPECT_EQ(other.translate(heap)->physical, 0x40'0000u);
  other.destroy();
}

TEST_F(PageTableWalk, PrepareTopLevelRejectsUserHalfAndNonCanonical) {
  EXPECT_EQ(table_.prepare_top_level(0x40'0000).error(), Error::kInvalidArgument);
  EXPECT_EQ(table_.prepare_top_level(0x0000'8000'0000'0000).error(), Error::kNotCanonical);
}

TEST_F(PageTableWalk, PrepareTopLevelLeaksNothingWhenOutOfMemory) {
  memory_.fail_nth_allocation(1);
  EXPECT_EQ(table_.prepare_top_level(0xffff'c000'0000'0000).error(), Error::kOutOfMemory);
}

// Builds tables the way a boot loader or the hardware manual would, then checks the decoder.
class HandBuiltTables {
 public:
  explicit HandBuiltTables(FakePhysicalMemory& memory)
      : memory_(memory),
        pml4_(memory.claim_frame()),
        pdpt_(memory.claim_frame()),
        pd_(memory.claim_frame()),
        pt_(memory.claim_frame()) {}

  FakePhysicalMemory& memory_;
  const PhysAddr pml4_;
  const PhysAddr pdpt_;
  const PhysAddr pd_;
  const PhysAddr pt_;
};

TEST_F(PageTableDecode, WalksHandBuiltTablesOfEverySize) {
  HandBuiltTables hand(memory_);
  constexpr uint64_t kIgnoredHighBits = 0x7full << 52;  // ignored bits 58:52 must not leak
  // PML4[1] -> PDPT: covers 0x80'0000'0000..0xff'ffff'ffff.
  memory_.entry(hand.pml4_, 1) = hand.pdpt_ | pe::kPresent | pe::kWritable | pe::kUser;
  // PDPT[2]: a 1 GiB page at 0x1'4000'0000 with PAT (bit 12) set, which is not address.
  memory_.entry(hand.pdpt_, 2) = 0x1'4000'0000 | (1ull << 12) | pe::kPresent | pe::kWritable |
                                 pe::kUser | pe::kPageSizeBit | pe::kGlobal | kIgnoredHighBits;
  // PDPT[3] -> PD, read-only for everything below.
  memory_.entry(hand.pdpt_, 3) = hand.pd_ | pe::kPresent | pe::kUser;
  // PD[4]: a 2 MiB page with Accessed/Dirty set.
  memory_.entry(hand.pd_, 4) = 0x6020'0000 | pe::kPresent | pe::kWritable | pe::kUser |
                               pe::kPageSizeBit | pe::kAccessed | pe::kDirty;
  // PD[5] -> PT, supervisor only.
  memory_.entry(hand.pd_, 5) = hand.pt_ | pe::kPresent | pe::kWritable;
  // PT[6]: a 4 KiB page, NX, with bit 7 (PAT for a PTE) and ignored high bits set.
  memory_.entry(hand.pt_, 6) = 0xabc'def0'1000 | pe::kPresent | pe::kWritable | pe::kUser |
                               pe::kNoExecute | (1ull << 7) | kIgnoredHighBits;
  // PML4[2] forbids execution for its whole 512 GiB; its 1 GiB leaf does not.
  const PhysAddr no_execute_pdpt = memory_.claim_frame();
  memory_.entry(hand.pml4_, 2) =
      no_execute_pdpt | pe::kPresent | pe::kWritable | pe::kUser | pe::kNoExecute;
  memory_.entry(no_execute_pdpt, 0) = 0x4000'0000 | pe::kPresent | pe::kWritable | pe::kPageSizeBit;
  PageTable table(memory_, hand.pml4_);

  Result<Translation> no_execute = table.translate(0x100'0000'0000 + 0x10);
  ASSERT_TRUE(no_execute.ok());
  EXPECT_EQ(no_execute->physical, 0x4000'0010u);
  EXPECT_EQ(no_execute->flags, uint64_t{kPageWritable | kPageNoExecute});

  const VirtAddr huge = 0x80'0000'0000 + 2 * kHugePageSize;
  Result<Translation> in_huge = table.translate(huge + 0x1234'5678);
  ASSERT_TRUE(in_huge.ok());
  EXPECT_EQ(in_huge->physical, 0x1'4000'0000u + 0x1234'5678u);
  EXPECT_EQ(in_huge->page_size, kHugePageSize);
  EXPECT_EQ(in_huge->flags, uint64_t{kPageWritable | kPageUser | kPageGlobal});

  const VirtAddr large = 0x80'0000'0000 + 3 * kHugePageSize + 4 * kLargePageSize;
  Result<Translation> in_large = table.translate(large + 0x1'2345);
  ASSERT_TRUE(in_large.ok());
  EXPECT_EQ(in_large->physical, 0x6020'0000u + 0x1'2345u);
  EXPECT_EQ(in_large->page_size, kLargePageSize);
  EXPECT_EQ(in_large->flags, uint64_t{kPageUser});  // PDPT[3] withholds write permission

  const VirtAddr small = 0x80'0000'0000 + 3 * kHugePageSize + 5 * kLargePageSize + 6 * kPageSize;
  Result<Translation> in_small = table.translate(small + 0xfff);
  ASSERT_TRUE(in_small.ok());
  EXPECT_EQ(in_small->physical, 0xabc'def0'1fffu);
  EXPECT_EQ(in_small->page_size, kPageSize);
  EXPECT_EQ(in_small->flags, uint64_t{kPageNoExecute});  // PDPT withholds W, PD withholds U

  EXPECT_EQ(table.translate(small + kPageSize).error(), Error::kNotMapped);
  EXPECT_EQ(table.translate(huge + kHugePageSize + 7 * kLargePageSize).error(), Error::kNotMapped);
  EXPECT_EQ(table.translate(0x1000).error(), Error::kNotMapped);

  std::vector<Visited> visited;
  ASSERT_TRUE(table.for_each_mapping(record, &visited).ok());
  ASSERT_EQ(visited.size(), 4u);
  EXPECT_EQ(visited[0].virt, huge);
  EXPECT_EQ(visited[1].virt, large);
  EXPECT_EQ(visited[2].virt, small);
  EXPECT_EQ(visited[2].translation.physical, 0xabc'def0'1000u);
  EXPECT_EQ(visited[3].virt, 0x100'0000'0000u);
  EXPECT_EQ(visited[3].translation.flags, uint64_t{kPageWritable | kPageNoExecute});

  // Editing respects what is there: a 4 KiB map inside the 1 GiB page is refused, and one
  // next to the hand-built leaf lands in the existing PT, widening the read-only PDPT entry.
  EXPECT_EQ(table.map(huge + 0x5000, 0x1000, 0).error(), Error::kAlreadyMapped);
  ASSERT_TRUE(table.map(small + kPageSize, 0x7000, kPageWritable).ok());
  EXPECT_NE(memory_.entry(hand.pdpt_, 3) & pe::kWritable, 0u);
  EXPECT_EQ(table.translate(small + kPageSize)->flags, uint64_t{kPageWritable});
}

TEST_F(PageTableDecode, ReportsMalformedTables) {
  HandBuiltTables hand(memory_);
  PageTable table(memory_, hand.pml4_);
  // PS is reserved in a PML4 entry.
  memory_.entry(hand.pml4_, 0) = hand.pdpt_ | pe::kPresent | pe::kPageSizeBit;
  EXPECT_EQ(table.translate(0x1000).error(), Error::kMalformed);
  EXPECT_EQ(table.map(0x1000, 0x1000, 0).error(), Error::kMalformed);
  // A table pointer outside the memory the environment can reach.
  memory_.entry(hand.pml4_, 0) = 0x10'0000 | pe::kPresent | pe::kWritable;
  EXPECT_EQ(table.translate(0x1000).error(), Error::kMalformed);
  EXPECT_EQ(table.unmap(0x1000).error(), Error::kMalformed);
  std::vector<Visited> visited;
  EXPECT_EQ(table.for_each_mapping(record, &visited).error(), Error::kMalformed);
  // An unreachable root.
  PageTable nowhere(memory_, 0x1000);
  EXPECT_EQ(nowhere.translate(0).error(), Error::kMalformed);
  EXPECT_EQ(nowhere.map(0, 0, 0).error(), Error::kMalformed);
}

}  // namespace
}  // namespace bm::test
