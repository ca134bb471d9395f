// PagePool: a first-fit bitmap over the pool's pages.
#include "servers/memd/page_pool.h"

#include "lib/core/utility.h"

namespace bm::memd {

PagePool::PagePool(size_t total_pages) : total_(min(total_pages, kMaxPoolPages)) {
  for (size_t word = 0; word < kWords; ++word) {
    const size_t first = word * 64;
    if (first >= total_) {
      in_use_[word] = ~0ull;
    } else if (total_ - first < 64) {
      in_use_[word] = ~0ull << (total_ - first);
    }
  }
}

Result<PoolPage> PagePool::take() {
  size_t word = hint_;
  while (word < kWords && in_use_[word] == ~0ull) ++word;
  hint_ = word;
  if (word == kWords) return Error::kOutOfMemory;
  const size_t bit = static_cast<size_t>(__builtin_ctzll(~in_use_[word]));
  in_use_[word] |= 1ull << bit;
  ++used_;
  return static_cast<PoolPage>(word * 64 + bit);
}

void PagePool::give_back(PoolPage page) {
  const size_t word = page / 64;
  // Only pages that take() gave out; anything else would corrupt the count.
  if (page >= total_ || (in_use_[word] & (1ull << (page % 64))) == 0) return;
  in_use_[word] &= ~(1ull << (page % 64));
  --used_;
  if (word < hint_) hint_ = word;
}

}  // namespace bm::memd
