// trim_end: a heap gives back the free pages at its end (what lets the kernel heap return
// frames after a burst), keeps what it was told to keep, never cuts into a live block, and
// can grow again afterwards. Bump never trims.
#include <gtest/gtest.h>

#include <vector>

#include "lib/alloc/bump_allocator.h"
#include "lib/alloc/fixed_block_allocator.h"
#include "lib/alloc/linked_list_allocator.h"
#include "test/host/alloc/alloc_test_support.h"

namespace bm::test {
namespace {

constexpr size_t kPage = 4096;
constexpr size_t kBuffer = 1024 * 1024;
constexpr size_t kInitial = 64 * 1024;
constexpr size_t kKeepFree = 16 * 1024;

template <typename Allocator>
class TrimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(heap_.init(buffer_.data(), kInitial).ok());
    ASSERT_TRUE(heap_.extend(kBuffer - kInitial).ok());
  }
  // Fills most of the heap with 1 KiB blocks.
  std::vector<void*> burst() {
    std::vector<void*> blocks;
    for (size_t i = 0; i < (kBuffer / 1024) * 3 / 4; ++i) {
      auto block = heap_.allocate(1000, 16);
      if (!block.ok()) break;
      blocks.push_back(*block);
    }
    return blocks;
  }
  void free_all(const std::vector<void*>& blocks) {
    for (void* block : blocks) ASSERT_TRUE(heap_.free(block).ok());
  }

  HeapBuffer buffer_{kBuffer};
  Allocator heap_;
};

using TrimmingTypes = ::testing::Types<LinkedListAllocator, FixedBlockAllocator>;
TYPED_TEST_SUITE(TrimTest, TrimmingTypes);

TYPED_TEST(TrimTest, AnEmptyHeapShrinksToWhatItKeeps) {
  std::vector<void*> blocks = this->burst();
  ASSERT_GT(blocks.size(), 100u);
  this->free_all(blocks);
  const size_t capacity = this->heap_.stats().capacity_bytes;
  auto released = this->heap_.trim_end(kPage, kInitial, kKeepFree);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released % kPage, 0u);
  EXPECT_GE(*released, kBuffer - kInitial - kPage);
  EXPECT_EQ(this->heap_.stats().capacity_bytes, capacity - *released);
  EXPECT_GE(this->heap_.stats().capacity_bytes, kInitial);
  // Nothing more to give back, and the rest still serves requests.
  EXPECT_EQ(*this->heap_.trim_end(kPage, kInitial, kKeepFree), 0u);
  auto block = this->heap_.allocate(1000, 16);
  ASSERT_TRUE(block.ok());
  EXPECT_LT(address(*block), address(this->buffer_.data()) + kBuffer - *released);
  EXPECT_TRUE(this->heap_.free(*block).ok());
}

TYPED_TEST(TrimTest, ALiveBlockAtTheEndKeepsEverything) {
  std::vector<void*> blocks = this->burst();
  ASSERT_GT(blocks.size(), 100u);
  void* last = blocks.back();
  blocks.pop_back();
  this->free_all(blocks);
  auto released = this->heap_.trim_end(kPage, kInitial, kKeepFree);
  ASSERT_TRUE(released.ok());
  // Whatever was given back lies wholly behind the live block.
  const uintptr_t end = address(this->buffer_.data()) + kBuffer - *released;
  EXPECT_GE(end, address(last) + 1000);
  EXPECT_TRUE(this->heap_.free(last).ok());
}

TYPED_TEST(TrimTest, KeepsTheFreeBytesItWasAskedToKeep) {
  this->free_all(this->burst());
  ASSERT_TRUE(this->heap_.trim_end(kPage, 0, kKeepFree).ok());
  // kKeepFree bytes are still there: a block of nearly that size fits without extend().
  auto block = this->heap_.allocate(kKeepFree / 2, 16);
  EXPECT_TRUE(block.ok());
  if (block.ok()) {
    EXPECT_TRUE(this->heap_.free(*block).ok());
  }
}

TYPED_TEST(TrimTest, GrowsAgainAfterATrim) {
  this->free_all(this->burst());
  auto released = this->heap_.trim_end(kPage, kInitial, kKeepFree);
  ASSERT_TRUE(released.ok());
  ASSERT_GT(*released, 0u);
  ASSERT_TRUE(this->heap_.extend(*released).ok());
  EXPECT_EQ(this->heap_.stats().capacity_bytes, kBuffer);
  std::vector<void*> again = this->burst();
  EXPECT_GT(again.size(), 100u);
  this->free_all(again);
}

TYPED_TEST(TrimTest, RefusesAGranularityThatIsNotAPowerOfTwo) {
  EXPECT_EQ(this->heap_.trim_end(3000, 0, 0).error(), Error::kInvalidArgument);
  EXPECT_EQ(this->heap_.trim_end(0, 0, 0).error(), Error::kInvalidArgument);
}

TEST(BumpTrim, NeverGivesAnythingBack) {
  HeapBuffer buffer(kInitial);
  BumpAllocator heap;
  ASSERT_TRUE(heap.init(buffer.data(), kInitial).ok());
  EXPECT_EQ(*heap.trim_end(kPage, 0, 0), 0u);
}

}  // namespace
}  // namespace bm::test
