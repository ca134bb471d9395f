// BumpAllocator specifics: consecutive placement, no reuse before the reset, reset when empty,
// and header validation.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "test/host/alloc/alloc_test_support.h"

namespace bm::test {
namespace {

constexpr size_t kHeapSize = 64 * 1024;

using BumpAllocatorTest = HeapTest<BumpAllocator, kHeapSize>;

TEST_F(BumpAllocatorTest, PlacesBlocksConsecutively) {
  // Each block is a 16-byte header followed by its payload rounded up to 16 bytes.
  void* a = allocate(10);
  void* b = allocate(40);
  void* c = allocate(1, 256);
  EXPECT_EQ(address(a), base() + 16);
  EXPECT_EQ(address(b), base() + 16 + 16 + 16);
  EXPECT_EQ(address(c), base() + 256);
  EXPECT_EQ(heap_.stats().free_bytes, kHeapSize - 272);
}

TEST_F(BumpAllocatorTest, DoesNotReuseFreedSpaceBeforeReset) {
  void* a = allocate(30 * 1024);
  void* b = allocate(30 * 1024);
  ASSERT_TRUE(heap_.free(a).ok());
  const size_t free_after = heap_.stats().free_bytes;
  EXPECT_LT(free_after, 30u * 1024);  // a's space is not available again yet
  EXPECT_EQ(heap_.allocate(20 * 1024).error(), Error::kOutOfMemory);
  ASSERT_TRUE(heap_.free(b).ok());
  EXPECT_EQ(heap_.stats().free_bytes, kHeapSize);
  EXPECT_NE(allocate(60 * 1024), nullptr);
}

TEST_F(BumpAllocatorTest, ResetsCursorWhenLastBlockIsFreed) {
  void* first = allocate(100);
  void* second = allocate(200);
  ASSERT_TRUE(heap_.free(first).ok());
  void* third = allocate(100);
  EXPECT_GT(address(third), address(second));  // no reuse while something is live
  ASSERT_TRUE(heap_.free(second).ok());
  ASSERT_TRUE(heap_.free(third).ok());
  EXPECT_EQ(heap_.stats().free_bytes, kHeapSize);
  EXPECT_EQ(allocate(100), first);
}

TEST_F(BumpAllocatorTest, DetectsDoubleFreeAfterReset) {
  void* block = allocate(64);
  ASSERT_TRUE(heap_.free(block).ok());  // resets the cursor
  void* other = allocate(4096, 4096);   // lands past the old block, leaving its header intact
  EXPECT_NE(other, block);
  EXPECT_EQ(heap_.free(block).error(), Error::kDoubleFree);
  EXPECT_EQ(heap_.stats().blocks_in_use, 1u);
  EXPECT_TRUE(heap_.free(other).ok());
}

TEST_F(BumpAllocatorTest, CorruptedHeaderIsRejected) {
  void* keep = allocate(64);
  void* block = allocate(64);
  void* later = allocate(64);
  auto* header = reinterpret_cast<uint64_t*>(static_cast<uint8_t*>(block) - 16);
  header[0] ^= 0x100;  // requested size no longer matches the check
  EXPECT_EQ(heap_.free(block).error(), Error::kMalformed);
  EXPECT_EQ(heap_.usable_size(block).error(), Error::kMalformed);
  std::memset(header, 0xab, 16);  // not a header at all any more
  EXPECT_EQ(heap_.free(block).error(), Error::kForeignPointer);
  EXPECT_EQ(heap_.stats().rejected_frees, 2u);
  EXPECT_EQ(heap_.stats().blocks_in_use, 3u);
  EXPECT_TRUE(heap_.free(keep).ok());
  EXPECT_TRUE(heap_.free(later).ok());
  EXPECT_NE(allocate(64), nullptr);
}

TEST_F(BumpAllocatorTest, LiveHeaderBeyondCursorIsRejected) {
  // A copy of a live header placed past the cursor must not be taken for a block.
  void* block = allocate(64);
  uint8_t* copy = static_cast<uint8_t*>(block) + 4096;
  std::memcpy(copy - 16, static_cast<uint8_t*>(block) - 16, 16);
  EXPECT_NE(heap_.free(copy).error(), Error::kOk);
  EXPECT_EQ(heap_.stats().blocks_in_use, 1u);
  EXPECT_TRUE(heap_.free(block).ok());
}

TEST_F(BumpAllocatorTest, ExtendMovesTheEndOnly) {
  HeapBuffer buffer(2 * kHeapSize);
  BumpAllocator heap;
  ASSERT_TRUE(heap.init(buffer.data(), kHeapSize).ok());
  auto first = heap.allocate(kHeapSize - 32);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(heap.allocate(16).error(), Error::kOutOfMemory);
  ASSERT_TRUE(heap.extend(kHeapSize).ok());
  auto second = heap.allocate(kHeapSize);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(address(*second), address(buffer.data()) + kHeapSize);  // header ends the old range
  EXPECT_EQ(heap.stats().free_bytes, 0u);
}

}  // namespace
}  // namespace bm::test
