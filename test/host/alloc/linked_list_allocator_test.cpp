// LinkedListAllocator specifics: segregated fit, splitting, padding and slack, coalescing in
// every order through boundary tags, free-block validation and extend().
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "test/host/alloc/alloc_test_support.h"

namespace bm::test {
namespace {

constexpr size_t kHeapSize = 64 * 1024;
constexpr size_t kHeader = LinkedListAllocator::kHeaderSize;

class LinkedListAllocatorTest : public HeapTest<LinkedListAllocator, kHeapSize, 2 * kHeapSize> {
 protected:
  size_t free_bytes() const { return heap_.stats().free_bytes; }
};

TEST_F(LinkedListAllocatorTest, InitialHeapIsOneFreeBlock) {
  EXPECT_EQ(free_bytes(), kHeapSize);
  void* whole = allocate(kHeapSize - kHeader);
  EXPECT_EQ(address(whole), base() + kHeader);
  EXPECT_EQ(free_bytes(), 0u);
  EXPECT_EQ(heap_.allocate(1).error(), Error::kOutOfMemory);
  EXPECT_TRUE(heap_.free(whole).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, MinimumBlockIs32Bytes) {
  void* a = allocate(1);
  EXPECT_EQ(free_bytes(), kHeapSize - LinkedListAllocator::kMinBlockSize);
  void* b = allocate(16);
  EXPECT_EQ(address(b), address(a) + 32);
  EXPECT_EQ(free_bytes(), kHeapSize - 2 * LinkedListAllocator::kMinBlockSize);
  void* c = allocate(17);  // 16 header + 32 payload
  EXPECT_EQ(free_bytes(), kHeapSize - 2 * LinkedListAllocator::kMinBlockSize - 48);
  for (void* block : {a, b, c}) EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, HolesAreReusedLastFreedFirstAndSplit) {
  void* a = allocate(1000);
  void* b = allocate(100);
  void* c = allocate(1000);
  void* d = allocate(100);
  ASSERT_TRUE(heap_.free(c).ok());
  ASSERT_TRUE(heap_.free(a).ok());
  EXPECT_EQ(allocate(500), a);  // a and c share a bin; a was freed last. Split.
  void* tail_of_a = allocate(400);
  EXPECT_EQ(address(tail_of_a), address(a) + 512 + kHeader);
  EXPECT_EQ(allocate(900), c);  // a's remainder is too small now
  for (void* block : {a, b, c, d, tail_of_a}) EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, CoalescesWhateverTheFreeOrder) {
  std::array<int, 3> order = {0, 1, 2};
  for (bool fill_heap : {false, true}) {
    do {
      HeapBuffer buffer(kHeapSize);
      LinkedListAllocator heap;
      ASSERT_TRUE(heap.init(buffer.data(), kHeapSize).ok());
      const size_t initial = heap.stats().free_bytes;
      // With fill_heap the last block takes the rest, so no free tail is left to merge with.
      const size_t last = fill_heap ? kHeapSize - 2 * (1024 + kHeader) - kHeader : 1024;
      void* blocks[3] = {*heap.allocate(1024), *heap.allocate(1024), *heap.allocate(last)};
      if (fill_heap) {
        EXPECT_EQ(heap.stats().free_bytes, 0u);
      }
      for (int index : order) ASSERT_TRUE(heap.free(blocks[index]).ok());
      EXPECT_EQ(heap.stats().free_bytes, initial);
      auto whole = heap.allocate(kHeapSize - kHeader);  // only fits as one block
      ASSERT_TRUE(whole.ok()) << order[0] << order[1] << order[2];
      EXPECT_TRUE(heap.free(*whole).ok());
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

TEST_F(LinkedListAllocatorTest, MergesWithBothNeighbours) {
  void* a = allocate(100);
  void* b = allocate(100);
  void* c = allocate(100);
  void* guard = allocate(100);
  ASSERT_TRUE(heap_.free(a).ok());
  ASSERT_TRUE(heap_.free(c).ok());
  ASSERT_TRUE(heap_.free(b).ok());  // joins a and c into one hole of three blocks
  EXPECT_EQ(allocate(3 * 112 + 2 * kHeader), a);
  EXPECT_TRUE(heap_.free(guard).ok());
}

TEST_F(LinkedListAllocatorTest, FreeBlockAtTheEndIsUsedLast) {
  // A hole anywhere is taken before the free tail of the range, even a hole that must be split.
  void* a = allocate(2000);
  void* guard = allocate(16);
  ASSERT_TRUE(heap_.free(a).ok());
  void* small = allocate(100);
  EXPECT_EQ(small, a) << "split from the hole, not from the tail";
  void* rest = allocate(2000 - 112 - kHeader);  // exactly what is left of the hole
  EXPECT_EQ(address(rest), address(a) + 112 + kHeader);
  void* from_tail = allocate(16);
  EXPECT_GT(address(from_tail), address(guard));
  for (void* block : {small, rest, guard, from_tail}) EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, ExactFitTakesTheWholeHoleAndItsNeighbourLearnsIt) {
  // Taking a hole whole clears the "block before is free" tag of the live block after it;
  // freeing that block later must not try to merge with the (now live) hole.
  void* a = allocate(64);
  void* b = allocate(64);
  ASSERT_TRUE(heap_.free(a).ok());
  EXPECT_EQ(allocate(64), a);
  ASSERT_TRUE(heap_.free(b).ok());
  EXPECT_EQ(*heap_.usable_size(a), 64u);
  ASSERT_TRUE(heap_.free(a).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, DamagedFooterOfTheBlockBeforeIsDetected) {
  void* a = allocate(256);
  void* b = allocate(256);
  void* guard = allocate(16);
  ASSERT_TRUE(heap_.free(a).ok());
  // a's footer, the last 8 bytes of its free block, tells b where a starts.
  auto* footer = reinterpret_cast<uint64_t*>(static_cast<uint8_t*>(b) - kHeader - 8);
  ASSERT_EQ(*footer, 256u + kHeader);
  *footer = 64;
  EXPECT_EQ(heap_.free(b).error(), Error::kMalformed);
  *footer = 256 + kHeader;
  EXPECT_TRUE(heap_.free(b).ok());
  EXPECT_TRUE(heap_.free(guard).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, SplitsLeadingFragmentForLargeAlignment) {
  void* a = allocate(64);  // block [base, base + 80)
  void* b = allocate(100, 4096);
  EXPECT_EQ(address(b), base() + 4096);
  // The gap before b became a free block, not padding.
  EXPECT_EQ(free_bytes(), kHeapSize - 80 - (kHeader + 112));
  void* c = allocate(1000);
  EXPECT_EQ(address(c), base() + 80 + kHeader);
  for (void* block : {a, b, c}) EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, RecordsPaddingWhenLeadingFragmentIsTooSmall) {
  void* a = allocate(16);      // block [base, base + 32)
  void* b = allocate(16, 32);  // a 16-byte gap cannot be a free block: padding
  EXPECT_EQ(address(b), base() + 64);
  EXPECT_EQ(free_bytes(), kHeapSize - 32 - (16 + kHeader + 16));
  void* c = allocate(16);
  EXPECT_EQ(address(c), base() + 80 + kHeader);
  ASSERT_TRUE(heap_.free(b).ok());
  EXPECT_EQ(free_bytes(), kHeapSize - 64);
  EXPECT_EQ(allocate(16, 32), b);
  for (void* block : {a, b, c}) EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, AbsorbsTailTooSmallToSplit) {
  void* block = allocate(kHeapSize - 2 * kHeader);  // leaves 16 bytes: slack, not a block
  EXPECT_EQ(free_bytes(), 0u);
  EXPECT_EQ(*heap_.usable_size(block), kHeapSize - 2 * kHeader);
  EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, FreedPointerIsDoubleFreeWhateverItMergedWith) {
  // A freed header is kept (as freed) or replaced by the free block's own header; either way a
  // second free of the same pointer is a double free, merged with a neighbour or not.
  void* a = allocate(1000);
  void* b = allocate(64);
  void* c = allocate(64);           // block [c - 16, c + 64), c + 64 is 32-byte aligned
  void* padded = allocate(16, 32);  // its block starts at c + 64, its header 16 bytes later
  EXPECT_EQ(address(padded), address(c) + 64 + 16 + kHeader);
  void* guard = allocate(64);
  ASSERT_TRUE(heap_.free(a).ok());       // alone
  ASSERT_TRUE(heap_.free(b).ok());       // merged into a
  ASSERT_TRUE(heap_.free(padded).ok());  // its free header sits 16 bytes before its old one
  for (void* block : {a, b, padded}) EXPECT_EQ(heap_.free(block).error(), Error::kDoubleFree);
  EXPECT_EQ(heap_.stats().rejected_frees, 3u);
  for (void* block : {c, guard}) EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

// A free header covers the freed block's live header: bytes 8-15 hold its `next` link, or at
// 16 bytes of padding its `size`, and byte 10 of either is where a live header keeps its tag.
// When that byte happens to be kUsedTag (0x4c) the header looks live and fails its check; the
// free is still a double free. Both cases need addresses or sizes with bits 16-23 = 0x4c, so
// these tests place the heap themselves.
TEST(LinkedListDoubleFree, ALinkThatLooksLikeALiveTagIsStillADoubleFree) {
  constexpr uintptr_t kStep = 64 * 1024;  // bits 16-23 of an address: 256 steps of 64 KiB
  constexpr size_t kSize = 64 * 1024;
  HeapBuffer buffer(256 * kStep + 2 * kStep);
  uintptr_t start = (address(buffer.data()) + kStep - 1) & ~(kStep - 1);
  while ((start >> 16 & 0xff) != 0x4c) start += kStep;
  LinkedListAllocator heap;
  ASSERT_TRUE(heap.init(reinterpret_cast<void*>(start), kSize).ok());
  void* first = *heap.allocate(100);  // its block starts at `start`: bits 16-23 are 0x4c
  void* guard = *heap.allocate(100);
  void* second = *heap.allocate(100);
  void* end_guard = *heap.allocate(100);
  ASSERT_TRUE(heap.free(first).ok());
  ASSERT_TRUE(heap.free(second).ok());  // same bin, so its `next` is first's block
  EXPECT_EQ(heap.free(second).error(), Error::kDoubleFree);
  EXPECT_EQ(heap.free(first).error(), Error::kDoubleFree);
  for (void* block : {guard, end_guard}) EXPECT_TRUE(heap.free(block).ok());
  EXPECT_EQ(heap.stats().free_bytes, kSize);
}

TEST(LinkedListDoubleFree, ASizeThatLooksLikeALiveTagIsStillADoubleFree) {
  constexpr size_t kSize = 0x4c0000 + 0x1000;  // bits 16-23 of the whole heap's size: 0x4c
  HeapBuffer buffer(kSize);
  LinkedListAllocator heap;
  ASSERT_TRUE(heap.init(buffer.data(), kSize).ok());
  void* padded = *heap.allocate(16, 32);  // 16 bytes of padding: its header is 16 bytes in
  ASSERT_EQ(address(padded), address(buffer.data()) + 32);
  ASSERT_TRUE(heap.free(padded).ok());  // merges with the rest: one free block of kSize bytes
  EXPECT_EQ(heap.free(padded).error(), Error::kDoubleFree);
  EXPECT_EQ(heap.stats().free_bytes, kSize);
}

TEST_F(LinkedListAllocatorTest, PointerIntoFreeMemoryIsRefused) {
  // Without a walk, the middle of a free block is just bytes: refused as foreign, not trusted.
  void* a = allocate(1000);
  void* b = allocate(64);
  std::memset(a, 0, 1000);
  ASSERT_TRUE(heap_.free(a).ok());
  EXPECT_EQ(heap_.free(static_cast<uint8_t*>(a) + 256).error(), Error::kForeignPointer);
  EXPECT_EQ(heap_.free(static_cast<uint8_t*>(b) + 4096).error(), Error::kForeignPointer);
  EXPECT_EQ(heap_.stats().free_bytes, kHeapSize - 80);
  EXPECT_TRUE(heap_.free(b).ok());
}

TEST_F(LinkedListAllocatorTest, CorruptedHeaderIsRejected) {
  void* a = allocate(64);
  void* b = allocate(64);
  void* c = allocate(64);
  auto* header = reinterpret_cast<uint64_t*>(static_cast<uint8_t*>(b) - kHeader);
  header[0] += 4096;  // claims a bigger block than it has
  EXPECT_EQ(heap_.free(b).error(), Error::kMalformed);
  EXPECT_EQ(heap_.usable_size(b).error(), Error::kMalformed);
  std::memset(header, 0, kHeader);
  EXPECT_EQ(heap_.free(b).error(), Error::kForeignPointer);
  // Freeing a would have to tell its neighbour b that the block before it is free; b's header
  // is unreadable, so a is refused rather than leave b's boundary tag wrong.
  EXPECT_EQ(heap_.free(a).error(), Error::kMalformed);
  EXPECT_EQ(heap_.stats().rejected_frees, 3u);
  EXPECT_TRUE(heap_.free(c).ok());  // c never needs b's header
  void* d = allocate(2000);
  EXPECT_TRUE(heap_.free(d).ok());
}

TEST_F(LinkedListAllocatorTest, CopiedHeaderDoesNotValidateElsewhere) {
  // The check binds a header to its address, so a copy inside another block is refused.
  void* a = allocate(64);
  void* b = allocate(256);
  std::memcpy(static_cast<uint8_t*>(b) + 64, static_cast<uint8_t*>(a) - kHeader, kHeader);
  EXPECT_EQ(heap_.free(static_cast<uint8_t*>(b) + 80).error(), Error::kMalformed);
  EXPECT_TRUE(heap_.free(a).ok());
  EXPECT_TRUE(heap_.free(b).ok());
  EXPECT_EQ(free_bytes(), kHeapSize);
}

TEST_F(LinkedListAllocatorTest, CorruptedFreeBlockIsDetectedWhenTouched) {
  void* a = allocate(256);
  void* b = allocate(256);
  void* c = allocate(256);
  ASSERT_TRUE(heap_.free(b).ok());
  // A use-after-free write over the free block's header.
  std::memset(static_cast<uint8_t*>(b) - kHeader, 0xff, 64);
  // A request that b's bin serves takes b's header first and refuses it.
  EXPECT_EQ(heap_.allocate(256).error(), Error::kMalformed);
  // Either neighbour would merge with b: both are refused.
  EXPECT_EQ(heap_.free(c).error(), Error::kMalformed);
  EXPECT_EQ(heap_.free(a).error(), Error::kMalformed);
  // What never touches b still works: a request served from the free tail, and extend(),
  // which only looks at the tail.
  void* d = allocate(1000);
  EXPECT_TRUE(heap_.extend(4096).ok());
  EXPECT_TRUE(heap_.free(d).ok());
  EXPECT_EQ(heap_.stats().failed_allocations, 1u);
  EXPECT_EQ(heap_.stats().rejected_frees, 2u);
  EXPECT_EQ(heap_.stats().blocks_in_use, 2u);
}

TEST_F(LinkedListAllocatorTest, ExtendMergesWithTrailingFreeBlock) {
  ASSERT_TRUE(heap_.extend(kHeapSize).ok());
  EXPECT_EQ(free_bytes(), 2 * kHeapSize);
  void* whole = allocate(2 * kHeapSize - kHeader);
  EXPECT_EQ(address(whole), base() + kHeader);
  EXPECT_TRUE(heap_.free(whole).ok());
}

TEST_F(LinkedListAllocatorTest, ExtendAfterLiveBlockAddsFreeBlock) {
  void* full = allocate(kHeapSize - kHeader);
  ASSERT_TRUE(heap_.extend(4096).ok());
  void* next = allocate(4096 - kHeader);
  EXPECT_EQ(address(next), base() + kHeapSize + kHeader);
  ASSERT_TRUE(heap_.free(full).ok());
  ASSERT_TRUE(heap_.free(next).ok());
  EXPECT_EQ(free_bytes(), kHeapSize + 4096);
  EXPECT_TRUE(heap_.allocate(kHeapSize + 4096 - kHeader).ok());  // merged into one
}

TEST_F(LinkedListAllocatorTest, ExtendTooSmallForABlockWaitsForMore) {
  void* full = allocate(kHeapSize - kHeader);
  ASSERT_TRUE(heap_.extend(16).ok());
  EXPECT_EQ(heap_.stats().capacity_bytes, kHeapSize + 16);
  EXPECT_EQ(free_bytes(), 0u);
  EXPECT_EQ(heap_.allocate(1).error(), Error::kOutOfMemory);
  ASSERT_TRUE(heap_.extend(16).ok());
  EXPECT_EQ(free_bytes(), 32u);
  void* small = allocate(1);
  EXPECT_EQ(address(small), base() + kHeapSize + kHeader);
  EXPECT_TRUE(heap_.free(small).ok());
  EXPECT_TRUE(heap_.free(full).ok());
}

TEST_F(LinkedListAllocatorTest, UnalignedRangeIsTrimmed) {
  LinkedListAllocator heap;
  ASSERT_TRUE(heap.init(buffer_.data() + 3, 1000).ok());
  EXPECT_EQ(heap.stats().capacity_bytes, 1000u);
  EXPECT_EQ(heap.stats().free_bytes, 992u - 16u);  // [base+16, base+992)
  auto block = heap.allocate(1);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(address(*block), base() + 32);
  EXPECT_TRUE(heap.owns(buffer_.data() + 3));
  EXPECT_FALSE(heap.owns(buffer_.data() + 2));
}

}  // namespace
}  // namespace bm::test
