// PagePool: which pages of memd's pool are free. A bitmap, so memd needs no memory of its own
// for it beyond a fixed array.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "servers/memd/heap_layout.h"
#include "servers/memd/pool_memory.h"

namespace bm::memd {

class PagePool {
 public:
  // Pages beyond kMaxPoolPages could never be mapped by kMaxClients clients together, so a
  // larger pool is used only up to that many.
  explicit PagePool(size_t total_pages);
  PagePool(const PagePool&) = delete;
  PagePool& operator=(const PagePool&) = delete;

  size_t total() const { return total_; }
  size_t used() const { return used_; }
  size_t available() const { return total_ - used_; }

  // The lowest free page, now in use; kOutOfMemory when none is left.
  Result<PoolPage> take();
  // Returns a page that take() gave out.
  void give_back(PoolPage page);

  // Who can hand pages back when the pool runs short: clients keep a few idle pages mapped
  // (page_map.h), and a request that needs more than are free first has them all returned.
  using Reclaimer = void (*)(void* context);
  void set_reclaimer(Reclaimer reclaimer, void* context) {
    reclaimer_ = reclaimer;
    reclaimer_context_ = context;
  }
  void reclaim() {
    if (reclaimer_ != nullptr) reclaimer_(reclaimer_context_);
  }

 private:
  static constexpr size_t kWords = kMaxPoolPages / 64;

  uint64_t in_use_[kWords] = {};  // bit set: taken (bits past total_ are always set)
  size_t total_ = 0;
  size_t used_ = 0;
  size_t hint_ = 0;  // no word below this one has a free page
  Reclaimer reclaimer_ = nullptr;
  void* reclaimer_context_ = nullptr;
};

}  // namespace bm::memd
