// Stack backtrace by frame pointers (the kernel is built with
// -fno-omit-frame-pointer): each frame stores the caller's rbp, then the
// return address just above it.
#pragma once

#include <stdint.h>

namespace kernel {

// Prints up to kMaxFrames return addresses starting from `rbp`. Every read is
// a safe read, so a corrupt chain ends the trace instead of faulting.
void print_backtrace(uint64_t rbp);

}  // namespace kernel
