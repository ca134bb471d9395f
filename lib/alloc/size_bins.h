// Size bins of the linked-list allocator's segregated free lists: which list a free block of a
// given size lives in, and from which list on every block is large enough for a request.
// One bin per 16-byte size below 1 KiB (exact), then four bins per power of two.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::alloc_internal {

constexpr size_t kBinGranule = 16;
constexpr size_t kExactBinLimit = 1024;  // sizes below it have a bin of their own
constexpr size_t kExactBins = kExactBinLimit / kBinGranule;
constexpr size_t kExactBinShift = 10;  // log2(kExactBinLimit)
constexpr size_t kSubBinBits = 2;      // four bins per power of two above the limit
constexpr size_t kSubBins = size_t{1} << kSubBinBits;
// Enough for blocks up to 2^58 bytes, more than any x86_64 address space holds.
constexpr size_t kBinCount = 256;

// The bin of a free block of `size` bytes (a multiple of 16).
constexpr size_t bin_of(size_t size) {
  if (size < kExactBinLimit) return size / kBinGranule;
  const size_t top_bit = 63 - static_cast<size_t>(__builtin_clzll(size));
  const size_t sub_bin = (size >> (top_bit - kSubBinBits)) & (kSubBins - 1);
  const size_t index = kExactBins + (top_bit - kExactBinShift) * kSubBins + sub_bin;
  return index < kBinCount ? index : kBinCount - 1;
}

// The smallest block size that lands in `bin`.
constexpr size_t bin_floor(size_t bin) {
  if (bin < kExactBins) return bin * kBinGranule;
  const size_t top_bit = kExactBinShift + (bin - kExactBins) / kSubBins;
  const size_t sub_bin = (bin - kExactBins) % kSubBins;
  return (size_t{1} << top_bit) + (sub_bin << (top_bit - kSubBinBits));
}

// The first bin all of whose blocks hold at least `size` bytes; kBinCount when none does.
constexpr size_t first_bin_holding(size_t size) {
  const size_t bin = bin_of(size);
  return bin_floor(bin) >= size ? bin : bin + 1;
}

}  // namespace bm::alloc_internal
