// The classic heap workload, run against every strategy on a fresh
// page-backed heap, and against the kernel heap through new/delete:
// one allocation, a growing vector, many boxes, many short-lived boxes next
// to a long-lived one.
#include "kernel/arch/x86_64/layout.h"
#include "kernel/debug/kernel_test.h"
#include "kernel/debug/log.h"
#include "kernel/mm/kernel_heap.h"
#include "kernel/mm/kernel_paging.h"
#include "kernel/mm/page_backed_heap.h"
#include "kernel/mm/physical_memory.h"

namespace {

constexpr size_t kVectorElements = 1000;
constexpr size_t kBoxCount = 10000;
constexpr size_t kHeapReserve = 256ull << 20;

// A vector that doubles its storage through a heap, as std::vector would.
template <typename Heap>
class GrowingVector {
 public:
  explicit GrowingVector(Heap& heap) : heap_(heap) {}
  bool push_back(uint64_t value) {
    if (size_ == capacity_) {
      size_t new_capacity = capacity_ == 0 ? 4 : capacity_ * 2;
      auto storage = heap_.allocate(new_capacity * sizeof(uint64_t), alignof(uint64_t));
      if (!storage) return false;
      auto* fresh = static_cast<uint64_t*>(*storage);
      for (size_t i = 0; i < size_; ++i) fresh[i] = data_[i];
      if (data_ != nullptr && !heap_.free(data_).ok()) return false;
      data_ = fresh;
      capacity_ = new_capacity;
    }
    data_[size_++] = value;
    return true;
  }
  bool release() { return data_ == nullptr || heap_.free(data_).ok(); }
  uint64_t operator[](size_t index) const { return data_[index]; }
  size_t size() const { return size_; }

 private:
  Heap& heap_;
  uint64_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

template <typename Heap>
void simple_allocation(kernel::TestContext& test_context, Heap& heap) {
  auto block = heap.allocate(sizeof(uint64_t), alignof(uint64_t));
  KASSERT(block.ok());
  *static_cast<uint64_t*>(*block) = 41;
  KEXPECT(*static_cast<uint64_t*>(*block) == 41);
  KEXPECT(heap.stats().blocks_in_use == 1);
  KEXPECT(heap.free(*block).ok());
  KEXPECT(heap.stats().blocks_in_use == 0);
  KEXPECT(heap.stats().bytes_in_use == 0);
}

template <typename Heap>
void growing_vector(kernel::TestContext& test_context, Heap& heap) {
  GrowingVector<Heap> vector(heap);
  bool pushed = true;
  for (size_t i = 0; i < kVectorElements; ++i) pushed = pushed && vector.push_back(i * 3);
  KASSERT(pushed);
  uint64_t sum = 0;
  for (size_t i = 0; i < vector.size(); ++i) sum += vector[i];
  KEXPECT(sum == 3 * (kVectorElements - 1) * kVectorElements / 2);
  KEXPECT(vector.release());
  KEXPECT(heap.stats().blocks_in_use == 0);
}

template <typename Heap>
void many_boxes(kernel::TestContext& test_context, Heap& heap) {
  auto table = heap.allocate(kBoxCount * sizeof(uint64_t*), alignof(uint64_t*));
  KASSERT(table.ok());
  auto** boxes = static_cast<uint64_t**>(*table);
  size_t made = 0;
  for (; made < kBoxCount; ++made) {
    auto box = heap.allocate(sizeof(uint64_t), alignof(uint64_t));
    if (!box) break;
    boxes[made] = static_cast<uint64_t*>(*box);
    *boxes[made] = made;
  }
  KEXPECT(made == kBoxCount);
  KEXPECT(heap.stats().blocks_in_use == made + 1);
  bool intact = true;
  bool freed = true;
  for (size_t i = 0; i < made; ++i) {
    intact = intact && *boxes[i] == i;
    freed = freed && heap.free(boxes[i]).ok();
  }
  KEXPECT(intact);
  KEXPECT(freed);
  KEXPECT(heap.free(boxes).ok());
  KEXPECT(heap.stats().blocks_in_use == 0);
}

template <typename Heap>
void many_boxes_next_to_long_lived(kernel::TestContext& test_context, Heap& heap) {
  auto long_lived = heap.allocate(sizeof(uint64_t), alignof(uint64_t));
  KASSERT(long_lived.ok());
  *static_cast<uint64_t*>(*long_lived) = 1;
  bool ok = true;
  for (size_t i = 0; i < kBoxCount && ok; ++i) {
    auto box = heap.allocate(sizeof(uint64_t), alignof(uint64_t));
    ok = box.ok();
    if (!ok) break;
    *static_cast<uint64_t*>(*box) = i;
    ok = *static_cast<uint64_t*>(*box) == i && heap.free(*box).ok();
  }
  KEXPECT(ok);
  KEXPECT(*static_cast<uint64_t*>(*long_lived) == 1);
  KEXPECT(heap.stats().blocks_in_use == 1);
  KEXPECT(heap.free(*long_lived).ok());
}

template <typename Allocator>
void run_heap_workload(kernel::TestContext& test_context, uint64_t virtual_base,
                       bm::abi::HeapStrategy strategy) {
  bm::FrameAllocator& frames = kernel::frame_allocator();
  // Page tables of the kernel half stay allocated; count them apart.
  const size_t frames_before = frames.free_frames() + kernel::kernel_page_table_frames();
  {
    kernel::PageBackedHeap<Allocator> heap;
    KASSERT(heap.init(virtual_base, kHeapReserve, 0).ok());
    simple_allocation(test_context, heap);
    growing_vector(test_context, heap);
    many_boxes(test_context, heap);
    const size_t mapped_before_churn = heap.mapped_bytes();
    many_boxes_next_to_long_lived(test_context, heap);
    kernel::kprintf("  %s: %zu KiB mapped after many boxes, %zu KiB after churn; peak %zu bytes\n",
                    bm::abi::heap_strategy_name(strategy), mapped_before_churn / 1024,
                    heap.mapped_bytes() / 1024, heap.stats().peak_bytes_in_use);
    KEXPECT(heap.stats().total_allocations == heap.stats().total_frees);
    KEXPECT(heap.stats().rejected_frees == 0);
    heap.release();
  }
  KEXPECT(frames.free_frames() + kernel::kernel_page_table_frames() == frames_before);
}

// Each strategy gets its own 1 GiB slot of the test area.
constexpr uint64_t heap_slot(int index) {
  return KERNEL_TEST_AREA_BASE + (1ull << 30) * (index + 1);
}

}  // namespace

KERNEL_TEST(heap_workload_bump) {
  run_heap_workload<bm::BumpAllocator>(test_context, heap_slot(0), bm::abi::HeapStrategy::kBump);
}
KERNEL_TEST(heap_workload_linked_list) {
  run_heap_workload<bm::LinkedListAllocator>(test_context, heap_slot(1),
                                             bm::abi::HeapStrategy::kLinkedList);
}
KERNEL_TEST(heap_workload_fixed_block) {
  run_heap_workload<bm::FixedBlockAllocator>(test_context, heap_slot(2),
                                             bm::abi::HeapStrategy::kFixedBlock);
}

// The reused-memory check: strategies that recycle blocks must serve 10 000
// short-lived boxes without growing, the bump allocator cannot.
KERNEL_TEST(recycling_strategies_do_not_grow_under_churn) {
  kernel::PageBackedHeap<bm::LinkedListAllocator> list_heap;
  kernel::PageBackedHeap<bm::FixedBlockAllocator> block_heap;
  KASSERT(list_heap.init(heap_slot(3), kHeapReserve, 0).ok());
  KASSERT(block_heap.init(heap_slot(4), kHeapReserve, 0).ok());
  size_t list_before = list_heap.mapped_bytes();
  size_t block_before = block_heap.mapped_bytes();
  many_boxes_next_to_long_lived(test_context, list_heap);
  many_boxes_next_to_long_lived(test_context, block_heap);
  KEXPECT(list_heap.mapped_bytes() == list_before);
  KEXPECT(block_heap.mapped_bytes() == block_before);
  list_heap.release();
  block_heap.release();
}

// A burst of objects must not keep its frames: once most of the heap is free
// again, whole pages at its end go back to the frame allocator.
template <typename Allocator>
void burst_gives_frames_back(kernel::TestContext& test_context, uint64_t virtual_base) {
  bm::FrameAllocator& frames = kernel::frame_allocator();
  kernel::PageBackedHeap<Allocator> heap;
  KASSERT(heap.init(virtual_base, kHeapReserve, 0).ok());
  const size_t mapped_before = heap.mapped_bytes();
  const size_t frames_before = frames.free_frames() + kernel::kernel_page_table_frames();
  constexpr int kBlocks = 3000;  // about 3 MiB of 1 KiB objects
  static void* blocks[kBlocks];
  for (int i = 0; i < kBlocks; ++i) {
    auto block = heap.allocate(1000, 16);
    KASSERT(block.ok());
    blocks[i] = *block;
  }
  const size_t mapped_peak = heap.mapped_bytes();
  KEXPECT(mapped_peak >= size_t{kBlocks} * 1000);
  for (int i = 0; i < kBlocks; ++i) KEXPECT(heap.free(blocks[i]).ok());
  kernel::kprintf("  %zu KiB mapped at the peak, %zu KiB after freeing\n", mapped_peak / 1024,
                  heap.mapped_bytes() / 1024);
  // What stays mapped is the start size plus the slack trim keeps, not the peak.
  KEXPECT(heap.mapped_bytes() <=
          mapped_before + 2 * kernel::PageBackedHeap<Allocator>::kMinimumGrowth);
  KEXPECT(frames.free_frames() + kernel::kernel_page_table_frames() + 64 >= frames_before);
  heap.release();
}

KERNEL_TEST(heap_burst_gives_frames_back_linked_list) {
  burst_gives_frames_back<bm::LinkedListAllocator>(test_context, heap_slot(5));
}
KERNEL_TEST(heap_burst_gives_frames_back_fixed_block) {
  burst_gives_frames_back<bm::FixedBlockAllocator>(test_context, heap_slot(6));
}

// The same workload through the kernel's own heap and C++ new/delete.
KERNEL_TEST(kernel_heap_new_and_delete) {
  const bm::AllocStats before = kernel::kernel_heap_stats();
  auto* answer = new uint64_t(41);
  KEXPECT(*answer == 41);
  delete answer;

  uint64_t* vector = nullptr;
  size_t capacity = 0;
  for (size_t size = 0; size < kVectorElements; ++size) {
    if (size == capacity) {
      size_t new_capacity = capacity == 0 ? 4 : capacity * 2;
      auto* fresh = new uint64_t[new_capacity];
      for (size_t i = 0; i < size; ++i) fresh[i] = vector[i];
      delete[] vector;
      vector = fresh;
      capacity = new_capacity;
    }
    vector[size] = size;
  }
  uint64_t sum = 0;
  for (size_t i = 0; i < kVectorElements; ++i) sum += vector[i];
  KEXPECT(sum == (kVectorElements - 1) * kVectorElements / 2);
  delete[] vector;

  auto* long_lived = new uint64_t(1);
  bool intact = true;
  for (size_t i = 0; i < kBoxCount; ++i) {
    auto* box = new uint64_t(i);
    intact = intact && *box == i;
    delete box;
  }
  KEXPECT(intact);
  KEXPECT(*long_lived == 1);
  delete long_lived;

  const bm::AllocStats after = kernel::kernel_heap_stats();
  KEXPECT(after.blocks_in_use == before.blocks_in_use);
  KEXPECT(after.bytes_in_use == before.bytes_in_use);
  KEXPECT(after.total_allocations - before.total_allocations == 1 + 9 + 1 + kBoxCount);
}

KERNEL_TEST(kernel_heap_rejects_foreign_and_double_free) {
  int on_stack = 0;
  KEXPECT(kernel::kernel_free(&on_stack).error() == bm::Error::kForeignPointer);
  auto block = kernel::kernel_allocate(32);
  KASSERT(block.ok());
  KEXPECT(kernel::kernel_free(*block).ok());
  KEXPECT(kernel::kernel_free(*block).error() == bm::Error::kDoubleFree);
}
