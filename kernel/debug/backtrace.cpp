// Frame-pointer walk used by panics and fault reports.
#include "kernel/debug/backtrace.h"

#include "kernel/arch/x86_64/exception_fixups.h"
#include "kernel/debug/log.h"

namespace kernel {
namespace {
constexpr int kMaxFrames = 32;
}

void print_backtrace(uint64_t rbp) {
  kprintf("Backtrace (resolve with: addr2line -e kernel.elf ADDRESS):\n");
  for (int depth = 0; depth < kMaxFrames && rbp != 0; ++depth) {
    if (rbp % 8 != 0) break;
    uint64_t caller_rbp = 0;
    uint64_t return_address = 0;
    if (safe_read_u64(reinterpret_cast<const uint64_t*>(rbp), &caller_rbp) != 0) break;
    if (safe_read_u64(reinterpret_cast<const uint64_t*>(rbp + 8), &return_address) != 0) break;
    if (return_address == 0) break;
    kprintf("  #%-2d 0x%016lx\n", depth, return_address);
    // Frames grow down, so callers sit at higher addresses; anything else is
    // a corrupt chain (and would loop forever).
    if (caller_rbp <= rbp) break;
    rbp = caller_rbp;
  }
}

}  // namespace kernel
