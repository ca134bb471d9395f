// The linked-list allocator's size bins and segregated free lists: every block size lands in a
// bin whose range holds it, first_bin_holding is the first bin that serves a request whole, and
// the lists refuse to unlink through a damaged link.
#include "lib/alloc/size_bins.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "lib/alloc/free_lists.h"

namespace bm::alloc_internal {
namespace {

TEST(SizeBins, EveryBlockSizeFallsInsideItsBinsRange) {
  size_t previous = 0;
  for (size_t size = 32; size <= (size_t{1} << 22); size += 16) {
    const size_t bin = bin_of(size);
    ASSERT_LT(bin, kBinCount);
    ASSERT_LE(bin_floor(bin), size) << size;
    if (bin + 1 < kBinCount) {
      ASSERT_GT(bin_floor(bin + 1), size) << size;
    }
    ASSERT_GE(bin, previous) << "bins grow with the size";
    previous = bin;
  }
}

TEST(SizeBins, BelowOneKibEachSizeHasItsOwnBin) {
  for (size_t size = 32; size < kExactBinLimit; size += 16) {
    EXPECT_EQ(bin_floor(bin_of(size)), size);
    EXPECT_EQ(first_bin_holding(size), bin_of(size));
  }
}

TEST(SizeBins, FirstBinHoldingIsTheFirstWhoseBlocksAllFit) {
  for (size_t size = 32; size <= (size_t{1} << 22); size += 16) {
    const size_t bin = first_bin_holding(size);
    ASSERT_LT(bin, kBinCount);
    ASSERT_GE(bin_floor(bin), size) << size;
    ASSERT_LT(bin_floor(bin - 1), size) << size << ": an earlier bin would do";
  }
  // The largest bins, near the top of any address space.
  EXPECT_EQ(bin_of(size_t{1} << 62), kBinCount - 1);
  EXPECT_EQ(first_bin_holding(bin_floor(kBinCount - 1) + 16), kBinCount);
}

class FreeListsTest : public ::testing::Test {
 protected:
  FreeBlock* block(size_t index, size_t size) {
    FreeBlock* block = &blocks_[index];
    block->size = size;
    return block;
  }
  static bool anywhere(const FreeBlock*) { return true; }

  FreeBlock blocks_[8] = {};
  FreeLists lists_;
};

TEST_F(FreeListsTest, FindsTheFirstNonEmptyBinAtOrAfterOne) {
  EXPECT_EQ(lists_.first_non_empty(0), FreeLists::kNone);
  lists_.insert(block(0, 48));        // bin 3
  lists_.insert(block(1, 5000));      // a log bin in the second bitmap word
  lists_.insert(block(2, 1u << 20));  // a bin in a later word
  EXPECT_EQ(lists_.first_non_empty(0), bin_of(48));
  EXPECT_EQ(lists_.first_non_empty(bin_of(48) + 1), bin_of(5000));
  EXPECT_EQ(lists_.first_non_empty(bin_of(5000) + 1), bin_of(1u << 20));
  EXPECT_EQ(lists_.first_non_empty(bin_of(1u << 20) + 1), FreeLists::kNone);
  EXPECT_EQ(lists_.first_non_empty(kBinCount), FreeLists::kNone);
  ASSERT_TRUE(lists_.unlink(&blocks_[1], anywhere));
  EXPECT_EQ(lists_.first_non_empty(bin_of(48) + 1), bin_of(1u << 20));
}

TEST_F(FreeListsTest, ListsAreLastInFirstOutAndUnlinkFromAnywhere) {
  for (size_t i = 0; i < 4; ++i) lists_.insert(block(i, 64));
  EXPECT_EQ(lists_.head(bin_of(64)), &blocks_[3]);
  ASSERT_TRUE(lists_.unlink(&blocks_[2], anywhere));  // middle
  ASSERT_TRUE(lists_.unlink(&blocks_[3], anywhere));  // head
  ASSERT_TRUE(lists_.unlink(&blocks_[0], anywhere));  // last
  EXPECT_EQ(lists_.head(bin_of(64)), &blocks_[1]);
  EXPECT_EQ(blocks_[1].next, nullptr);
  EXPECT_EQ(blocks_[1].prev, nullptr);
  ASSERT_TRUE(lists_.unlink(&blocks_[1], anywhere));
  EXPECT_EQ(lists_.first_non_empty(0), FreeLists::kNone);
}

TEST_F(FreeListsTest, ReplaceTakesOverTheListPosition) {
  for (size_t i = 0; i < 3; ++i) lists_.insert(block(i, 2048));
  FreeBlock* replacement = block(5, 2064);  // same bin
  ASSERT_TRUE(lists_.replace(&blocks_[1], replacement, bin_of(2048), anywhere));
  EXPECT_EQ(blocks_[2].next, replacement);
  EXPECT_EQ(blocks_[0].prev, replacement);
  EXPECT_EQ(replacement->next, &blocks_[0]);
  EXPECT_EQ(replacement->prev, &blocks_[2]);
}

TEST_F(FreeListsTest, DamagedLinksAreRefusedAndNothingChanges) {
  for (size_t i = 0; i < 3; ++i) lists_.insert(block(i, 96));
  FreeBlock* stray = &blocks_[6];
  blocks_[1].next = stray;  // a use-after-free write over a link
  EXPECT_FALSE(lists_.unlink(&blocks_[1], anywhere));
  EXPECT_FALSE(lists_.replace(&blocks_[1], &blocks_[7], bin_of(96), anywhere));
  // Not the head and no predecessor: not in this list at all.
  block(4, 96);
  EXPECT_FALSE(lists_.unlink(&blocks_[4], anywhere));
  // A neighbour the caller says may not be read is not followed.
  blocks_[1].next = &blocks_[0];
  EXPECT_FALSE(lists_.unlink(&blocks_[1], [](const FreeBlock* link) { return link == nullptr; }));
  EXPECT_EQ(lists_.head(bin_of(96)), &blocks_[2]);
  EXPECT_TRUE(lists_.unlink(&blocks_[1], anywhere));
}

}  // namespace
}  // namespace bm::alloc_internal
