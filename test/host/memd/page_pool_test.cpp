// PagePool and PolicyAllocator, memd's two small building blocks.
#include "servers/memd/page_pool.h"

#include <type_traits>

#include "servers/memd/heap_manager.h"
#include "servers/memd/policy_allocator.h"
#include "test/host/memd/memd_test_support.h"

namespace bm::memd::testing {
namespace {

TEST(PagePool, HandsOutTheLowestFreePageUntilNoneIsLeft) {
  auto pool = std::make_unique<PagePool>(130);
  for (PoolPage expected = 0; expected < 130; ++expected) {
    auto page = pool->take();
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(*page, expected);
  }
  EXPECT_EQ(pool->take().error(), Error::kOutOfMemory);
  EXPECT_EQ(pool->used(), 130u);
  pool->give_back(70);
  pool->give_back(3);
  EXPECT_EQ(pool->available(), 2u);
  EXPECT_EQ(pool->take().value_or(999), 3u);
  EXPECT_EQ(pool->take().value_or(999), 70u);
}

TEST(PagePool, IgnoresPagesItNeverGaveOut) {
  auto pool = std::make_unique<PagePool>(10);
  pool->give_back(5);   // free already
  pool->give_back(10);  // beyond the pool
  pool->give_back(~PoolPage{0});
  EXPECT_EQ(pool->used(), 0u);
  EXPECT_EQ(pool->available(), 10u);
}

TEST(PagePool, UsesNoMoreThanAllClientsCouldMap) {
  auto pool = std::make_unique<PagePool>(kMaxPoolPages + 1000);
  EXPECT_EQ(pool->total(), kMaxPoolPages);
  EXPECT_EQ(std::make_unique<PagePool>(0)->take().error(), Error::kOutOfMemory);
}

TEST(PolicyAllocator, RefusesEverythingWithoutAnAllocator) {
  PolicyAllocator allocator;
  EXPECT_FALSE(allocator.active());
  EXPECT_EQ(allocator.allocate(16, 16).error(), Error::kOutOfMemory);
  EXPECT_EQ(allocator.init(nullptr, 0).error(), Error::kInvalidArgument);
  EXPECT_EQ(allocator.extend(16).error(), Error::kInvalidArgument);
  EXPECT_EQ(allocator.free(nullptr).error(), Error::kInvalidArgument);
  EXPECT_EQ(allocator.usable_size(nullptr).error(), Error::kInvalidArgument);
  EXPECT_EQ(allocator.stats().capacity_bytes, 0u);
}

// Each policy behaves as its lib/alloc class: the bump heap never reuses a hole, the others do.
TEST(PolicyAllocator, ForwardsToThePolicysAllocatorAndRestartsEmpty) {
  alignas(16384) static uint8_t memory[65536];
  for (Policy policy : kPolicies) {
    SCOPED_TRACE(abi::heap_strategy_name(policy));
    PolicyAllocator allocator;
    allocator.start(policy);
    ASSERT_TRUE(allocator.init(memory, sizeof memory).ok());
    void* first = *allocator.allocate(100, 16);
    void* second = *allocator.allocate(100, 16);
    EXPECT_EQ(allocator.usable_size(first).value_or(0), 100u);
    ASSERT_TRUE(allocator.free(first).ok());
    void* third = *allocator.allocate(100, 16);
    EXPECT_EQ(third == first, policy != Policy::kBump);
    EXPECT_EQ(allocator.stats().blocks_in_use, 2u);
    EXPECT_TRUE(allocator.free(second).ok());
    allocator.start(policy);  // dropped: a fresh allocator, not initialised yet
    EXPECT_EQ(allocator.stats().blocks_in_use, 0u);
    EXPECT_EQ(allocator.allocate(16, 16).error(), Error::kOutOfMemory);
    allocator.stop();
    EXPECT_FALSE(allocator.active());
  }
}

// A server keeps these in static storage, where a destructor would need __cxa_atexit.
static_assert(std::is_trivially_destructible_v<PolicyAllocator>);
static_assert(std::is_trivially_destructible_v<HeapManager>);

}  // namespace
}  // namespace bm::memd::testing
