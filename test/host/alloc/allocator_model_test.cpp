// Randomised model test: a long seeded sequence of allocations and frees, checked after every
// step against a simple model of the live blocks (placement, alignment, contents, statistics),
// with double frees and interior pointers mixed in that must be refused without effect.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "test/host/alloc/alloc_test_support.h"

namespace bm::test {
namespace {

constexpr size_t kHeapSize = 4 * 1024 * 1024;
constexpr size_t kSteps = 100000;
constexpr size_t kTargetLive = 400;
// Chance per 100 000 steps of starting to free everything. Bump drains rarely, so that it also
// runs out of memory between its resets.
template <typename Allocator>
constexpr int kDrainsPer100k = kIsBump<Allocator> ? 5 : 30;

struct LiveBlock {
  size_t size;
  uint64_t id;
  size_t slot;  // index in the list used to pick a random victim
};

uint8_t pattern_byte(uint64_t id, size_t offset) {
  return static_cast<uint8_t>((id * 0x9e3779b1u) >> 7 ^ offset * 31);
}

// Sizes 1..8192, mostly small like a kernel's objects.
size_t random_size(std::mt19937_64& rng) {
  const auto pick = [&rng](size_t low, size_t high) {
    return std::uniform_int_distribution<size_t>(low, high)(rng);
  };
  const size_t bucket = pick(0, 99);
  if (bucket < 60) return pick(1, 64);
  if (bucket < 85) return pick(65, 512);
  if (bucket < 95) return pick(513, 2048);
  return pick(2049, 8192);
}

// 0 means "use the default argument".
size_t random_alignment(std::mt19937_64& rng) {
  if (std::uniform_int_distribution<int>(0, 99)(rng) < 70) return 0;
  return size_t{1} << std::uniform_int_distribution<int>(0, 12)(rng);
}

// What the bump strategy must do, exactly: where the next block goes and when it runs out.
struct BumpModel {
  uintptr_t start;
  uintptr_t end;
  uintptr_t cursor;

  // The payload address the allocator must return, or 0 when it must fail.
  uintptr_t place(size_t size, size_t alignment) const {
    const size_t align = alignment < 16 ? 16 : alignment;
    const uintptr_t user = (cursor + 16 + align - 1) & ~(align - 1);
    return user <= end && end - user >= size ? user : 0;
  }
};

template <typename Allocator>
class AllocatorModel : public ::testing::Test {};
TYPED_TEST_SUITE(AllocatorModel, AllocatorTypes, AllocatorNames);

TYPED_TEST(AllocatorModel, RandomSequenceMatchesModel) {
  HeapBuffer buffer(kHeapSize);
  TypeParam heap;
  ASSERT_TRUE(heap.init(buffer.data(), kHeapSize).ok());
  const uintptr_t heap_begin = address(buffer.data());
  const uintptr_t heap_end = heap_begin + kHeapSize;
  const size_t initial_free = heap.stats().free_bytes;
  BumpModel bump{heap_begin, heap_end, heap_begin};

  std::mt19937_64 rng(0x5eed0a110c);
  std::map<uintptr_t, LiveBlock> live;
  std::vector<uintptr_t> victims;  // same blocks as live, for O(1) random choice
  AllocStats expected{};
  uint64_t next_id = 1;
  bool draining = false;
  size_t drains = 0;
  size_t out_of_memory = 0;

  const auto release = [&](uintptr_t block) {
    auto found = live.find(block);
    ASSERT_NE(found, live.end());
    const LiveBlock entry = found->second;
    const auto* bytes = reinterpret_cast<const uint8_t*>(block);
    for (size_t i = 0; i < entry.size; ++i) {
      ASSERT_EQ(bytes[i], pattern_byte(entry.id, i)) << "block " << entry.id << " byte " << i;
    }
    ASSERT_TRUE(heap.free(reinterpret_cast<void*>(block)).ok());
    victims[entry.slot] = victims.back();
    live[victims[entry.slot]].slot = entry.slot;
    victims.pop_back();
    live.erase(block);
    expected.bytes_in_use -= entry.size;
    --expected.blocks_in_use;
    ++expected.total_frees;
    if (live.empty()) bump.cursor = bump.start;  // the bump reset
    // Right after a free the same pointer must be refused, whatever the strategy.
    if (entry.id % 97 == 0) {
      ASSERT_EQ(heap.free(reinterpret_cast<void*>(block)).error(), Error::kDoubleFree);
      ++expected.rejected_frees;
    }
  };

  for (size_t step = 0; step < kSteps; ++step) {
    if (!draining &&
        std::uniform_int_distribution<int>(0, 99999)(rng) < kDrainsPer100k<TypeParam>) {
      draining = true;
    }
    if (draining && live.empty()) {
      draining = false;
      ++drains;
      // Everything freed: coalescing or the reset gave all space back.
      if constexpr (kIsFixedBlock<TypeParam>) {
        ASSERT_LE(heap.stats().free_bytes, initial_free);
        ASSERT_GE(heap.stats().free_bytes,
                  initial_free - FixedBlockAllocator::kClassCount * FixedBlockAllocator::kSlabSize);
      } else {
        ASSERT_EQ(heap.stats().free_bytes, initial_free);
      }
    }
    const int alloc_percent = draining ? 0 : (live.size() < kTargetLive ? 60 : 40);
    const bool do_allocate =
        live.empty() || std::uniform_int_distribution<int>(0, 99)(rng) < alloc_percent;
    if (do_allocate) {
      const size_t size = random_size(rng);
      const size_t alignment = random_alignment(rng);
      auto result = alignment == 0 ? heap.allocate(size) : heap.allocate(size, alignment);
      if (!result.ok()) {
        ASSERT_EQ(result.error(), Error::kOutOfMemory);
        ++expected.failed_allocations;
        ++out_of_memory;
        if constexpr (kIsBump<TypeParam>) {
          ASSERT_EQ(bump.place(size, alignment), 0u) << "bump failed although it had room";
        } else {
          ASSERT_GT(expected.bytes_in_use, kHeapSize / 2) << "out of memory, heap half empty";
        }
      } else {
        const uintptr_t block = address(*result);
        if constexpr (kIsBump<TypeParam>) {
          ASSERT_EQ(block, bump.place(size, alignment));
          bump.cursor = (block + size + 15) & ~uintptr_t{15};
        }
        ASSERT_EQ(block % (alignment == 0 ? 16 : alignment), 0u);
        ASSERT_GE(block, heap_begin);
        ASSERT_LE(block + size, heap_end);
        auto after = live.lower_bound(block);
        if (after != live.end()) {
          ASSERT_GE(after->first, block + size) << "overlaps next block";
        }
        if (after != live.begin()) {
          auto before = std::prev(after);
          ASSERT_LE(before->first + before->second.size, block) << "overlaps previous block";
        }
        ASSERT_EQ(*heap.usable_size(*result), size);
        const uint64_t id = next_id++;
        auto* bytes = static_cast<uint8_t*>(*result);
        for (size_t i = 0; i < size; ++i) bytes[i] = pattern_byte(id, i);
        live[block] = LiveBlock{size, id, victims.size()};
        victims.push_back(block);
        expected.bytes_in_use += size;
        ++expected.blocks_in_use;
        ++expected.total_allocations;
        if (expected.bytes_in_use > expected.peak_bytes_in_use) {
          expected.peak_bytes_in_use = expected.bytes_in_use;
        }
      }
    } else {
      const size_t index = std::uniform_int_distribution<size_t>(0, victims.size() - 1)(rng);
      const LiveBlock& victim = live[victims[index]];
      // Now and then first a pointer into the middle of it: refused, and nothing changes (the
      // block's bytes are checked when it is freed).
      if (victim.size > 32 && victim.id % 13 == 0) {
        auto* inside = reinterpret_cast<void*>(victims[index] + 16 * (1 + victim.id % 2));
        ASSERT_FALSE(heap.free(inside).ok()) << "interior pointer of block " << victim.id;
        ++expected.rejected_frees;
      }
      release(victims[index]);
      if (this->HasFatalFailure()) return;
    }

    const AllocStats stats = heap.stats();
    ASSERT_EQ(stats.bytes_in_use, expected.bytes_in_use) << "step " << step;
    ASSERT_EQ(stats.blocks_in_use, expected.blocks_in_use) << "step " << step;
    ASSERT_EQ(stats.peak_bytes_in_use, expected.peak_bytes_in_use) << "step " << step;
    ASSERT_EQ(stats.total_allocations, expected.total_allocations) << "step " << step;
    ASSERT_EQ(stats.total_frees, expected.total_frees) << "step " << step;
    ASSERT_EQ(stats.failed_allocations, expected.failed_allocations) << "step " << step;
    ASSERT_EQ(stats.rejected_frees, expected.rejected_frees) << "step " << step;
    ASSERT_EQ(stats.capacity_bytes, kHeapSize);
    ASSERT_LE(stats.free_bytes, kHeapSize);
    if constexpr (kIsBump<TypeParam>) {
      ASSERT_EQ(stats.free_bytes, heap_end - bump.cursor);
    }
  }
  // The sequence must have exercised what it claims to.
  EXPECT_GE(drains, 3u);
  EXPECT_GE(expected.total_allocations, kSteps / 3);
  EXPECT_GT(expected.rejected_frees, 0u);
  if constexpr (kIsBump<TypeParam>) {
    EXPECT_GT(out_of_memory, 0u);
  }

  while (!victims.empty()) {
    release(victims.back());
    if (this->HasFatalFailure()) return;
  }
  EXPECT_EQ(heap.stats().blocks_in_use, 0u);
}

}  // namespace
}  // namespace bm::test
