// Behaviour every heap strategy promises through the shared API: argument checks, alignment,
// exhaustion, misuse detection, extend() and exact statistics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "test/host/alloc/alloc_test_support.h"

namespace bm::test {
namespace {

template <typename Allocator>
class AllocatorContract : public ::testing::Test {
 protected:
  static constexpr size_t kHeapSize = 256 * 1024;

  void SetUp() override { ASSERT_TRUE(heap_.init(buffer_.data(), kHeapSize).ok()); }

  void* allocate(size_t size, size_t alignment = 16) {
    auto result = heap_.allocate(size, alignment);
    EXPECT_TRUE(result.ok()) << "size " << size << " alignment " << alignment << ": "
                             << error_name(result.error());
    return result.ok() ? *result : nullptr;
  }

  HeapBuffer buffer_{2 * kHeapSize};  // the second half is for extend()
  Allocator heap_;
};

TYPED_TEST_SUITE(AllocatorContract, AllocatorTypes, AllocatorNames);

TYPED_TEST(AllocatorContract, InitRejectsNullTooSmallAndSecondCall) {
  HeapBuffer buffer(4096);
  TypeParam heap;
  EXPECT_EQ(heap.init(nullptr, 4096).error(), Error::kInvalidArgument);
  EXPECT_EQ(heap.init(buffer.data(), 8).error(), Error::kInvalidArgument);
  EXPECT_EQ(heap.init(buffer.data() + 1, 16).error(), Error::kInvalidArgument);
  // A range that would wrap the address space is refused before anything is written.
  EXPECT_EQ(heap.init(reinterpret_cast<void*>(UINTPTR_MAX - 100), 4096).error(),
            Error::kInvalidArgument);
  ASSERT_TRUE(heap.init(buffer.data(), 4096).ok());
  EXPECT_EQ(heap.init(buffer.data(), 4096).error(), Error::kInvalidArgument);
  EXPECT_EQ(heap.stats().capacity_bytes, 4096u);
}

TYPED_TEST(AllocatorContract, UninitializedHeapRefusesEverything) {
  TypeParam heap;
  int local = 0;
  EXPECT_EQ(heap.allocate(16).error(), Error::kOutOfMemory);
  EXPECT_EQ(heap.free(&local).error(), Error::kForeignPointer);
  EXPECT_EQ(heap.extend(4096).error(), Error::kInvalidArgument);
  EXPECT_FALSE(heap.usable_size(&local).ok());
  EXPECT_FALSE(heap.owns(&local));
  EXPECT_TRUE(heap.free(nullptr).ok());
}

TYPED_TEST(AllocatorContract, ZeroSizeIsInvalidArgument) {
  EXPECT_EQ(this->heap_.allocate(0).error(), Error::kInvalidArgument);
  EXPECT_EQ(this->heap_.allocate(0, 4096).error(), Error::kInvalidArgument);
  const AllocStats stats = this->heap_.stats();
  EXPECT_EQ(stats.failed_allocations, 2u);
  EXPECT_EQ(stats.blocks_in_use, 0u);
  EXPECT_EQ(stats.total_allocations, 0u);
}

TYPED_TEST(AllocatorContract, RejectsNonPowerOfTwoAlignment) {
  for (size_t alignment : {size_t{0}, size_t{3}, size_t{24}, size_t{48}, size_t{4095}}) {
    EXPECT_EQ(this->heap_.allocate(64, alignment).error(), Error::kBadAlignment) << alignment;
  }
  EXPECT_EQ(this->heap_.stats().failed_allocations, 5u);
  EXPECT_EQ(this->heap_.stats().blocks_in_use, 0u);
}

TYPED_TEST(AllocatorContract, RejectsAlignmentAboveMaximum) {
  EXPECT_EQ(this->heap_.allocate(64, TypeParam::kMaxAlignment * 2).error(), Error::kBadAlignment);
  EXPECT_EQ(this->heap_.allocate(64, size_t{1} << 63).error(), Error::kBadAlignment);
  EXPECT_TRUE(this->heap_.allocate(64, TypeParam::kMaxAlignment).ok());
}

TYPED_TEST(AllocatorContract, HugeSizesFailWithoutOverflow) {
  const AllocStats before = this->heap_.stats();
  const size_t sizes[] = {SIZE_MAX,     SIZE_MAX - 1,    SIZE_MAX - 15,      SIZE_MAX - 4095,
                          SIZE_MAX / 2, this->kHeapSize, this->kHeapSize + 1};
  size_t attempts = 0;
  for (size_t size : sizes) {
    for (size_t alignment : {size_t{1}, size_t{16}, size_t{4096}}) {
      EXPECT_EQ(this->heap_.allocate(size, alignment).error(), Error::kOutOfMemory) << size;
      ++attempts;
    }
  }
  const AllocStats after = this->heap_.stats();
  EXPECT_EQ(after.failed_allocations, attempts);
  EXPECT_EQ(after.free_bytes, before.free_bytes);
  EXPECT_EQ(after.blocks_in_use, 0u);
  void* block = this->allocate(1000);
  ASSERT_NE(block, nullptr);
  EXPECT_TRUE(this->heap_.free(block).ok());
}

TYPED_TEST(AllocatorContract, HonoursEveryPowerOfTwoAlignment) {
  std::vector<std::pair<uintptr_t, size_t>> blocks;
  for (size_t shift = 0; shift <= 12; ++shift) {
    const size_t alignment = size_t{1} << shift;
    for (size_t size : {size_t{1}, size_t{24}, size_t{100}, size_t{3000}}) {
      void* block = this->allocate(size, alignment);
      ASSERT_NE(block, nullptr);
      EXPECT_EQ(address(block) % alignment, 0u) << "alignment " << alignment;
      EXPECT_EQ(address(block) % 16, 0u);
      EXPECT_GE(address(block), address(this->buffer_.data()));
      EXPECT_LE(address(block) + size, address(this->buffer_.data()) + this->kHeapSize);
      std::memset(block, 0x5a, size);
      blocks.emplace_back(address(block), size);
    }
  }
  std::sort(blocks.begin(), blocks.end());
  for (size_t i = 1; i < blocks.size(); ++i) {
    EXPECT_LE(blocks[i - 1].first + blocks[i - 1].second, blocks[i].first) << "blocks overlap";
  }
  for (const auto& [block, size] : blocks) {
    EXPECT_TRUE(this->heap_.free(reinterpret_cast<void*>(block)).ok());
  }
  EXPECT_EQ(this->heap_.stats().blocks_in_use, 0u);
}

TYPED_TEST(AllocatorContract, ExhaustionReportsOutOfMemoryAndFreeingMakesRoom) {
  auto fill = [this](std::vector<void*>& blocks) {
    while (true) {
      auto result = this->heap_.allocate(1000);
      if (!result.ok()) {
        EXPECT_EQ(result.error(), Error::kOutOfMemory);
        return;
      }
      blocks.push_back(*result);
    }
  };
  std::vector<void*> first;
  fill(first);
  ASSERT_GT(first.size(), 100u);
  AllocStats stats = this->heap_.stats();
  EXPECT_EQ(stats.failed_allocations, 1u);
  EXPECT_EQ(stats.blocks_in_use, first.size());
  EXPECT_EQ(stats.bytes_in_use, first.size() * 1000);
  EXPECT_LT(stats.free_bytes, 1000u + 64u);

  if constexpr (!kIsBump<TypeParam>) {
    // One freed block is enough room for another of the same size.
    void* victim = first[first.size() / 2];
    ASSERT_TRUE(this->heap_.free(victim).ok());
    auto again = this->heap_.allocate(1000);
    ASSERT_TRUE(again.ok());
    first[first.size() / 2] = *again;
  }
  for (void* block : first) ASSERT_TRUE(this->heap_.free(block).ok());
  std::vector<void*> second;
  fill(second);
  EXPECT_EQ(second.size(), first.size());
  for (void* block : second) ASSERT_TRUE(this->heap_.free(block).ok());
  EXPECT_EQ(this->heap_.stats().blocks_in_use, 0u);
}

TYPED_TEST(AllocatorContract, FreeNullIsNoOp) {
  EXPECT_TRUE(this->heap_.free(nullptr).ok());
  EXPECT_EQ(this->heap_.stats().total_frees, 0u);
  EXPECT_EQ(this->heap_.stats().rejected_frees, 0u);
}

TYPED_TEST(AllocatorContract, DoubleFreeIsRejected) {
  for (size_t size : {size_t{64}, size_t{5000}}) {
    void* keep = this->allocate(128);  // keeps the heap non-empty (no bump reset)
    void* block = this->allocate(size);
    ASSERT_TRUE(this->heap_.free(block).ok());
    EXPECT_EQ(this->heap_.free(block).error(), Error::kDoubleFree) << size;
    EXPECT_EQ(this->heap_.stats().blocks_in_use, 1u);
    ASSERT_TRUE(this->heap_.free(keep).ok());
  }
  EXPECT_EQ(this->heap_.stats().rejected_frees, 2u);
  EXPECT_EQ(this->heap_.stats().total_frees, 4u);
  void* block = this->allocate(64);
  EXPECT_TRUE(this->heap_.free(block).ok());
}

TYPED_TEST(AllocatorContract, DoubleFreeOfOnlyBlockIsRejected) {
  // Freeing the last block resets a bump heap, merges a linked-list heap back into one block
  // and empties a slab; the second free must still be recognised.
  for (size_t size : {size_t{64}, size_t{5000}}) {
    void* block = this->allocate(size);
    ASSERT_TRUE(this->heap_.free(block).ok());
    EXPECT_EQ(this->heap_.free(block).error(), Error::kDoubleFree) << size;
  }
  EXPECT_EQ(this->heap_.stats().rejected_frees, 2u);
}

TYPED_TEST(AllocatorContract, ForeignPointersAreRejected) {
  for (size_t size : {size_t{256}, size_t{5000}}) {
    void* block = this->allocate(size);
    ASSERT_NE(block, nullptr);
    std::memset(block, 0xab, size);
    int on_stack = 0;
    uint8_t* heap_end = this->buffer_.data() + this->kHeapSize;
    void* foreign[] = {&on_stack,
                       static_cast<uint8_t*>(block) + 16,  // middle of a live block
                       static_cast<uint8_t*>(block) + 1,
                       heap_end,  // first byte past the heap
                       heap_end + 4096,
                       reinterpret_cast<void*>(16),
                       reinterpret_cast<void*>(UINTPTR_MAX & ~uintptr_t{15})};
    const AllocStats before = this->heap_.stats();
    for (void* ptr : foreign) {
      EXPECT_EQ(this->heap_.free(ptr).error(), Error::kForeignPointer) << ptr;
      EXPECT_FALSE(this->heap_.usable_size(ptr).ok());
    }
    const AllocStats after = this->heap_.stats();
    EXPECT_EQ(after.rejected_frees, before.rejected_frees + std::size(foreign));
    EXPECT_EQ(after.blocks_in_use, 1u);
    EXPECT_EQ(after.bytes_in_use, size);
    EXPECT_EQ(after.free_bytes, before.free_bytes);
    EXPECT_TRUE(this->heap_.free(block).ok());
  }
  void* block = this->allocate(300);
  EXPECT_TRUE(this->heap_.free(block).ok());
}

TYPED_TEST(AllocatorContract, UsableSizeReportsRequestedSize) {
  std::vector<std::pair<void*, size_t>> blocks;
  for (size_t size : {size_t{1}, size_t{17}, size_t{1000}, size_t{2048}, size_t{5000}}) {
    blocks.emplace_back(this->allocate(size), size);
  }
  for (const auto& [block, size] : blocks) {
    auto usable = this->heap_.usable_size(block);
    ASSERT_TRUE(usable.ok());
    EXPECT_EQ(*usable, size);
  }
  void* extra = this->allocate(64);  // keeps a bump heap from resetting below
  for (const auto& [block, size] : blocks) {
    ASSERT_TRUE(this->heap_.free(block).ok());
    EXPECT_FALSE(this->heap_.usable_size(block).ok()) << "freed block of " << size;
  }
  EXPECT_TRUE(this->heap_.free(extra).ok());
}

TYPED_TEST(AllocatorContract, ExactStatisticsAfterSequence) {
  const AllocStats initial = this->heap_.stats();
  EXPECT_EQ(initial.capacity_bytes, this->kHeapSize);
  EXPECT_EQ(initial.bytes_in_use, 0u);
  EXPECT_GT(initial.free_bytes, this->kHeapSize - 64);
  EXPECT_LE(initial.free_bytes, this->kHeapSize);

  size_t last_free = initial.free_bytes;
  void* a = this->allocate(10);
  EXPECT_LT(this->heap_.stats().free_bytes, last_free);
  last_free = this->heap_.stats().free_bytes;
  void* b = this->allocate(100, 64);
  EXPECT_LT(this->heap_.stats().free_bytes, last_free);
  last_free = this->heap_.stats().free_bytes;
  void* c = this->allocate(3000);
  EXPECT_LT(this->heap_.stats().free_bytes, last_free);

  AllocStats stats = this->heap_.stats();
  EXPECT_EQ(stats.bytes_in_use, 3110u);
  EXPECT_EQ(stats.blocks_in_use, 3u);
  EXPECT_EQ(stats.peak_bytes_in_use, 3110u);
  EXPECT_EQ(stats.total_allocations, 3u);

  ASSERT_TRUE(this->heap_.free(b).ok());
  EXPECT_FALSE(this->heap_.allocate(0).ok());
  EXPECT_EQ(this->heap_.free(b).error(), Error::kDoubleFree);
  void* d = this->allocate(7);
  stats = this->heap_.stats();
  EXPECT_EQ(stats.bytes_in_use, 3017u);
  EXPECT_EQ(stats.blocks_in_use, 3u);
  EXPECT_EQ(stats.peak_bytes_in_use, 3110u);
  EXPECT_EQ(stats.total_allocations, 4u);
  EXPECT_EQ(stats.total_frees, 1u);
  EXPECT_EQ(stats.failed_allocations, 1u);
  EXPECT_EQ(stats.rejected_frees, 1u);
  EXPECT_EQ(stats.capacity_bytes, this->kHeapSize);

  for (void* block : {a, c, d}) ASSERT_TRUE(this->heap_.free(block).ok());
  stats = this->heap_.stats();
  EXPECT_EQ(stats.bytes_in_use, 0u);
  EXPECT_EQ(stats.blocks_in_use, 0u);
  EXPECT_EQ(stats.peak_bytes_in_use, 3110u);
  EXPECT_EQ(stats.total_frees, 4u);
}

TYPED_TEST(AllocatorContract, ExtendGrowsHeap) {
  EXPECT_TRUE(this->allocate(200 * 1024) != nullptr);
  EXPECT_EQ(this->heap_.allocate(200 * 1024).error(), Error::kOutOfMemory);
  uint8_t* old_end = this->buffer_.data() + this->kHeapSize;
  EXPECT_FALSE(this->heap_.owns(old_end));
  ASSERT_TRUE(this->heap_.extend(this->kHeapSize).ok());
  EXPECT_TRUE(this->heap_.owns(old_end));
  EXPECT_EQ(this->heap_.stats().capacity_bytes, 2 * this->kHeapSize);
  void* grown = this->allocate(200 * 1024);
  ASSERT_NE(grown, nullptr);
  EXPECT_GE(address(grown), address(this->buffer_.data()));
  EXPECT_LE(address(grown) + 200 * 1024, address(this->buffer_.data()) + 2 * this->kHeapSize);
  std::memset(grown, 0x11, 200 * 1024);
  EXPECT_TRUE(this->heap_.extend(0).ok());
  EXPECT_EQ(this->heap_.extend(SIZE_MAX).error(), Error::kInvalidArgument);
  EXPECT_EQ(this->heap_.stats().capacity_bytes, 2 * this->kHeapSize);
}

TYPED_TEST(AllocatorContract, ExtendMergesWithTrailingFreeSpace) {
  // 400 KiB fits only if the free tail of the old range and the new range form one block.
  void* small = this->allocate(8 * 1024);
  ASSERT_TRUE(this->heap_.extend(this->kHeapSize).ok());
  void* big = this->allocate(400 * 1024);
  ASSERT_NE(big, nullptr);
  EXPECT_LT(address(big), address(this->buffer_.data()) + this->kHeapSize);
  EXPECT_TRUE(this->heap_.free(big).ok());
  EXPECT_TRUE(this->heap_.free(small).ok());
}

TYPED_TEST(AllocatorContract, OwnsReportsManagedRange) {
  uint8_t* base = this->buffer_.data();
  int on_stack = 0;
  EXPECT_TRUE(this->heap_.owns(base));
  EXPECT_TRUE(this->heap_.owns(base + this->kHeapSize - 1));
  EXPECT_FALSE(this->heap_.owns(base + this->kHeapSize));
  EXPECT_FALSE(this->heap_.owns(reinterpret_cast<void*>(address(base) - 1)));
  EXPECT_FALSE(this->heap_.owns(&on_stack));
  EXPECT_FALSE(this->heap_.owns(nullptr));
  void* block = this->allocate(64);
  EXPECT_TRUE(this->heap_.owns(block));
}

}  // namespace
}  // namespace bm::test
