// Host tests for the idle pages memd keeps per client (page_map.h, the server's setting): a
// malloc/free loop reuses one mapped page instead of mapping and unmapping it every time, at
// most kIdlePagesKept empty pages stay mapped, a short pool takes every client's idle pages
// back before saying out of memory, and a client that goes returns its idle pages too.
#include <gtest/gtest.h>

#include "test/host/memd/memd_test_support.h"

namespace bm::memd {
namespace {

using testing::Memd;

constexpr size_t kLimit = 4 * 1024 * 1024;
constexpr uint64_t kA = 11;
constexpr uint64_t kB = 12;
constexpr size_t kKept = PageMap::kIdlePagesKept;

class IdlePagesTest : public ::testing::TestWithParam<Policy> {};

TEST_P(IdlePagesTest, AMallocFreeLoopKeepsItsPageMapped) {
  Memd memd(GetParam(), 256, kLimit, kKept);
  ClientSlot a = memd.add(kA);
  uint64_t first = memd.alloc(kA, 64);
  ASSERT_TRUE(memd.heap->free(kA, first).ok());
  const auto mapped = memd.memory->mappings(a);
  ASSERT_EQ(mapped.size(), 1u);  // empty, but kept
  for (int i = 0; i < 100; ++i) {
    uint64_t address = memd.alloc(kA, 64);
    EXPECT_TRUE(memd.memory->is_mapped(a, address));
    ASSERT_TRUE(memd.heap->free(kA, address).ok());
  }
  EXPECT_EQ(memd.memory->mappings(a), mapped);  // the same page, never remapped
  ipc::memd::ClientStats stats = memd.stats_of(kA);
  EXPECT_EQ(stats.bytes_in_use, 0u);
  EXPECT_EQ(stats.mapped_pages, 1u);
  EXPECT_EQ(stats.pool_used_pages, 1u);
  EXPECT_TRUE(memd.memory->violations().empty());
}

TEST_P(IdlePagesTest, AtMostKIdlePagesKeptStayMapped) {
  Memd memd(GetParam(), 256, kLimit, kKept);
  ClientSlot a = memd.add(kA);
  std::vector<uint64_t> blocks;
  for (int i = 0; i < 40; ++i) blocks.push_back(memd.alloc(kA, 4096));
  EXPECT_GT(memd.memory->mappings(a).size(), kKept);
  for (uint64_t block : blocks) ASSERT_TRUE(memd.heap->free(kA, block).ok());
  EXPECT_EQ(memd.memory->mappings(a).size(), kKept);
  EXPECT_EQ(memd.heap->pool_used_pages(), kKept);
  memd.heap->remove_client(kA);  // idle pages go back with the client
  EXPECT_EQ(memd.heap->pool_used_pages(), 0u);
  EXPECT_TRUE(memd.memory->mappings(a).empty());
  EXPECT_TRUE(memd.memory->violations().empty());
}

TEST_P(IdlePagesTest, AShortPoolTakesIdlePagesFromEveryClient) {
  constexpr size_t kPool = 24;
  Memd memd(GetParam(), kPool, kLimit, kKept);
  ClientSlot a = memd.add(kA);
  ClientSlot b = memd.add(kB);
  std::vector<uint64_t> blocks;
  for (int i = 0; i < 20; ++i) blocks.push_back(memd.alloc(kA, 4096));
  ASSERT_TRUE(memd.write_pattern(a, blocks[0], 4096, 7));
  for (uint64_t block : blocks) ASSERT_TRUE(memd.heap->free(kA, block).ok());
  ASSERT_EQ(memd.memory->mappings(a).size(), kKept);
  // B needs more pages than are free: A's idle pages come back first, zeroed for B.
  uint64_t big = memd.alloc(kB, 16 * 4096);
  ASSERT_NE(big, 0u);
  EXPECT_TRUE(memd.memory->mappings(a).empty());
  EXPECT_TRUE(memd.is_zero(b, big, 16 * 4096));
  EXPECT_TRUE(memd.memory->violations().empty());
}

INSTANTIATE_TEST_SUITE_P(Policies, IdlePagesTest,
                         ::testing::Values(Policy::kBump, Policy::kLinkedList,
                                           Policy::kFixedBlock),
                         [](const auto& info) {
                           return std::string(abi::heap_strategy_name(info.param));
                         });

}  // namespace
}  // namespace bm::memd
