// Kernel stacks for threads: each in its own slot of a reserved virtual
// region, with an unmapped guard page below it, so an overflow faults (and
// lands in the double-fault handler) instead of corrupting a neighbour.
#pragma once

#include <stdint.h>

#include "lib/core/result.h"

namespace kernel {

struct KernelStack {
  uint64_t bottom = 0;  // lowest mapped byte
  uint64_t top = 0;     // one past the highest byte: the initial rsp
};

bm::Result<KernelStack> allocate_kernel_stack();
void free_kernel_stack(const KernelStack& stack);

}  // namespace kernel
