// Host tests for the runtime's block cache (user/block_cache.h) against a fake memd: which
// requests it serves, when it refills and drains and with what, its limits, and what it does
// with frees that are not its own and with a memd that says no.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "user/block_cache.h"

namespace user {
namespace {

using bm::ipc::ProtocolStatus;

// Hands out fresh 16-byte-aligned addresses and records every batch.
class FakeMemd final : public BlockCacheBackend {
 public:
  struct Refill {
    uint64_t size;
    uint32_t count;
  };
  ProtocolStatus refill(uint64_t size, uint32_t count, uint64_t* blocks,
                        uint32_t* placed) override {
    refills.push_back({size, count});
    if (refuse != ProtocolStatus::kOk) return refuse;
    *placed = count < limit_per_refill ? count : limit_per_refill;
    for (uint32_t i = 0; i < *placed; ++i) {
      blocks[i] = next;
      next += 4096;  // far apart, so a block's class cannot be guessed from its neighbours
      out.insert(blocks[i]);
    }
    return ProtocolStatus::kOk;
  }
  ProtocolStatus drain(const uint64_t* blocks, uint32_t count) override {
    drains.emplace_back(blocks, blocks + count);
    for (uint32_t i = 0; i < count; ++i) {
      if (out.erase(blocks[i]) == 0) return ProtocolStatus::kDoubleFree;
    }
    return drain_answer;
  }

  std::vector<Refill> refills;
  std::vector<std::vector<uint64_t>> drains;
  std::set<uint64_t> out;  // handed to the cache and not drained
  uint64_t next = 0x1000'0000'0000;
  uint32_t limit_per_refill = ~0u;
  ProtocolStatus refuse = ProtocolStatus::kOk;
  ProtocolStatus drain_answer = ProtocolStatus::kOk;
};

class BlockCacheTest : public ::testing::Test {
 protected:
  uint64_t take(size_t size) {
    uint64_t block = 0;
    EXPECT_EQ(cache.take(size, &block), ProtocolStatus::kOk) << size;
    return block;
  }
  void give_back(uint64_t block) {
    bool ours = false;
    EXPECT_EQ(cache.give_back(block, &ours), ProtocolStatus::kOk);
    EXPECT_TRUE(ours);
  }

  FakeMemd memd;
  BlockCache cache{&memd};
};

TEST(BlockCacheClasses, ServesSmallBlocksAtTheMinimumAlignmentOnly) {
  EXPECT_FALSE(BlockCache::serves(0, 16));
  EXPECT_TRUE(BlockCache::serves(1, 16));
  EXPECT_TRUE(BlockCache::serves(256, 16));
  EXPECT_TRUE(BlockCache::serves(100, 8));
  EXPECT_FALSE(BlockCache::serves(257, 16));
  EXPECT_FALSE(BlockCache::serves(64, 32));
  EXPECT_EQ(BlockCache::class_size(0), 16u);
  EXPECT_EQ(BlockCache::class_size(BlockCache::kClassCount - 1), BlockCache::kMaxClassSize);
}

TEST_F(BlockCacheTest, EachSizeGoesToTheSmallestClassThatHoldsIt) {
  const std::pair<size_t, size_t> cases[] = {{1, 16},  {16, 16},   {17, 32},   {32, 32},
                                             {33, 64}, {100, 128}, {129, 256}, {256, 256}};
  for (auto [size, class_size] : cases) {
    SCOPED_TRACE(size);
    const size_t refills = memd.refills.size();
    const uint64_t block = take(size);
    EXPECT_EQ(cache.lent_size(block), class_size);
    if (memd.refills.size() > refills) {
      EXPECT_EQ(memd.refills.back().size, class_size);
    }
  }
  // 1 and 16, 17 and 32, 129 and 256 shared a refill: five classes, five refills.
  EXPECT_EQ(memd.refills.size(), 5u);
}

TEST_F(BlockCacheTest, AnEmptyClassRefillsOneBatchInOneRequest) {
  take(24);
  ASSERT_EQ(memd.refills.size(), 1u);
  EXPECT_EQ(memd.refills[0].size, 32u);
  EXPECT_EQ(memd.refills[0].count, BlockCache::kBatch);
  EXPECT_EQ(cache.free_blocks(1), BlockCache::kBatch - 1);
  for (uint32_t i = 1; i < BlockCache::kBatch; ++i) take(24);
  EXPECT_EQ(memd.refills.size(), 1u);
  take(24);
  EXPECT_EQ(memd.refills.size(), 2u);
}

TEST_F(BlockCacheTest, SteadyMallocFreePairsNeverReachMemd) {
  for (int i = 0; i < 10000; ++i) give_back(take(static_cast<size_t>(1 + i % 256)));
  EXPECT_EQ(memd.refills.size(), 5u);  // once per class
  EXPECT_TRUE(memd.drains.empty());
  // The last block freed is the next one lent.
  const uint64_t block = take(64);
  give_back(block);
  EXPECT_EQ(take(64), block);
}

TEST_F(BlockCacheTest, AFullClassDrainsOneBatchOfItsOwnBlocks) {
  std::vector<uint64_t> lent;
  for (uint32_t i = 0; i < 3 * BlockCache::kBatch; ++i) lent.push_back(take(48));
  for (uint64_t block : lent) give_back(block);
  // 48 blocks back into a class that keeps 32: one drain of 16, at the 33rd.
  ASSERT_EQ(memd.drains.size(), 1u);
  EXPECT_EQ(memd.drains[0].size(), BlockCache::kBatch);
  EXPECT_EQ(cache.free_blocks(2), BlockCache::kFreeLimit);
  EXPECT_EQ(cache.free_bytes(), BlockCache::kFreeLimit * 64u);
  EXPECT_EQ(memd.out.size(), BlockCache::kFreeLimit);
  EXPECT_EQ(cache.lent_blocks(), 0u);
}

TEST_F(BlockCacheTest, LendsAtMostTheLimitThenSendsCallersToMemd) {
  for (uint32_t i = 0; i < BlockCache::kLentLimit; ++i) take(16);
  const size_t refills = memd.refills.size();
  uint64_t block = 0;
  EXPECT_EQ(cache.take(16, &block), ProtocolStatus::kNoSlots);
  EXPECT_EQ(cache.take(200, &block), ProtocolStatus::kNoSlots);
  EXPECT_EQ(memd.refills.size(), refills);  // no refill for a block it cannot lend
  EXPECT_EQ(cache.lent_blocks(), BlockCache::kLentLimit);
  // What the cache holds stays bounded: free blocks up to the limit per class, lent ones.
  EXPECT_LE(cache.free_bytes(), BlockCache::kFreeLimit * 16u);
}

TEST_F(BlockCacheTest, FreesThatAreNotItsOwnAreLeftToMemd) {
  const uint64_t block = take(64);
  bool ours = true;
  EXPECT_EQ(cache.give_back(0x1234'5670, &ours), ProtocolStatus::kOk);
  EXPECT_FALSE(ours);
  EXPECT_EQ(cache.give_back(block + 16, &ours), ProtocolStatus::kOk);  // inside a block
  EXPECT_FALSE(ours);
  EXPECT_EQ(cache.give_back(0, &ours), ProtocolStatus::kOk);
  EXPECT_FALSE(ours);
  give_back(block);
  // A double free: the block sits in the cache now, so the cache does not take it twice;
  // the caller sends it to memd, which knows it as cached and refuses it.
  EXPECT_EQ(cache.give_back(block, &ours), ProtocolStatus::kOk);
  EXPECT_FALSE(ours);
  EXPECT_EQ(cache.free_blocks(2), BlockCache::kBatch);
  EXPECT_EQ(cache.lent_size(block), 0u);
  EXPECT_TRUE(memd.drains.empty());
}

TEST_F(BlockCacheTest, MemdOutOfMemoryFailsTheTakeAndChangesNothing) {
  memd.refuse = ProtocolStatus::kOutOfMemory;
  uint64_t block = 0x77;
  EXPECT_EQ(cache.take(100, &block), ProtocolStatus::kOutOfMemory);
  EXPECT_EQ(block, 0x77u);
  EXPECT_EQ(cache.lent_blocks(), 0u);
  EXPECT_EQ(cache.free_bytes(), 0u);
  memd.refuse = ProtocolStatus::kOk;  // memory again
  EXPECT_NE(take(100), 0u);
}

TEST_F(BlockCacheTest, APartialRefillIsUsedAndTheNextTakeRefillsAgain) {
  memd.limit_per_refill = 3;
  for (int i = 0; i < 3; ++i) take(256);
  EXPECT_EQ(memd.refills.size(), 1u);
  take(256);
  EXPECT_EQ(memd.refills.size(), 2u);
}

// A backend that answers kOk with no block, or more than asked, is not memd.
class LyingMemd final : public BlockCacheBackend {
 public:
  ProtocolStatus refill(uint64_t, uint32_t count, uint64_t* blocks, uint32_t* placed) override {
    *placed = answer;
    for (uint32_t i = 0; i < answer && i < count; ++i) blocks[i] = 0x1000'0000'0000 + 16 * i;
    return ProtocolStatus::kOk;
  }
  ProtocolStatus drain(const uint64_t*, uint32_t) override { return ProtocolStatus::kOk; }
  uint32_t answer = 0;
};

TEST(BlockCacheBackendReplies, RefillsOfNothingOrTooMuchAreRefused) {
  LyingMemd memd;
  BlockCache cache(&memd);
  uint64_t block = 0;
  EXPECT_EQ(cache.take(16, &block), ProtocolStatus::kBadValue);
  memd.answer = BlockCache::kBatch + 1;
  EXPECT_EQ(cache.take(16, &block), ProtocolStatus::kBadValue);
  EXPECT_EQ(cache.free_bytes(), 0u);
  EXPECT_EQ(cache.lent_blocks(), 0u);
}

TEST_F(BlockCacheTest, DrainAllReturnsEveryFreeBlockAndKeepsTheLentOnes) {
  std::vector<uint64_t> lent;
  for (size_t size : {16, 32, 64, 128, 256}) {
    for (int i = 0; i < 18; ++i) lent.push_back(take(size));
  }
  for (size_t i = 0; i < lent.size(); i += 2) give_back(lent[i]);
  EXPECT_EQ(cache.drain_all(), ProtocolStatus::kOk);
  EXPECT_EQ(cache.free_bytes(), 0u);
  EXPECT_EQ(cache.lent_blocks(), 45u);
  EXPECT_EQ(memd.out.size(), 45u);  // memd has back all but the lent
  for (const auto& drain : memd.drains) EXPECT_LE(drain.size(), BlockCache::kBatch);
  // Lent blocks still come back into the cache afterwards.
  give_back(lent[1]);
  EXPECT_EQ(cache.free_blocks(0), 1u);
}

TEST_F(BlockCacheTest, ADrainMemdRefusesIsReportedByTheFreeThatCausedIt) {
  std::vector<uint64_t> lent;
  for (uint32_t i = 0; i < 3 * BlockCache::kBatch; ++i) lent.push_back(take(16));
  for (uint32_t i = 0; i < BlockCache::kFreeLimit; ++i) give_back(lent[i]);  // now full
  memd.drain_answer = ProtocolStatus::kNotAllocated;
  bool ours = false;
  EXPECT_EQ(cache.give_back(lent[BlockCache::kFreeLimit], &ours), ProtocolStatus::kNotAllocated);
  EXPECT_TRUE(ours);
}

}  // namespace
}  // namespace user
