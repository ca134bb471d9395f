// HeapManager's requests one by one, under every policy: where blocks go, what each error case
// answers (and that it changes nothing but the failure count), and exact statistics.
#include "servers/memd/heap_manager.h"

#include "test/host/memd/memd_test_support.h"

namespace bm::memd::testing {
namespace {

constexpr size_t kLimit = 1024 * 1024;
constexpr size_t kPoolPages = 1024;
constexpr uint64_t kA = 0xa11ce;
constexpr uint64_t kB = 0xb0b;

class HeapManagerTest : public ::testing::TestWithParam<Policy> {
 protected:
  void TearDown() override { expect_no_violations(*memd.memory); }
  Memd memd{GetParam(), kPoolPages, kLimit};
};
INSTANTIATE_TEST_SUITE_P(Policies, HeapManagerTest, ::testing::ValuesIn(kPolicies), policy_name);

TEST_P(HeapManagerTest, AddingAClientTwiceGivesItsSlotAndTheTableHoldsSixteen) {
  for (uint64_t id = 0; id < kMaxClients; ++id) {
    auto slot = memd.heap->add_client(100 + id);
    ASSERT_TRUE(slot.ok());
    EXPECT_EQ(*slot, id);
  }
  EXPECT_EQ(memd.heap->add_client(100 + 7).value_or(99), 7u);
  EXPECT_EQ(memd.heap->slot_of(100 + 7).value_or(99), 7u);
  EXPECT_EQ(memd.heap->slot_of(999).error(), Error::kOutOfRange);
  EXPECT_EQ(memd.heap->client_count(), kMaxClients);
  EXPECT_EQ(memd.heap->add_client(999).error(), Error::kNoSlots);
  memd.heap->remove_client(100 + 3);
  EXPECT_FALSE(memd.heap->has_client(100 + 3));
  EXPECT_FALSE(memd.heap->slot_of(100 + 3).ok());
  EXPECT_EQ(memd.heap->add_client(999).value_or(99), 3u);  // the freed slot
  memd.heap->remove_client(12345);                         // unknown: nothing happens
  EXPECT_EQ(memd.heap->client_count(), kMaxClients);
}

TEST_P(HeapManagerTest, AddingAClientTakesNoMemory) {
  memd.add(kA);
  EXPECT_EQ(memd.memory->shadow_bytes(0), 0u);
  EXPECT_EQ(memd.memory->mapped_pages(), 0u);
  const auto stats = memd.stats_of(kA);
  EXPECT_EQ(stats.free_bytes, 0u);
  EXPECT_EQ(stats.pool_used_pages, 0u);
  EXPECT_EQ(stats.pool_total_pages, kPoolPages);
  EXPECT_EQ(stats.policy, GetParam());
}

TEST_P(HeapManagerTest, BlocksAreAlignedInsideTheHeapAndReadAsZero) {
  const ClientSlot slot = memd.add(kA);
  for (uint64_t alignment = 1; alignment <= 4096; alignment *= 2) {
    for (uint64_t size : {1ull, 15ull, 16ull, 100ull, 4096ull, 5000ull}) {
      const uint64_t address = memd.alloc(kA, size, alignment);
      EXPECT_EQ(address % std::max<uint64_t>(alignment, 16), 0u) << alignment;
      EXPECT_GE(address, kClientHeapBase);
      EXPECT_LE(address + size, kClientHeapBase + kLimit);
      // Fresh pages read as zero, although the fake's pool starts as junk.
      EXPECT_TRUE(memd.is_zero(slot, address, size));
      EXPECT_TRUE(memd.write_pattern(slot, address, size, address));
    }
  }
}

TEST_P(HeapManagerTest, OnlyThePagesUnderLiveBlocksAreMapped) {
  const ClientSlot slot = memd.add(kA);
  const uint64_t big = memd.alloc(kA, 3 * kPageSize, 4096);  // exactly three pages
  EXPECT_EQ(memd.memory->mappings(slot).size(), 3u);
  for (uint64_t page = 0; page < 3; ++page) {
    EXPECT_TRUE(memd.memory->is_mapped(slot, big + page * kPageSize));
  }
  EXPECT_FALSE(memd.memory->is_mapped(slot, big + 3 * kPageSize));
  EXPECT_EQ(memd.stats_of(kA).mapped_pages, 3u);
  EXPECT_EQ(memd.heap->pool_used_pages(), 3u);
  // Two small blocks in one page keep it mapped until the second goes.
  const uint64_t first = memd.alloc(kA, 32);
  const uint64_t second = memd.alloc(kA, 32);
  const uint64_t shared = first / kPageSize;
  const bool same_page = second / kPageSize == shared;
  ASSERT_TRUE(memd.heap->free(kA, big).ok());
  EXPECT_FALSE(memd.memory->is_mapped(slot, big));
  ASSERT_TRUE(memd.heap->free(kA, first).ok());
  EXPECT_EQ(memd.memory->is_mapped(slot, first), same_page);
  ASSERT_TRUE(memd.heap->free(kA, second).ok());
  EXPECT_EQ(memd.memory->mapped_pages(), 0u);
  EXPECT_EQ(memd.heap->pool_used_pages(), 0u);
  EXPECT_EQ(memd.stats_of(kA).mapped_pages, 0u);
}

TEST_P(HeapManagerTest, AReusedPageNeverShowsOldData) {
  const ClientSlot slot = memd.add(kA);
  const uint64_t address = memd.alloc(kA, 2 * kPageSize, 4096);
  ASSERT_TRUE(memd.memory->fill_client(slot, address, 0xee, 2 * kPageSize));
  ASSERT_TRUE(memd.heap->free(kA, address).ok());
  const uint64_t again = memd.alloc(kA, 2 * kPageSize, 4096);
  EXPECT_TRUE(memd.is_zero(slot, again, 2 * kPageSize));
}

TEST_P(HeapManagerTest, BadSizesAreRefusedFirstAndCounted) {
  memd.add(kA);
  EXPECT_EQ(memd.heap->alloc(kA, 0, 16).error(), Error::kInvalidArgument);
  EXPECT_EQ(memd.heap->alloc(kA, kLimit + 1, 16).error(), Error::kInvalidArgument);
  EXPECT_EQ(memd.heap->alloc(kA, ~0ull, 16).error(), Error::kInvalidArgument);
  EXPECT_EQ(memd.heap->alloc(kA, 0, 3).error(), Error::kInvalidArgument);  // size first
  // A size within the limit that cannot fit next to the allocator's header.
  EXPECT_EQ(memd.heap->alloc(kA, kLimit, 16).error(), Error::kOutOfMemory);
  const auto stats = memd.stats_of(kA);
  EXPECT_EQ(stats.failed_requests, 5u);
  EXPECT_EQ(stats.blocks_in_use, 0u);
  EXPECT_EQ(stats.mapped_pages, 0u);
}

TEST_P(HeapManagerTest, BadAlignmentsAreRefused) {
  memd.add(kA);
  for (uint64_t alignment : {0ull, 3ull, 24ull, 4095ull, 8192ull, 1ull << 63, ~0ull}) {
    EXPECT_EQ(memd.heap->alloc(kA, 64, alignment).error(), Error::kBadAlignment) << alignment;
  }
  EXPECT_EQ(memd.stats_of(kA).failed_requests, 7u);
  EXPECT_EQ(memd.memory->mapped_pages(), 0u);
}

TEST_P(HeapManagerTest, FreeOfZeroDoesNothing) {
  memd.add(kA);
  EXPECT_TRUE(memd.heap->free(kA, 0).ok());
  EXPECT_EQ(memd.stats_of(kA).failed_requests, 0u);
}

TEST_P(HeapManagerTest, AddressesThatAreNotBlocksAreNotAllocated) {
  const ClientSlot slot = memd.add(kA);
  // Before any block there is no heap at all.
  EXPECT_EQ(memd.heap->free(kA, kClientHeapBase).error(), Error::kForeignPointer);
  const uint64_t block = memd.alloc(kA, 256);
  ASSERT_TRUE(memd.write_pattern(slot, block, 256, 1));
  const auto before = memd.stats_of(kA);
  const uint64_t outside[] = {16,
                              kClientHeapBase - 16,
                              kClientHeapBase + kLimit,
                              kClientHeapBase + (1ull << 40),
                              ~0ull << 4,
                              1ull << 63};
  for (uint64_t address : outside) {
    EXPECT_EQ(memd.heap->free(kA, address).error(), Error::kForeignPointer) << address;
    EXPECT_EQ(memd.heap->realloc(kA, address, 10).error(), Error::kForeignPointer) << address;
  }
  // Inside the block, or unaligned.
  for (uint64_t address : {block + 1, block + 16, block + 128, block - 16}) {
    EXPECT_EQ(memd.heap->free(kA, address).error(), Error::kForeignPointer) << address;
  }
  auto after = memd.stats_of(kA);
  EXPECT_EQ(after.failed_requests, before.failed_requests + 2 * std::size(outside) + 4);
  after.failed_requests = before.failed_requests;
  expect_same_stats(after, before);
  EXPECT_TRUE(memd.has_pattern(slot, block, 256, 1));
  EXPECT_TRUE(memd.heap->free(kA, block).ok());
}

TEST_P(HeapManagerTest, ASecondFreeIsADoubleFree) {
  memd.add(kA);
  const uint64_t keep = memd.alloc(kA, 100);
  const uint64_t block = memd.alloc(kA, 100);
  ASSERT_TRUE(memd.heap->free(kA, block).ok());
  EXPECT_EQ(memd.heap->free(kA, block).error(), Error::kDoubleFree);
  EXPECT_EQ(memd.heap->realloc(kA, block, 50).error(), Error::kDoubleFree);
  // Also when the freed block was the last one (a bump heap resets then).
  ASSERT_TRUE(memd.heap->free(kA, keep).ok());
  EXPECT_EQ(memd.heap->free(kA, keep).error(), Error::kDoubleFree);
  const auto stats = memd.stats_of(kA);
  EXPECT_EQ(stats.failed_requests, 3u);
  EXPECT_EQ(stats.blocks_in_use, 0u);
  EXPECT_EQ(stats.bytes_in_use, 0u);
}

TEST_P(HeapManagerTest, AnotherClientsBlocksAreNotAllocatedHere) {
  const ClientSlot a = memd.add(kA);
  const ClientSlot b = memd.add(kB);
  std::vector<uint64_t> blocks_of_a;
  for (int i = 0; i < 8; ++i) blocks_of_a.push_back(memd.alloc(kA, 4096, 4096));
  const uint64_t block_of_b = memd.alloc(kB, 4096, 4096);
  ASSERT_TRUE(memd.write_pattern(b, block_of_b, 4096, 7));
  // Both heaps start at the same base, each in its own address space: A's first address is
  // B's first block too. A's later addresses are nothing in B.
  EXPECT_EQ(blocks_of_a[0], block_of_b);
  for (size_t i = 1; i < blocks_of_a.size(); ++i) {
    auto refused = memd.heap->free(kB, blocks_of_a[i]);
    ASSERT_FALSE(refused.ok());
    // The linked list and the slabs see free memory there, which looks like a freed block.
    if (GetParam() == Policy::kBump) {
      EXPECT_EQ(refused.error(), Error::kForeignPointer);
    } else {
      EXPECT_TRUE(refused.error() == Error::kForeignPointer ||
                  refused.error() == Error::kDoubleFree);
    }
  }
  EXPECT_EQ(memd.stats_of(kB).blocks_in_use, 1u);
  EXPECT_EQ(memd.stats_of(kA).blocks_in_use, 8u);
  EXPECT_TRUE(memd.has_pattern(b, block_of_b, 4096, 7));
  EXPECT_EQ(memd.memory->mappings(a).size(), 8u);
}

TEST_P(HeapManagerTest, UnknownClientsAndStatsPastTheLast) {
  EXPECT_EQ(memd.heap->alloc(kA, 16, 16).error(), Error::kInvalidHandle);
  EXPECT_EQ(memd.heap->free(kA, kClientHeapBase).error(), Error::kInvalidHandle);
  EXPECT_EQ(memd.heap->realloc(kA, 0, 16).error(), Error::kInvalidHandle);
  EXPECT_EQ(memd.heap->stats(0).error(), Error::kOutOfRange);
  memd.add(kA);
  memd.add(kB);
  EXPECT_EQ(memd.heap->stats(0)->client_id, kA);
  EXPECT_EQ(memd.heap->stats(1)->client_id, kB);
  EXPECT_EQ(memd.heap->stats(2).error(), Error::kOutOfRange);
  EXPECT_EQ(memd.heap->stats(~0ull).error(), Error::kOutOfRange);
  memd.heap->remove_client(kA);  // the index counts clients, not slots
  EXPECT_EQ(memd.heap->stats(0)->client_id, kB);
  EXPECT_EQ(memd.heap->stats(1).error(), Error::kOutOfRange);
}

TEST_P(HeapManagerTest, ReallocKeepsTheContentsWhenGrowingAndShrinking) {
  const ClientSlot slot = memd.add(kA);
  uint64_t address = memd.alloc(kA, 100);
  ASSERT_TRUE(memd.write_pattern(slot, address, 100, 42));
  auto grown = memd.heap->realloc(kA, address, 10000);
  ASSERT_TRUE(grown.ok());
  EXPECT_EQ(*grown % 16, 0u);
  EXPECT_TRUE(memd.has_pattern(slot, *grown, 100, 42));
  EXPECT_TRUE(memd.is_zero(slot, *grown + 100, 10000 - 100));
  EXPECT_EQ(memd.heap->free(kA, address).error(), Error::kDoubleFree);  // the old block went
  ASSERT_TRUE(memd.write_pattern(slot, *grown, 10000, 43));
  auto shrunk = memd.heap->realloc(kA, *grown, 3000);
  ASSERT_TRUE(shrunk.ok());
  EXPECT_TRUE(memd.has_pattern(slot, *shrunk, 3000, 43));
  const auto stats = memd.stats_of(kA);
  EXPECT_EQ(stats.bytes_in_use, 3000u);
  EXPECT_EQ(stats.blocks_in_use, 1u);
  EXPECT_EQ(stats.peak_bytes, 10000u);  // not 10100: the moment both lived is not a peak
  EXPECT_EQ(stats.failed_requests, 1u);
  EXPECT_EQ(stats.mapped_pages, memd.memory->mappings(slot).size());
}

TEST_P(HeapManagerTest, ReallocOfZeroIsASixteenByteAlignedAlloc) {
  memd.add(kA);
  auto address = memd.heap->realloc(kA, 0, 40);
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(*address % 16, 0u);
  EXPECT_EQ(memd.stats_of(kA).blocks_in_use, 1u);
  EXPECT_EQ(memd.heap->realloc(kA, 0, 0).error(), Error::kInvalidArgument);
}

TEST_P(HeapManagerTest, AFailedReallocLeavesTheOldBlockAlone) {
  const ClientSlot slot = memd.add(kA);
  const uint64_t address = memd.alloc(kA, 500);
  ASSERT_TRUE(memd.write_pattern(slot, address, 500, 5));
  const auto before = memd.stats_of(kA);
  EXPECT_EQ(memd.heap->realloc(kA, address, 0).error(), Error::kInvalidArgument);
  EXPECT_EQ(memd.heap->realloc(kA, address, kLimit + 1).error(), Error::kInvalidArgument);
  EXPECT_EQ(memd.heap->realloc(kA, address, kLimit).error(), Error::kOutOfMemory);
  EXPECT_EQ(memd.heap->realloc(kA, address + 16, 10).error(), Error::kForeignPointer);
  auto after = memd.stats_of(kA);
  EXPECT_EQ(after.failed_requests, before.failed_requests + 4);
  EXPECT_TRUE(memd.has_pattern(slot, address, 500, 5));
  EXPECT_EQ(after.bytes_in_use, 500u);
  EXPECT_EQ(after.mapped_pages, before.mapped_pages);
  EXPECT_TRUE(memd.heap->free(kA, address).ok());
}

TEST_P(HeapManagerTest, StatisticsFollowEveryRequest) {
  memd.add(kB);  // a second client, so the pool figures are the whole pool's
  const uint64_t other = memd.alloc(kB, 8192, 4096);
  memd.add(kA);
  const uint64_t x = memd.alloc(kA, 1000);
  const uint64_t y = memd.alloc(kA, 3000);
  ASSERT_TRUE(memd.heap->free(kA, x).ok());
  EXPECT_FALSE(memd.heap->free(kA, x).ok());
  auto z = memd.heap->realloc(kA, y, 5000);
  ASSERT_TRUE(z.ok());
  const auto stats = memd.stats_of(kA);
  EXPECT_EQ(stats.client_id, kA);
  EXPECT_EQ(stats.bytes_in_use, 5000u);
  EXPECT_EQ(stats.blocks_in_use, 1u);
  EXPECT_EQ(stats.peak_bytes, 5000u);
  EXPECT_EQ(stats.failed_requests, 1u);
  EXPECT_EQ(stats.mapped_pages, memd.memory->mappings(1).size());
  EXPECT_EQ(stats.pool_used_pages, stats.mapped_pages + 2);  // B's two pages
  EXPECT_EQ(stats.pool_total_pages, kPoolPages);
  EXPECT_EQ(stats.policy, GetParam());
  EXPECT_GT(stats.free_bytes, 0u);
  EXPECT_LE(stats.free_bytes, memd.memory->shadow_bytes(1));
  ASSERT_TRUE(memd.heap->free(kA, *z).ok());
  ASSERT_TRUE(memd.heap->free(kB, other).ok());
  // Empty again: the bump heap resets and the list coalesces into the whole heap; the
  // fixed-block heap keeps its spare slab, whose free slots count but its header does not.
  const auto empty = memd.stats_of(kA);
  EXPECT_EQ(empty.bytes_in_use, 0u);
  EXPECT_EQ(empty.peak_bytes, 5000u);
  EXPECT_EQ(empty.mapped_pages, 0u);
  EXPECT_EQ(empty.pool_used_pages, 0u);
  if (GetParam() == Policy::kFixedBlock) {
    EXPECT_LT(empty.free_bytes, memd.memory->shadow_bytes(1));
  } else {
    EXPECT_EQ(empty.free_bytes, memd.memory->shadow_bytes(1));
  }
}

TEST_P(HeapManagerTest, TheHeapLimitIsRoundedAndBounded) {
  EXPECT_EQ(memd.heap->heap_limit(), kLimit);
  FakePoolMemory memory(16, kMaxHeapLimit);
  const auto limit_for = [&](size_t asked) {
    return std::make_unique<HeapManager>(GetParam(), &memory, asked)->heap_limit();
  };
  EXPECT_EQ(limit_for(0), kHeapGrowStep);
  EXPECT_EQ(limit_for(kHeapGrowStep + 5000), kHeapGrowStep + kPageSize);
  EXPECT_EQ(limit_for(~size_t{0}), kMaxHeapLimit);
}

}  // namespace
}  // namespace bm::memd::testing
