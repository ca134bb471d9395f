// FixedBlockAllocator: size-class slabs on top of a LinkedListAllocator that owns the range.
#include "lib/alloc/fixed_block_allocator.h"

#include "lib/alloc/header_check.h"
#include "lib/alloc/request_check.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

using alloc_internal::address_of;
using alloc_internal::class_size;
using alloc_internal::kChunkHeader;
using alloc_internal::kClassLayouts;
using alloc_internal::kNoSlot;
using alloc_internal::slot_index;
using alloc_internal::slot_free;
using alloc_internal::slot_live;

namespace {
constexpr size_t kSlabPayload = FixedBlockAllocator::kSlabSize - kChunkHeader;
constexpr uint64_t kSlabSalt = 0x534c414253534c41ull;
constexpr uint64_t kRetiredSalt = 0x5245544952454421ull;
}  // namespace

// Whether address lies in a chunk that was a slab of this heap and went back to the list.
bool FixedBlockAllocator::in_retired_slab(uintptr_t address) const {
  const uintptr_t chunk = align_down(address, kSlabSize);
  if (chunk < heap_.heap_start_ || chunk >= heap_.heap_end_ ||
      heap_.heap_end_ - chunk < kSlabSize) {
    return false;
  }
  const auto* slab = reinterpret_cast<const Slab*>(chunk + kChunkHeader);
  return slab->retired ==
         alloc_internal::header_check(slab_cookie_ ^ kRetiredSalt, address_of(slab), 0, 0);
}

Result<void> FixedBlockAllocator::init(void* base, size_t size) {
  if (initialized_) return Error::kInvalidArgument;
  BM_TRY(heap_.init(base, size));
  update_slab_span();
  slab_cookie_ = alloc_internal::make_cookie(this, address_of(base)) ^ kSlabSalt;
  initialized_ = true;
  stats_ = AllocStats{};
  return {};
}

void FixedBlockAllocator::update_slab_span() {
  const uintptr_t range = heap_.heap_end_ - heap_.heap_start_;
  slab_span_ = range >= kSlabSize ? range - kSlabSize + 1 : 0;
}

Result<void> FixedBlockAllocator::extend(size_t bytes) {
  if (!initialized_) return Error::kInvalidArgument;
  auto extended = heap_.extend(bytes);
  update_slab_span();
  return extended;
}

Result<size_t> FixedBlockAllocator::trim_list(size_t granularity, size_t keep_total,
                                              size_t keep_free) {
  auto released = heap_.trim_end(granularity, keep_total, keep_free);
  update_slab_span();
  return released;
}

Result<size_t> FixedBlockAllocator::trim_end(size_t granularity, size_t keep_total,
                                             size_t keep_free) {
  if (!initialized_) return Error::kInvalidArgument;
  auto released = trim_list(granularity, keep_total, keep_free);
  if (!released.ok() || *released != 0) return released;
  // An empty spare slab may be what pins the end: give the spares back and look again.
  if (!release_spare_slabs()) return released;
  return trim_list(granularity, keep_total, keep_free);
}

void FixedBlockAllocator::unlink(Slab* slab, size_t class_index) {
  if (slab->prev != nullptr) {
    slab->prev->next = slab->next;
  } else {
    partial_[class_index] = slab->next;
  }
  if (slab->next != nullptr) slab->next->prev = slab->prev;
  slab->prev = nullptr;
  slab->next = nullptr;
}

void FixedBlockAllocator::push_front(Slab* slab) {
  Slab*& head = partial_[slab->class_index];
  slab->prev = nullptr;
  slab->next = head;
  if (head != nullptr) head->prev = slab;
  head = slab;
}

Result<FixedBlockAllocator::Slab*> FixedBlockAllocator::acquire_slab(size_t class_index) {
  auto chunk = heap_.allocate_block(kSlabPayload, kSlabSize, kChunkHeader);
  if (!chunk.ok()) {
    if (chunk.error() != Error::kOutOfMemory || !release_spare_slabs()) return chunk.error();
    return acquire_slab(class_index);  // spares are gone now, so this recurses at most once
  }
  const alloc_internal::ClassLayout& layout = kClassLayouts[class_index];
  auto* slab = new (*chunk) Slab{};
  slab->class_index = static_cast<uint32_t>(class_index);
  // Every slot free, listed in address order.
  uint16_t* state = slab->state();
  const size_t size = class_size(class_index);
  for (size_t i = 0; i + 1 < layout.slot_count; ++i) {
    const size_t next = layout.first_slot + (i + 1) * size;
    state[i] = static_cast<uint16_t>(alloc_internal::kFreeSlot | next);
  }
  state[layout.slot_count - 1] = alloc_internal::kFreeSlot | alloc_internal::kListEnd;
  slab->free_head = layout.first_slot;
  slab->check = slab_check(slab);
  push_front(slab);
  ++empty_slabs_[class_index];
  ++slab_count_;
  free_slot_bytes_ += layout.slot_count * class_size(class_index);
  return slab;
}

void FixedBlockAllocator::release_slab(Slab* slab) {
  unlink(slab, slab->class_index);
  free_slot_bytes_ -= slab->slot_count() * class_size(slab->class_index);
  --slab_count_;
  slab->check = 0;  // a stale slab header must never validate again
  slab->retired = alloc_internal::header_check(slab_cookie_ ^ kRetiredSalt, address_of(slab), 0, 0);
  // Can only fail if the list itself is corrupt; the chunk is then leaked rather than reused.
  auto released = heap_.free_block(slab);
  (void)released;
}

bool FixedBlockAllocator::release_spare_slabs() {
  bool released_any = false;
  for (size_t index = 0; index < kClassCount; ++index) {
    Slab* slab = partial_[index];
    while (slab != nullptr) {
      Slab* next = slab->next;
      if (slab->live_count == 0) {
        release_slab(slab);
        --empty_slabs_[index];
        released_any = true;
      }
      slab = next;
    }
  }
  return released_any;
}

Result<void*> FixedBlockAllocator::allocate_large(size_t size, size_t alignment) {
  auto block = heap_.allocate(size, alignment);  // the list's fast path for plain requests
  if (!block.ok()) {
    if (block.error() != Error::kOutOfMemory || !release_spare_slabs()) {
      ++stats_.failed_allocations;
      return block.error();
    }
    return allocate_large(size, alignment);  // at most once: no spares are left
  }
  record_allocation(size);
  return *block;
}

Result<void*> FixedBlockAllocator::allocate_slow(size_t size, size_t alignment) {
  if (Error bad = check_allocation_request(size, alignment, kMaxAlignment); bad != Error::kOk) {
    ++stats_.failed_allocations;
    return bad;
  }
  if (!initialized_) {
    ++stats_.failed_allocations;
    return Error::kOutOfMemory;
  }
  const size_t index = class_for(size, alignment);
  if (index == kNoClass) return allocate_large(size, max(alignment, kMinClassSize));
  Slab* slab = partial_[index];
  if (slab != nullptr) {  // the fast path refused it
    ++stats_.failed_allocations;
    return Error::kMalformed;
  }
  auto acquired = acquire_slab(index);
  // No room for a whole slab may still leave room for one small block in the list.
  if (!acquired.ok()) return allocate_large(size, max(alignment, kMinClassSize));
  return take_slot(*acquired, index, size);
}

// A pointer into a valid slab that free() refused: which error, counted as a rejected free.
Error FixedBlockAllocator::refuse_slot_free(const Slab* slab, uintptr_t address) {
  ++stats_.rejected_frees;
  const size_t slot = slot_index(slab, address);
  if (slot == kNoSlot) return Error::kForeignPointer;  // metadata or the middle of a slot
  if (slot_free(slab, slot)) return Error::kDoubleFree;
  return Error::kMalformed;  // its state is neither a size of its class nor a free mark
}

// Not a slot: a large block, or nothing of ours.
Result<void> FixedBlockAllocator::free_large(void* ptr) {
  if (ptr == nullptr) return {};
  auto released = heap_.free_block(ptr);  // validates the pointer fully
  if (!released.ok()) {
    ++stats_.rejected_frees;
    // A slot of a slab that went back: the list sees no block there, but it was one once.
    if (released.error() == Error::kForeignPointer && in_retired_slab(address_of(ptr))) {
      return Error::kDoubleFree;
    }
    return released.error();
  }
  stats_.bytes_in_use -= *released;
  ++stats_.total_frees;
  return {};
}

Result<size_t> FixedBlockAllocator::usable_size(const void* ptr) const {
  const uintptr_t address = address_of(ptr);
  Slab* slab = slab_for(address);
  if (slab == nullptr) return heap_.usable_size(ptr);
  const size_t slot = slot_index(slab, address);
  if (slot == kNoSlot || !slot_live(slab, slot)) return Error::kForeignPointer;
  return static_cast<size_t>(slab->state()[slot]);
}

bool FixedBlockAllocator::owns(const void* ptr) const { return heap_.owns(ptr); }

AllocStats FixedBlockAllocator::stats() const {
  AllocStats result = stats_;
  const AllocStats heap = heap_.stats();
  result.capacity_bytes = heap.capacity_bytes;
  result.blocks_in_use = result.total_allocations - result.total_frees;
  result.free_bytes = heap.free_bytes + free_slot_bytes_;
  return result;
}

}  // namespace bm
