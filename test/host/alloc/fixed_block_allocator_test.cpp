// FixedBlockAllocator specifics: size classes, the large-block fallback, the slab return policy
// and slab validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "test/host/alloc/alloc_test_support.h"

namespace bm::test {
namespace {

constexpr size_t kHeapSize = 256 * 1024;
constexpr size_t kSlab = FixedBlockAllocator::kSlabSize;

class FixedBlockAllocatorTest : public HeapTest<FixedBlockAllocator, kHeapSize> {
 protected:
  std::vector<void*> fill(size_t size) {
    std::vector<void*> blocks;
    while (true) {
      auto result = heap_.allocate(size);
      if (!result.ok()) return blocks;
      blocks.push_back(*result);
    }
  }
  static uintptr_t chunk_of(const void* ptr) { return address(ptr) & ~(kSlab - 1); }
  static uintptr_t offset_in_chunk(const void* ptr) { return address(ptr) - chunk_of(ptr); }
  // The slab header and the state word (slab.h) of a slot, for tests that play a stray write.
  static alloc_internal::Slab* slab_of(const void* ptr) {
    return reinterpret_cast<alloc_internal::Slab*>(chunk_of(ptr) + alloc_internal::kChunkHeader);
  }
  static uint16_t& state_of(const void* ptr) {
    return slab_of(ptr)->state()[alloc_internal::slot_index(slab_of(ptr), address(ptr))];
  }
};

TEST_F(FixedBlockAllocatorTest, ServesSmallRequestsFromSizeClasses) {
  std::vector<void*> blocks;
  for (size_t size = 16; size <= FixedBlockAllocator::kMaxClassSize; size *= 2) {
    const size_t slabs_before = heap_.slab_count();
    const size_t smallest = size == 16 ? 1 : size / 2 + 1;  // still rounds up to this class
    void* first = allocate(size);
    void* second = allocate(smallest);
    EXPECT_EQ(heap_.slab_count(), slabs_before + 1) << size;
    EXPECT_EQ(address(first) % size, 0u);
    EXPECT_EQ(address(second), address(first) + size) << "slots are adjacent";
    EXPECT_EQ(chunk_of(first), chunk_of(second));
    EXPECT_EQ(*heap_.usable_size(first), size);
    EXPECT_EQ(*heap_.usable_size(second), smallest);
    blocks.push_back(first);
    blocks.push_back(second);
  }
  for (void* block : blocks) ASSERT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(heap_.slab_count(), FixedBlockAllocator::kClassCount);  // one spare per class
  EXPECT_EQ(heap_.stats().bytes_in_use, 0u);
}

TEST(FixedBlockClasses, EverySizeGoesToTheSmallestClassThatHoldsIt) {
  // Two blocks of one size in a fresh heap are neighbouring slots: their distance is the class.
  HeapBuffer buffer(4 * FixedBlockAllocator::kSlabSize);
  for (size_t size = 1; size <= FixedBlockAllocator::kMaxClassSize + 1; ++size) {
    FixedBlockAllocator heap;
    ASSERT_TRUE(heap.init(buffer.data(), buffer.size()).ok());
    size_t expected_class = FixedBlockAllocator::kMinClassSize;
    while (expected_class < size) expected_class *= 2;
    auto first = heap.allocate(size);
    auto second = heap.allocate(size);
    ASSERT_TRUE(first.ok() && second.ok()) << size;
    if (size > FixedBlockAllocator::kMaxClassSize) {
      EXPECT_EQ(heap.slab_count(), 0u) << "a large block, from the list";
    } else {
      EXPECT_EQ(heap.slab_count(), 1u) << size;
      EXPECT_EQ(address(*second) - address(*first), expected_class) << size;
      EXPECT_EQ(address(*first) % expected_class, 0u) << size;
    }
    EXPECT_EQ(*heap.usable_size(*first), size);
    EXPECT_TRUE(heap.free(*first).ok());
    EXPECT_TRUE(heap.free(*second).ok());
    EXPECT_EQ(heap.free(*second).error(), Error::kDoubleFree) << size;
  }
}

TEST_F(FixedBlockAllocatorTest, RoutesLargeAndOverAlignedRequestsToTheList) {
  void* large = allocate(FixedBlockAllocator::kMaxClassSize + 1);
  void* page = allocate(4096, 4096);
  void* over_aligned = allocate(16, 64);  // a 16-byte slot is only 16-byte aligned
  void* over_aligned_mid = allocate(100, 256);
  EXPECT_EQ(heap_.slab_count(), 0u);
  EXPECT_EQ(address(page) % 4096, 0u);
  EXPECT_EQ(address(over_aligned) % 64, 0u);
  EXPECT_EQ(address(over_aligned_mid) % 256, 0u);
  void* slotted = allocate(64, 64);
  EXPECT_EQ(heap_.slab_count(), 1u);
  EXPECT_EQ(heap_.stats().bytes_in_use, 2049u + 4096 + 16 + 100 + 64);
  for (void* block : {large, page, over_aligned, over_aligned_mid, slotted}) {
    EXPECT_TRUE(heap_.free(block).ok());
  }
  EXPECT_EQ(heap_.stats().blocks_in_use, 0u);
}

TEST_F(FixedBlockAllocatorTest, ReturnsEmptySlabsKeepingOneSpare) {
  std::vector<void*> blocks;
  while (heap_.slab_count() < 4) blocks.push_back(allocate(64));
  EXPECT_EQ(heap_.slab_count(), 4u);
  for (void* block : blocks) ASSERT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(heap_.slab_count(), 1u);
  void* again = allocate(64);  // served by the spare
  EXPECT_EQ(heap_.slab_count(), 1u);
  EXPECT_TRUE(heap_.free(again).ok());
}

TEST_F(FixedBlockAllocatorTest, FreeSlotsCountAsFreeBytes) {
  const size_t initial = heap_.stats().free_bytes;
  EXPECT_EQ(initial, kHeapSize);
  void* block = allocate(64);
  const size_t after_allocate = heap_.stats().free_bytes;
  ASSERT_TRUE(heap_.free(block).ok());
  const size_t after_free = heap_.stats().free_bytes;
  EXPECT_EQ(after_free - after_allocate, 64u);
  // What the spare slab still holds back is only its headers and alignment.
  EXPECT_GT(initial, after_free);
  EXPECT_LT(initial - after_free, 1024u);
}

TEST_F(FixedBlockAllocatorTest, SpareSlabsAreReleasedUnderPressure) {
  const size_t initial = heap_.stats().free_bytes;
  void* small = allocate(64);
  ASSERT_TRUE(heap_.free(small).ok());
  EXPECT_EQ(heap_.slab_count(), 1u);
  // Only fits when the spare slab has gone back to the list.
  void* whole = allocate(kHeapSize - LinkedListAllocator::kHeaderSize);
  EXPECT_EQ(heap_.slab_count(), 0u);
  ASSERT_TRUE(heap_.free(whole).ok());
  EXPECT_EQ(heap_.stats().free_bytes, initial);
}

TEST_F(FixedBlockAllocatorTest, MemoryFreedByOneClassServesAnother) {
  std::vector<void*> small = fill(64);
  ASSERT_GT(small.size(), 3000u);
  for (void* block : small) ASSERT_TRUE(heap_.free(block).ok());
  std::vector<void*> medium = fill(512);
  // Every 16 KiB of the range became a 512-byte slab: nothing stayed with the 64-byte class.
  EXPECT_EQ(heap_.slab_count(), kHeapSize / kSlab);
  EXPECT_GT(medium.size() * 512, kHeapSize * 9 / 10);
  for (void* block : medium) ASSERT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(heap_.stats().blocks_in_use, 0u);
}

TEST_F(FixedBlockAllocatorTest, SmallRequestFallsBackToListWhenNoSlabFits) {
  HeapBuffer buffer(8192);
  FixedBlockAllocator heap;
  ASSERT_TRUE(heap.init(buffer.data(), 8192).ok());
  auto block = heap.allocate(64);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(heap.slab_count(), 0u);
  EXPECT_EQ(*heap.usable_size(*block), 64u);
  EXPECT_TRUE(heap.free(*block).ok());
  EXPECT_EQ(heap.free(*block).error(), Error::kDoubleFree);
  EXPECT_EQ(heap.stats().free_bytes, 8192u);
}

TEST_F(FixedBlockAllocatorTest, PointersIntoSlabMetadataAreForeign) {
  void* block = allocate(64);
  const uintptr_t chunk = chunk_of(block);
  for (uintptr_t offset : {uintptr_t{16}, uintptr_t{32}, uintptr_t{256}}) {
    EXPECT_EQ(heap_.free(reinterpret_cast<void*>(chunk + offset)).error(), Error::kForeignPointer)
        << offset;
  }
  EXPECT_EQ(heap_.free(static_cast<uint8_t*>(block) + 16).error(), Error::kForeignPointer);
  // A slot that is not live (here: never handed out) is refused as a double free.
  EXPECT_EQ(heap_.free(static_cast<uint8_t*>(block) + 64).error(), Error::kDoubleFree);
  EXPECT_EQ(heap_.stats().rejected_frees, 5u);
  EXPECT_TRUE(heap_.free(block).ok());
}

TEST_F(FixedBlockAllocatorTest, DoubleFreeAfterSlabReturnIsDetected) {
  std::vector<void*> blocks;
  while (heap_.slab_count() < 2) blocks.push_back(allocate(2048));
  const size_t live = blocks.size();
  for (void* block : blocks) ASSERT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(heap_.slab_count(), 1u);  // one went back to the list, one is the spare
  for (void* block : blocks) EXPECT_EQ(heap_.free(block).error(), Error::kDoubleFree);
  EXPECT_EQ(heap_.stats().rejected_frees, live);
}

TEST_F(FixedBlockAllocatorTest, CorruptedSlabHeaderIsRejected) {
  void* block = allocate(64);
  const uintptr_t chunk = chunk_of(block);
  std::memset(reinterpret_cast<void*>(chunk + LinkedListAllocator::kHeaderSize), 0xab, 8);
  EXPECT_FALSE(heap_.free(block).ok());
  EXPECT_FALSE(heap_.usable_size(block).ok());
  EXPECT_EQ(heap_.allocate(64).error(), Error::kMalformed);  // the class's slab is broken
  void* large = allocate(5000);                              // the rest of the heap still works
  EXPECT_TRUE(heap_.free(large).ok());
  EXPECT_EQ(heap_.stats().blocks_in_use, 1u);
}

TEST_F(FixedBlockAllocatorTest, ForeignPointerIntoARetiredSlabIsNotADoubleFreeOfALiveBlock) {
  // A slab's chunk went back to the list and a large block took it: its slots' old addresses
  // are refused (double free), the large block itself frees normally.
  std::vector<void*> slots;
  while (heap_.slab_count() < 2) slots.push_back(allocate(2048));
  for (void* block : slots) ASSERT_TRUE(heap_.free(block).ok());
  ASSERT_EQ(heap_.slab_count(), 1u);
  std::vector<void*> large;
  while (true) {
    auto block = heap_.allocate(3000);
    if (!block.ok()) break;
    large.push_back(*block);
  }
  for (void* block : slots) EXPECT_FALSE(heap_.free(block).ok());
  for (void* block : large) EXPECT_TRUE(heap_.free(block).ok());
  EXPECT_EQ(heap_.stats().blocks_in_use, 0u);
}

TEST_F(FixedBlockAllocatorTest, TheSlotFreedLastIsHandedOutNext) {
  void* first = allocate(64);
  void* second = allocate(64);
  void* third = allocate(64);
  ASSERT_TRUE(heap_.free(first).ok());
  ASSERT_TRUE(heap_.free(third).ok());
  EXPECT_EQ(allocate(64), third);  // a pop from the slab's free list, no search
  EXPECT_EQ(allocate(64), first);
  EXPECT_EQ(address(allocate(64)), address(second) + 2 * 64) << "then the never-used slots";
}

TEST_F(FixedBlockAllocatorTest, EverySlotIsHandedOutOnceWhateverTheFreeOrder) {
  // One whole slab of the 256-byte class, freed in a scrambled order and taken again: the
  // free list must give back exactly the same slots, none twice.
  std::vector<void*> slots;
  while (heap_.slab_count() < 2) slots.push_back(allocate(256));
  void* in_second_slab = slots.back();  // stays live, so the first slab is kept when empty
  slots.pop_back();
  const size_t count = slots.size();
  std::vector<void*> order = slots;
  for (size_t i = 0; i < count; ++i) std::swap(order[i], order[(i * 7919 + 13) % count]);
  for (void* block : order) ASSERT_TRUE(heap_.free(block).ok());
  std::vector<void*> again;
  for (size_t i = 0; i < count; ++i) again.push_back(allocate(256));
  std::sort(slots.begin(), slots.end());
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, slots);
  EXPECT_EQ(heap_.slab_count(), 2u);
  for (void* block : again) ASSERT_TRUE(heap_.free(block).ok());
  ASSERT_TRUE(heap_.free(in_second_slab).ok());
  EXPECT_EQ(heap_.stats().blocks_in_use, 0u);
}

TEST_F(FixedBlockAllocatorTest, ABrokenFreeListIsMalformedNeverALiveSlot) {
  void* live = allocate(64);
  void* freed = allocate(64);
  ASSERT_TRUE(heap_.free(freed).ok());
  // A stray write links the free slot at the head to the live one (links are chunk offsets).
  state_of(freed) = static_cast<uint16_t>(alloc_internal::kFreeSlot | offset_in_chunk(live));
  EXPECT_EQ(allocate(64), freed);                            // the head itself is still free
  EXPECT_EQ(heap_.allocate(64).error(), Error::kMalformed);  // its link leads to a live slot
  EXPECT_EQ(heap_.stats().failed_allocations, 1u);
  // A head whose state word lost its free mark is refused the same way.
  ASSERT_TRUE(heap_.free(freed).ok());
  state_of(freed) = 0;
  EXPECT_EQ(heap_.allocate(64).error(), Error::kMalformed);
  EXPECT_EQ(heap_.free(freed).error(), Error::kMalformed);  // neither live nor free
  EXPECT_EQ(heap_.usable_size(freed).error(), Error::kForeignPointer);
  // A link into the middle of a slot or past the last one is refused too, whatever it finds.
  for (uintptr_t offset : {offset_in_chunk(live) + 8, kSlab - 1}) {
    state_of(freed) = static_cast<uint16_t>(alloc_internal::kFreeSlot | offset);
    slab_of(freed)->free_head = static_cast<uint32_t>(offset_in_chunk(freed));
    EXPECT_EQ(allocate(64), freed) << offset;
    EXPECT_EQ(heap_.allocate(64).error(), Error::kMalformed) << offset;
    ASSERT_TRUE(heap_.free(freed).ok());
  }
  void* large = allocate(5000);  // the rest of the heap still works
  EXPECT_TRUE(heap_.free(large).ok());
  EXPECT_TRUE(heap_.free(live).ok());
}

TEST_F(FixedBlockAllocatorTest, CorruptedLargeHeaderIsMalformed) {
  void* block = allocate(5000);
  auto* header = reinterpret_cast<uint64_t*>(static_cast<uint8_t*>(block) - 16);
  header[0] ^= 1;
  EXPECT_EQ(heap_.free(block).error(), Error::kMalformed);
  header[0] ^= 1;
  EXPECT_TRUE(heap_.free(block).ok());
}

TEST_F(FixedBlockAllocatorTest, ExtendAddsRoomForSlabs) {
  HeapBuffer buffer(4 * kSlab);
  FixedBlockAllocator heap;
  ASSERT_TRUE(heap.init(buffer.data(), kSlab / 2).ok());
  size_t served = 0;
  while (heap.allocate(1024).ok()) ++served;  // from the list: half a slab holds no slab
  EXPECT_GT(served, 5u);
  EXPECT_EQ(heap.slab_count(), 0u);
  ASSERT_TRUE(heap.extend(3 * kSlab).ok());
  auto more = heap.allocate(1024);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(heap.slab_count(), 1u);
  EXPECT_GE(address(*more), address(buffer.data()) + kSlab);
}

}  // namespace
}  // namespace bm::test
