// FixedBlockAllocator: size-class slabs on top of a LinkedListAllocator that owns the range.
#include "lib/alloc/fixed_block_allocator.h"

#include "lib/alloc/header_check.h"
#include "lib/alloc/request_check.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

using alloc_internal::address_of;

namespace {
constexpr size_t kBitmapWords = 16;  // 1024 slots, enough for the 16-byte class
constexpr size_t kChunkHeader = LinkedListAllocator::kHeaderSize;
constexpr size_t kSlabPayload = FixedBlockAllocator::kSlabSize - kChunkHeader;
constexpr size_t kSparesPerClass = 1;
constexpr size_t kMinClassShift = 4;  // log2(kMinClassSize)
constexpr uint64_t kSlabSalt = 0x534c414253534c41ull;
constexpr uint64_t kRetiredSalt = 0x5245544952454421ull;
}  // namespace

struct alloc_internal::Slab {
  uint64_t check;  // binds the address, class and slot count to this heap
  Slab* prev;      // neighbours in the class's partial list
  Slab* next;
  // Set when the slab goes back to the list. It lies past the 32 bytes a free header takes, so
  // it survives there and lets a late free of one of its slots be reported as a double free.
  uint64_t retired;
  uint32_t class_index;
  uint32_t slot_count;
  uint32_t live_count;
  uint32_t hint;                // no bitmap word below this one has a free slot
  uint64_t used[kBitmapWords];  // bit set: slot live (bits past slot_count are always set)
  // uint16_t requested[slot_count] follows.

  uint16_t* requested() { return reinterpret_cast<uint16_t*>(this + 1); }
};

namespace {

struct ClassLayout {
  uint32_t slot_count;
  uint32_t first_slot;  // offset of slot 0 from the chunk start, a multiple of the class size
};

// The most slots that fit next to the headers and the size array, each slot class-aligned.
constexpr ClassLayout layout_for(size_t class_size) {
  const size_t fixed = kChunkHeader + sizeof(alloc_internal::Slab);
  for (size_t count = FixedBlockAllocator::kSlabSize / class_size; count > 0; --count) {
    const size_t first = align_up(fixed + 2 * count, class_size);
    if (count <= kBitmapWords * 64 &&
        first + count * class_size <= FixedBlockAllocator::kSlabSize) {
      return {static_cast<uint32_t>(count), static_cast<uint32_t>(first)};
    }
  }
  return {0, 0};
}

constexpr ClassLayout kLayouts[FixedBlockAllocator::kClassCount] = {
    layout_for(16),  layout_for(32),  layout_for(64),   layout_for(128),
    layout_for(256), layout_for(512), layout_for(1024), layout_for(2048),
};

constexpr size_t class_size(size_t class_index) {
  return FixedBlockAllocator::kMinClassSize << class_index;
}
static_assert(class_size(0) == size_t{1} << kMinClassShift);

}  // namespace

static_assert(kLayouts[0].slot_count > 0 &&
              kLayouts[FixedBlockAllocator::kClassCount - 1].slot_count > 1);

inline size_t FixedBlockAllocator::class_for(size_t size, size_t alignment) {
  // size - 1 wraps for 0, so one compare also turns away the empty request.
  if (size - 1 >= kMaxClassSize || !is_power_of_two(alignment)) return kNoClass;
  // The power of two at or above size, from its leading zeros: no loop over the classes.
  const size_t index = size <= kMinClassSize
                           ? 0
                           : 64 - static_cast<size_t>(__builtin_clzll(size - 1)) - kMinClassShift;
  if (alignment > class_size(index)) return kNoClass;  // slots are only class-aligned
  return index;
}

uint64_t FixedBlockAllocator::slab_check(const Slab* slab) const {
  return alloc_internal::header_check(cookie_ ^ kSlabSalt, address_of(slab), slab->class_index,
                                      slab->slot_count);
}

// The check covers the class and slot count; the two counters it does not cover are bounded
// here, since they change on every allocate and free.
inline bool FixedBlockAllocator::valid_slab(const Slab* slab) const {
  return slab->check == slab_check(slab) && slab->class_index < kClassCount &&
         slab->slot_count == kLayouts[slab->class_index].slot_count &&
         slab->live_count <= slab->slot_count && slab->hint < kBitmapWords;
}

inline FixedBlockAllocator::Slab* FixedBlockAllocator::slab_for(uintptr_t address) const {
  const uintptr_t chunk = align_down(address, kSlabSize);
  // The whole chunk must be inside the range before any of it is read (an uninitialised heap
  // has an empty range).
  if (chunk < heap_.heap_start_ || chunk >= heap_.heap_end_ ||
      heap_.heap_end_ - chunk < kSlabSize) {
    return nullptr;
  }
  // A large block's payload could only pass this check by holding this heap's check value for
  // exactly this address: stale slab headers are wiped when a slab goes back.
  auto* slab = reinterpret_cast<Slab*>(chunk + kChunkHeader);
  return valid_slab(slab) ? slab : nullptr;
}

// Whether address lies in a chunk that was a slab of this heap and went back to the list.
bool FixedBlockAllocator::in_retired_slab(uintptr_t address) const {
  const uintptr_t chunk = align_down(address, kSlabSize);
  if (chunk < heap_.heap_start_ || chunk >= heap_.heap_end_ ||
      heap_.heap_end_ - chunk < kSlabSize) {
    return false;
  }
  const auto* slab = reinterpret_cast<const Slab*>(chunk + kChunkHeader);
  return slab->retired ==
         alloc_internal::header_check(cookie_ ^ kRetiredSalt, address_of(slab), 0, 0);
}

namespace {
// Index of the slot that starts at address, or kForeignPointer.
inline Result<size_t> slot_index(const alloc_internal::Slab* slab, uintptr_t address) {
  const ClassLayout& layout = kLayouts[slab->class_index];
  const uintptr_t first = address_of(slab) - kChunkHeader + layout.first_slot;
  const size_t shift = kMinClassShift + slab->class_index;  // a shift, not a division: hot path
  if (address < first || ((address - first) & ((size_t{1} << shift) - 1)) != 0) {
    return Error::kForeignPointer;
  }
  const size_t index = (address - first) >> shift;
  if (index >= layout.slot_count) return Error::kForeignPointer;
  return index;
}

inline bool slot_live(const alloc_internal::Slab* slab, size_t index) {
  return (slab->used[index / 64] >> (index % 64)) & 1;
}
}  // namespace

Result<void> FixedBlockAllocator::init(void* base, size_t size) {
  if (initialized_) return Error::kInvalidArgument;
  BM_TRY(heap_.init(base, size));
  cookie_ = alloc_internal::make_cookie(this, address_of(base));
  initialized_ = true;
  stats_ = AllocStats{};
  return {};
}

Result<void> FixedBlockAllocator::extend(size_t bytes) {
  if (!initialized_) return Error::kInvalidArgument;
  return heap_.extend(bytes);
}

Result<size_t> FixedBlockAllocator::trim_end(size_t granularity, size_t keep_total,
                                             size_t keep_free) {
  if (!initialized_) return Error::kInvalidArgument;
  auto released = heap_.trim_end(granularity, keep_total, keep_free);
  if (!released.ok() || *released != 0) return released;
  // An empty spare slab may be what pins the end: give the spares back and look again.
  if (!release_spare_slabs()) return released;
  return heap_.trim_end(granularity, keep_total, keep_free);
}

void FixedBlockAllocator::unlink(Slab* slab) {
  if (slab->prev != nullptr) {
    slab->prev->next = slab->next;
  } else {
    partial_[slab->class_index] = slab->next;
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
  const ClassLayout& layout = kLayouts[class_index];
  auto* slab = new (*chunk) Slab{};
  slab->class_index = static_cast<uint32_t>(class_index);
  slab->slot_count = layout.slot_count;
  for (size_t word = 0; word < kBitmapWords; ++word) {
    const size_t low = word * 64;
    if (low >= layout.slot_count) {
      slab->used[word] = ~0ull;
    } else if (layout.slot_count - low < 64) {
      slab->used[word] = ~0ull << (layout.slot_count - low);
    }
  }
  uint16_t* requested = slab->requested();
  for (size_t i = 0; i < layout.slot_count; ++i) requested[i] = 0;
  slab->check = slab_check(slab);
  push_front(slab);
  ++empty_slabs_[class_index];
  ++slab_count_;
  free_slot_bytes_ += layout.slot_count * class_size(class_index);
  return slab;
}

void FixedBlockAllocator::release_slab(Slab* slab) {
  unlink(slab);
  free_slot_bytes_ -= slab->slot_count * class_size(slab->class_index);
  --slab_count_;
  slab->check = 0;  // a stale slab header must never validate again
  slab->retired = alloc_internal::header_check(cookie_ ^ kRetiredSalt, address_of(slab), 0, 0);
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

void FixedBlockAllocator::record_allocation(size_t size) {
  stats_.bytes_in_use += size;
  stats_.peak_bytes_in_use = max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
  ++stats_.blocks_in_use;
  ++stats_.total_allocations;
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

// The fast path: a slot from the class's first partial slab. Everything else (a bad request,
// no partial slab, a large block) goes through allocate_slow.
Result<void*> FixedBlockAllocator::allocate(size_t size, size_t alignment) {
  const size_t index = class_for(size, alignment);
  if (index != kNoClass) {
    Slab* slab = partial_[index];
    if (slab != nullptr && valid_slab(slab) && slab->class_index == index) {
      return take_slot(slab, size);
    }
  }
  return allocate_slow(size, alignment);
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
  return take_slot(*acquired, size);
}

// Takes the lowest free slot of a valid slab on its class's partial list.
inline Result<void*> FixedBlockAllocator::take_slot(Slab* slab, size_t size) {
  const size_t index = slab->class_index;
  size_t word = slab->hint;
  while (word < kBitmapWords && slab->used[word] == ~0ull) ++word;
  if (word == kBitmapWords) {  // a slab on the partial list must have a free slot
    ++stats_.failed_allocations;
    return Error::kMalformed;
  }
  const size_t bit = static_cast<size_t>(__builtin_ctzll(~slab->used[word]));
  const size_t slot = word * 64 + bit;
  slab->used[word] |= 1ull << bit;
  slab->hint = static_cast<uint32_t>(word);
  slab->requested()[slot] = static_cast<uint16_t>(size);
  if (slab->live_count == 0) --empty_slabs_[index];
  ++slab->live_count;
  if (slab->live_count == slab->slot_count) unlink(slab);
  free_slot_bytes_ -= class_size(index);
  record_allocation(size);
  const uintptr_t chunk = address_of(slab) - kChunkHeader;
  return reinterpret_cast<void*>(chunk + kLayouts[index].first_slot +
                                 (slot << (kMinClassShift + index)));
}

Result<void> FixedBlockAllocator::free(void* ptr) {
  const uintptr_t address = address_of(ptr);
  Slab* slab = slab_for(address);
  if (slab == nullptr) return free_large(ptr);
  auto index = slot_index(slab, address);
  Error error = Error::kOk;
  if (!index.ok()) {
    error = index.error();
  } else if (!slot_live(slab, *index)) {
    error = Error::kDoubleFree;
  } else if (slab->requested()[*index] == 0 ||
             slab->requested()[*index] > class_size(slab->class_index)) {
    error = Error::kMalformed;
  }
  if (error != Error::kOk) {
    ++stats_.rejected_frees;
    return error;
  }
  release_slot(slab, *index);
  return {};
}

inline void FixedBlockAllocator::release_slot(Slab* slab, size_t slot) {
  const size_t class_index = slab->class_index;
  stats_.bytes_in_use -= slab->requested()[slot];
  --stats_.blocks_in_use;
  ++stats_.total_frees;
  slab->requested()[slot] = 0;
  slab->used[slot / 64] &= ~(1ull << (slot % 64));
  if (slot / 64 < slab->hint) slab->hint = static_cast<uint32_t>(slot / 64);
  free_slot_bytes_ += class_size(class_index);
  const bool was_full = slab->live_count == slab->slot_count;
  --slab->live_count;
  if (was_full) push_front(slab);
  if (slab->live_count == 0) {
    if (empty_slabs_[class_index] >= kSparesPerClass) {
      release_slab(slab);
    } else {
      ++empty_slabs_[class_index];
    }
  }
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
  --stats_.blocks_in_use;
  ++stats_.total_frees;
  return {};
}

Result<size_t> FixedBlockAllocator::usable_size(const void* ptr) const {
  const uintptr_t address = address_of(ptr);
  Slab* slab = slab_for(address);
  if (slab == nullptr) return heap_.usable_size(ptr);
  auto index = slot_index(slab, address);
  if (!index.ok()) return index.error();
  if (!slot_live(slab, *index)) return Error::kForeignPointer;
  return static_cast<size_t>(slab->requested()[*index]);
}

bool FixedBlockAllocator::owns(const void* ptr) const { return heap_.owns(ptr); }

AllocStats FixedBlockAllocator::stats() const {
  AllocStats result = stats_;
  const AllocStats heap = heap_.stats();
  result.capacity_bytes = heap.capacity_bytes;
  result.free_bytes = heap.free_bytes + free_slot_bytes_;
  return result;
}

}  // namespace bm
