// Where memd puts a client's heap and the fixed sizes of its tables. memd's logic uses no heap
// of its own, so every table is an array sized by these constants.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/memd.h"
#include "lib/alloc/fixed_block_allocator.h"
#include "lib/core/page_size.h"

namespace bm::memd {

using Policy = ipc::memd::HeapPolicy;

// Each client's heap starts here in the client's own address space (16 TiB: far above any
// program image or stack the loader places, and aligned far beyond any block alignment).
constexpr uint64_t kClientHeapBase = 0x0000'1000'0000'0000;

constexpr size_t kMaxClients = 16;
// A client's heap (and memd's shadow of it) grows in steps of this many bytes.
constexpr size_t kHeapGrowStep = 64 * 1024;
// The largest per-client heap limit memd accepts; it sizes each client's page table.
constexpr size_t kMaxHeapLimit = 16 * 1024 * 1024;
constexpr size_t kMaxHeapPages = kMaxHeapLimit / kPageSize;
// No more pool pages than all clients could map together can ever be used.
constexpr size_t kMaxPoolPages = kMaxClients * kMaxHeapPages;

// A shadow must be aligned like the client heap for block alignments to carry over, and to a
// slab for the fixed-block allocator, which finds a slot's slab by rounding its address down.
constexpr size_t kShadowAlignment = FixedBlockAllocator::kSlabSize;
static_assert(kClientHeapBase % kShadowAlignment == 0);
static_assert(kShadowAlignment >= ipc::memd::kMaxAlignment);
static_assert(kHeapGrowStep % kShadowAlignment == 0 && kMaxHeapLimit % kHeapGrowStep == 0);

}  // namespace bm::memd
