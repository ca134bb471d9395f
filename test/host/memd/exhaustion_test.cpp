// Running out: of pool pages, of mappings, of shadow memory, of heap. Every such request is
// kOutOfMemory, leaves the client as it was (blocks, data, pages, counters), and memd serves
// the next request as if nothing had happened.
#include "test/host/memd/memd_test_support.h"

namespace bm::memd::testing {
namespace {

constexpr uint64_t kA = 10;
constexpr uint64_t kB = 20;

class ExhaustionTest : public ::testing::TestWithParam<Policy> {};
INSTANTIATE_TEST_SUITE_P(Policies, ExhaustionTest, ::testing::ValuesIn(kPolicies), policy_name);

// Stats with the fields an allocation that was undone may leave different set aside: the
// failure count (one more) and, for bump and fixed-block, free_bytes (a bump cursor stays
// past the block it gave back; a fixed-block slab taken for it stays as a spare).
void expect_unchanged_but_one_failure(ipc::memd::ClientStats after,
                                      const ipc::memd::ClientStats& before, Policy policy) {
  EXPECT_EQ(after.failed_requests, before.failed_requests + 1);
  after.failed_requests = before.failed_requests;
  if (policy != Policy::kLinkedList) after.free_bytes = before.free_bytes;
  expect_same_stats(after, before);
}

TEST_P(ExhaustionTest, AnEmptyPoolIsOutOfMemoryUntilAPageComesBack) {
  Memd memd(GetParam(), 8, 1024 * 1024);
  const ClientSlot a = memd.add(kA);
  memd.add(kB);
  std::vector<uint64_t> pages;
  for (int i = 0; i < 8; ++i) {
    pages.push_back(memd.alloc(kA, kPageSize, kPageSize));
    ASSERT_TRUE(memd.write_pattern(a, pages.back(), kPageSize, i));
  }
  EXPECT_EQ(memd.heap->pool_used_pages(), 8u);
  const auto before = memd.stats_of(kA);
  EXPECT_EQ(memd.heap->alloc(kA, 16, 16).error(), Error::kOutOfMemory);
  expect_unchanged_but_one_failure(memd.stats_of(kA), before, GetParam());
  EXPECT_EQ(memd.heap->alloc(kB, 100, 16).error(), Error::kOutOfMemory);
  EXPECT_EQ(memd.heap->realloc(kA, pages[0], 2 * kPageSize).error(), Error::kOutOfMemory);
  EXPECT_EQ(memd.stats_of(kB).failed_requests, 1u);
  EXPECT_EQ(memd.memory->mappings(a).size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(memd.has_pattern(a, pages[i], kPageSize, i));
  // One page back, and the other client gets it.
  ASSERT_TRUE(memd.heap->free(kA, pages[3]).ok());
  const uint64_t for_b = memd.alloc(kB, 100);
  EXPECT_NE(for_b, 0u);
  EXPECT_EQ(memd.heap->pool_used_pages(), 8u);
  EXPECT_EQ(memd.heap->alloc(kA, 16, 16).error(), Error::kOutOfMemory);
  memd.heap->remove_client(kB);
  EXPECT_NE(memd.alloc(kA, 16), 0u);
  expect_no_violations(*memd.memory);
}

TEST_P(ExhaustionTest, AMappingThatFailsHalfwayIsUndone) {
  Memd memd(GetParam(), 64, 1024 * 1024);
  const ClientSlot a = memd.add(kA);
  const uint64_t first = memd.alloc(kA, 100);
  const auto before = memd.stats_of(kA);
  memd.memory->fail_maps_after(2);  // the third page of the block cannot be mapped
  EXPECT_EQ(memd.heap->alloc(kA, 4 * kPageSize, kPageSize).error(), Error::kOutOfMemory);
  expect_unchanged_but_one_failure(memd.stats_of(kA), before, GetParam());
  EXPECT_EQ(memd.memory->mappings(a).size(), 1u);
  EXPECT_EQ(memd.heap->pool_used_pages(), 1u);
  memd.memory->fail_maps_after(-1);
  const uint64_t block = memd.alloc(kA, 4 * kPageSize, kPageSize);
  EXPECT_TRUE(memd.is_zero(a, block, 4 * kPageSize));
  EXPECT_EQ(memd.memory->mappings(a).size(), 5u);
  EXPECT_TRUE(memd.heap->free(kA, first).ok());
  expect_no_violations(*memd.memory);
}

TEST_P(ExhaustionTest, ShadowThatCannotGrowIsOutOfMemory) {
  Memd memd(GetParam(), 512, 1024 * 1024);
  memd.add(kA);
  memd.memory->fail_shadow_growth(true);
  EXPECT_EQ(memd.heap->alloc(kA, 16, 16).error(), Error::kOutOfMemory);  // no heap yet
  memd.memory->fail_shadow_growth(false);
  const uint64_t small = memd.alloc(kA, 16);
  EXPECT_EQ(memd.memory->shadow_bytes(0), kHeapGrowStep);
  memd.memory->fail_shadow_growth(true);
  // More than the first step holds.
  EXPECT_EQ(memd.heap->alloc(kA, 2 * kHeapGrowStep, 16).error(), Error::kOutOfMemory);
  EXPECT_EQ(memd.memory->shadow_bytes(0), kHeapGrowStep);
  memd.memory->fail_shadow_growth(false);
  const uint64_t large = memd.alloc(kA, 2 * kHeapGrowStep);
  EXPECT_GT(memd.memory->shadow_bytes(0), 2 * kHeapGrowStep);
  const auto stats = memd.stats_of(kA);
  EXPECT_EQ(stats.failed_requests, 2u);
  EXPECT_EQ(stats.blocks_in_use, 2u);
  EXPECT_TRUE(memd.heap->free(kA, small).ok());
  EXPECT_TRUE(memd.heap->free(kA, large).ok());
  expect_no_violations(*memd.memory);
}

TEST_P(ExhaustionTest, TheHeapLimitIsOutOfMemoryAndFreeingMakesRoomAgain) {
  constexpr size_t kLimit = 256 * 1024;
  Memd memd(GetParam(), 1024, kLimit);
  memd.add(kA);
  std::vector<uint64_t> blocks;
  for (;;) {
    auto block = memd.heap->alloc(kA, 16 * 1024, 16);
    if (!block.ok()) {
      EXPECT_EQ(block.error(), Error::kOutOfMemory);
      break;
    }
    blocks.push_back(*block);
    ASSERT_LT(blocks.size(), 16u);
  }
  EXPECT_GE(blocks.size(), 14u);  // the headers cost less than two blocks' worth
  EXPECT_EQ(memd.memory->shadow_bytes(0), kLimit);
  // A bump heap only gets room back once it is empty.
  const size_t to_free = GetParam() == Policy::kBump ? blocks.size() : 1;
  for (size_t i = 0; i < to_free; ++i) ASSERT_TRUE(memd.heap->free(kA, blocks[i]).ok());
  EXPECT_NE(memd.alloc(kA, 16 * 1024), 0u);
  EXPECT_EQ(memd.stats_of(kA).failed_requests, 1u);
  expect_no_violations(*memd.memory);
}

}  // namespace
}  // namespace bm::memd::testing
