// Segregated free lists of the linked-list allocator: one doubly linked list per size bin
// (size_bins.h) and a bitmap of the non-empty bins, so inserting, unlinking and finding a large
// enough block each take a fixed number of steps, however many blocks are free.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/alloc/size_bins.h"

namespace bm::alloc_internal {

// The header at the start of every free block. Its last 8 bytes are also the block's last
// 8 bytes when the block is the minimum 32, and larger blocks repeat `size` there (the footer),
// so the block after it can find its start.
struct FreeBlock {
  uint64_t check;   // binds address and size to the heap (LinkedListAllocator::seal)
  FreeBlock* next;  // neighbours in the same bin's list, in no particular order
  FreeBlock* prev;
  uint64_t size;  // whole block, header included
};

class FreeLists {
 public:
  static constexpr size_t kNone = kBinCount;

  void insert(FreeBlock* block) {
    const size_t bin = bin_of(block->size);
    FreeBlock* head = heads_[bin];
    block->next = head;
    block->prev = nullptr;
    if (head != nullptr) head->prev = block;
    heads_[bin] = block;
    non_empty_[bin / 64] |= uint64_t{1} << (bin % 64);
    non_empty_words_ |= uint64_t{1} << (bin / 64);
  }

  // Takes block out of its bin's list. Refuses (false, nothing changed) when its neighbours do
  // not point back at it: a stray write hit a link, and following it could corrupt anything.
  // `in_heap` says whether a neighbour's address may be read at all.
  template <typename InHeap>
  bool unlink(FreeBlock* block, InHeap in_heap) {
    const size_t bin = bin_of(block->size);
    if (!linked_consistently(block, bin, in_heap)) return false;
    FreeBlock* next = block->next;
    FreeBlock* prev = block->prev;
    if (prev == nullptr) {
      heads_[bin] = next;
      if (next == nullptr) mark_empty(bin);
    } else {
      prev->next = next;
    }
    if (next != nullptr) next->prev = prev;
    return true;
  }

  // Puts `replacement` where `block` is in the list of `bin`, the bin of both: what splitting
  // or merging a free block costs when its size stays in the same bin. Refuses as unlink does.
  template <typename InHeap>
  bool replace(FreeBlock* block, FreeBlock* replacement, size_t bin, InHeap in_heap) {
    if (!linked_consistently(block, bin, in_heap)) return false;
    FreeBlock* next = block->next;
    FreeBlock* prev = block->prev;
    replacement->next = next;
    replacement->prev = prev;
    if (prev == nullptr) {
      heads_[bin] = replacement;
    } else {
      prev->next = replacement;
    }
    if (next != nullptr) next->prev = replacement;
    return true;
  }

  FreeBlock* head(size_t bin) const { return heads_[bin]; }
  bool empty() const { return non_empty_words_ == 0; }

  // The first non-empty bin at or after `bin`, or kNone: two bit scans, no loop.
  size_t first_non_empty(size_t bin) const {
    if (bin >= kBinCount) return kNone;
    const size_t word = bin / 64;
    const uint64_t bits = non_empty_[word] & (~uint64_t{0} << (bin % 64));
    if (bits != 0) return word * 64 + static_cast<size_t>(__builtin_ctzll(bits));
    const uint64_t words = non_empty_words_ & (~uint64_t{1} << word);  // the words after it
    if (words == 0) return kNone;
    const size_t next = static_cast<size_t>(__builtin_ctzll(words));
    return next * 64 + static_cast<size_t>(__builtin_ctzll(non_empty_[next]));
  }

 private:
  static constexpr size_t kWords = kBinCount / 64;
  static_assert(kWords <= 64);

  void mark_empty(size_t bin) {
    non_empty_[bin / 64] &= ~(uint64_t{1} << (bin % 64));
    if (non_empty_[bin / 64] == 0) non_empty_words_ &= ~(uint64_t{1} << (bin / 64));
  }

  template <typename InHeap>
  bool linked_consistently(const FreeBlock* block, size_t bin, InHeap in_heap) const {
    const FreeBlock* next = block->next;
    const FreeBlock* prev = block->prev;
    if (prev == nullptr ? heads_[bin] != block : !in_heap(prev) || prev->next != block) {
      return false;
    }
    return next == nullptr || (in_heap(next) && next->prev == block);
  }
  static_assert(kBinCount % 64 == 0);

  FreeBlock* heads_[kBinCount] = {};
  uint64_t non_empty_[kWords] = {};  // bit b % 64 of word b / 64: bin b has a block
  uint64_t non_empty_words_ = 0;     // bit w: non_empty_[w] is not zero
};

}  // namespace bm::alloc_internal
