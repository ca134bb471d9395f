// Helpers shared by the allocator host tests: an aligned buffer to put a heap in, and the list
// of strategies that typed tests run against.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "lib/alloc/bump_allocator.h"
#include "lib/alloc/fixed_block_allocator.h"
#include "lib/alloc/linked_list_allocator.h"

namespace bm::test {

// Heap memory for one test, aligned like a slab so layouts are reproducible.
class HeapBuffer {
 public:
  static constexpr size_t kAlignment = 16384;
  explicit HeapBuffer(size_t size)
      : size_(size),
        data_(static_cast<uint8_t*>(
            std::aligned_alloc(kAlignment, (size + kAlignment - 1) / kAlignment * kAlignment))) {}
  ~HeapBuffer() { std::free(data_); }
  HeapBuffer(const HeapBuffer&) = delete;
  HeapBuffer& operator=(const HeapBuffer&) = delete;

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  size_t size_;
  uint8_t* data_;
};

inline uintptr_t address(const void* ptr) { return reinterpret_cast<uintptr_t>(ptr); }

// A fixture with one heap of strategy `Allocator` in a buffer of `kBufferSize` bytes, of which
// the first `kHeapSize` are given to init(); the rest is room for tests that extend() it.
template <typename Allocator, size_t kHeapSize, size_t kBufferSize = kHeapSize>
class HeapTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(heap_.init(buffer_.data(), kHeapSize).ok()); }
  // A block that must be granted: a refusal fails the test and gives null.
  void* allocate(size_t size, size_t alignment = 16) {
    auto result = heap_.allocate(size, alignment);
    EXPECT_TRUE(result.ok()) << error_name(result.error());
    return result.ok() ? *result : nullptr;
  }
  uintptr_t base() const { return address(buffer_.data()); }

  HeapBuffer buffer_{kBufferSize};
  Allocator heap_;
};

template <typename T>
constexpr bool kIsBump = std::is_same_v<T, BumpAllocator>;
template <typename T>
constexpr bool kIsLinkedList = std::is_same_v<T, LinkedListAllocator>;
template <typename T>
constexpr bool kIsFixedBlock = std::is_same_v<T, FixedBlockAllocator>;

using AllocatorTypes = ::testing::Types<BumpAllocator, LinkedListAllocator, FixedBlockAllocator>;

struct AllocatorNames {
  template <typename T>
  static std::string GetName(int) {
    if constexpr (kIsBump<T>) return "BumpAllocator";
    if constexpr (kIsLinkedList<T>) return "LinkedListAllocator";
    return "FixedBlockAllocator";
  }
};

}  // namespace bm::test
