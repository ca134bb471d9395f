// Bitmap frame allocator. Range operations work a 64-frame word at a time, so filling in a
// 16 GiB memory map touches 64K words rather than 4M bits.
#include "lib/mm/frame_allocator.h"

namespace bm {
namespace {

constexpr uint64_t kAllBits = ~uint64_t{0};
constexpr uint64_t kBitsPerWord = 64;

size_t count_bits(uint64_t value) {
  // Portable population count; __builtin_popcountll may become a libgcc call.
  value = value - ((value >> 1) & 0x5555555555555555ULL);
  value = (value & 0x3333333333333333ULL) + ((value >> 2) & 0x3333333333333333ULL);
  value = (value + (value >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<size_t>((value * 0x0101010101010101ULL) >> 56);
}

// Bits [low, high) of a word, 0 <= low < high <= 64.
uint64_t bit_span(uint64_t low, uint64_t high) {
  const uint64_t below_high = high == kBitsPerWord ? kAllBits : (uint64_t{1} << high) - 1;
  return below_high & ~((uint64_t{1} << low) - 1);
}

uint64_t end_of(uint64_t base, uint64_t length) {
  return length > kAllBits - base ? kAllBits : base + length;
}

uint64_t words_for_frames(uint64_t frames) {
  return frames / kBitsPerWord + (frames % kBitsPerWord != 0 ? 1 : 0);
}

}  // namespace

size_t FrameAllocator::bitmap_bytes_for(uint64_t max_physical_address) {
  return static_cast<size_t>(words_for_frames(max_physical_address / kFrameSize) * 2 *
                             sizeof(uint64_t));
}

Result<void> FrameAllocator::init(void* bitmap_storage, size_t storage_bytes,
                                  uint64_t max_physical_address) {
  if (bitmap_storage == nullptr || max_physical_address < kFrameSize) {
    return Error::kInvalidArgument;
  }
  if (reinterpret_cast<uintptr_t>(bitmap_storage) % alignof(uint64_t) != 0) {
    return Error::kNotAligned;
  }
  if (max_physical_address > kMaxPhysicalAddress) return Error::kOutOfRange;
  if (storage_bytes < bitmap_bytes_for(max_physical_address)) return Error::kOutOfMemory;

  frame_count_ = max_physical_address / kFrameSize;
  word_count_ = static_cast<size_t>(words_for_frames(frame_count_));
  used_ = static_cast<uint64_t*>(bitmap_storage);
  usable_ = used_ + word_count_;
  for (size_t i = 0; i < word_count_; ++i) {
    used_[i] = kAllBits;
    usable_[i] = 0;
  }
  usable_count_ = 0;
  free_count_ = 0;
  committed_count_ = 0;
  next_word_ = 0;
  return {};
}

void FrameAllocator::add_free_word(size_t word, uint64_t mask) {
  usable_count_ += count_bits(mask & ~usable_[word]);
  free_count_ += count_bits(mask & used_[word]);
  usable_[word] |= mask;
  used_[word] &= ~mask;
}

void FrameAllocator::reserve_word(size_t word, uint64_t mask) {
  // Unusable frames are already used, so only free usable ones change the count.
  free_count_ -= count_bits(mask & ~used_[word]);
  used_[word] |= mask;
}

void FrameAllocator::add_free_range(uint64_t base, uint64_t length) {
  const uint64_t end = end_of(base, length);
  const uint64_t first = base / kFrameSize + (base % kFrameSize != 0 ? 1 : 0);
  const uint64_t last = min(end / kFrameSize, frame_count_);
  if (first >= last) return;
  for (uint64_t word = first / kBitsPerWord; word <= (last - 1) / kBitsPerWord; ++word) {
    const uint64_t low = word == first / kBitsPerWord ? first % kBitsPerWord : 0;
    const uint64_t high =
        word == (last - 1) / kBitsPerWord ? (last - 1) % kBitsPerWord + 1 : kBitsPerWord;
    add_free_word(static_cast<size_t>(word), bit_span(low, high));
  }
}

void FrameAllocator::reserve_range(uint64_t base, uint64_t length) {
  if (length == 0) return;
  const uint64_t end = end_of(base, length);
  const uint64_t first = base / kFrameSize;
  const uint64_t last = min(end / kFrameSize + (end % kFrameSize != 0 ? 1 : 0), frame_count_);
  if (first >= last) return;
  for (uint64_t word = first / kBitsPerWord; word <= (last - 1) / kBitsPerWord; ++word) {
    const uint64_t low = word == first / kBitsPerWord ? first % kBitsPerWord : 0;
    const uint64_t high =
        word == (last - 1) / kBitsPerWord ? (last - 1) % kBitsPerWord + 1 : kBitsPerWord;
    reserve_word(static_cast<size_t>(word), bit_span(low, high));
  }
}

uint64_t FrameAllocator::take(size_t word, unsigned bit) {
  used_[word] |= uint64_t{1} << bit;
  --free_count_;
  return (static_cast<uint64_t>(word) * kBitsPerWord + bit) * kFrameSize;
}

Result<uint64_t> FrameAllocator::allocate() {
  if (free_frames() == 0) return Error::kOutOfMemory;
  return take_next_free();
}

Result<uint64_t> FrameAllocator::take_next_free() {
  // Frames past frame_count_ in the last word are permanently used, so any clear bit is a
  // real free frame.
  for (size_t scanned = 0, word = next_word_; scanned < word_count_; ++scanned) {
    if (used_[word] != kAllBits) {
      next_word_ = word;
      return take(word, static_cast<unsigned>(__builtin_ctzll(~used_[word])));
    }
    if (++word == word_count_) word = 0;
  }
  return Error::kOutOfMemory;  // unreachable while free_count_ is consistent
}

Result<uint64_t> FrameAllocator::allocate_below(uint64_t limit) {
  if (free_frames() == 0) return Error::kOutOfMemory;
  const uint64_t frames = min(limit / kFrameSize, frame_count_);
  const size_t words = static_cast<size_t>(words_for_frames(frames));
  for (size_t word = 0; word < words; ++word) {
    uint64_t available = ~used_[word];
    if (word == words - 1 && frames % kBitsPerWord != 0) {
      available &= bit_span(0, frames % kBitsPerWord);
    }
    if (available != 0) return take(word, static_cast<unsigned>(__builtin_ctzll(available)));
  }
  return Error::kOutOfMemory;
}

Result<void> FrameAllocator::commit(size_t count) {
  if (count > free_frames()) return Error::kOutOfMemory;
  committed_count_ += count;
  return {};
}

Result<uint64_t> FrameAllocator::allocate_committed() {
  if (committed_count_ == 0) return Error::kOutOfMemory;
  auto frame = take_next_free();  // a committed frame is a free one: the search finds it
  if (frame) --committed_count_;
  return frame;
}

void FrameAllocator::release_commitment(size_t count) {
  committed_count_ -= min(count, committed_count_);
}

Result<void> FrameAllocator::free(uint64_t physical) {
  if (physical % kFrameSize != 0) return Error::kNotAligned;
  const uint64_t frame = physical / kFrameSize;
  if (frame >= frame_count_) return Error::kOutOfRange;
  const size_t word = static_cast<size_t>(frame / kBitsPerWord);
  const uint64_t bit = uint64_t{1} << (frame % kBitsPerWord);
  if ((usable_[word] & bit) == 0) return Error::kForeignPointer;
  if ((used_[word] & bit) == 0) return Error::kDoubleFree;
  used_[word] &= ~bit;
  ++free_count_;
  return {};
}

}  // namespace bm
