// Kernel values as the system-call ABI carries them: handle arguments read
// from registers, and the status a kernel error becomes. Shared by the call
// table (kernel/syscall) and the IPC paths that complete calls (kernel/ipc).
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/core/error.h"

namespace kernel {

// A handle argument. Handles are 32 bits: a value with any upper bit set
// names no handle (it becomes kInvalidHandleValue, which every lookup
// refuses), so garbage in the upper half is not silently ignored.
constexpr bm::abi::Handle handle_argument(uint64_t raw) {
  return raw > 0xffffffffull ? bm::abi::kInvalidHandleValue : static_cast<bm::abi::Handle>(raw);
}
// For arguments where 0 has a meaning (kOwnAddressSpace, "no handle"):
// true if the raw value is not a possible handle at all.
constexpr bool handle_out_of_range(uint64_t raw) { return raw > 0xffffffffull; }

// The status a kernel error becomes at the system-call boundary.
bm::abi::Status to_status(bm::Error error);

}  // namespace kernel
