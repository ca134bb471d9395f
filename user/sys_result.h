// SysResult<T>: what a typed system call returns, a value or the kernel's
// status. It is bm::Result with abi::Status as the error, not bm::Error: the
// status codes are the ABI (peer gone, would block, timed out, ...), and a
// ring-3 program should see exactly the code the kernel returned, with no
// lossy translation in between. BM_TRY works on it as on any bm::Result.
#pragma once

#include "lib/abi/syscalls.h"
#include "lib/core/result.h"

namespace user {

using bm::abi::Status;

template <typename T>
using SysResult = bm::Result<T, Status>;

// The status alone, for code that compares or prints it.
template <typename T>
Status status_of(const SysResult<T>& result) {
  return result.error();
}
inline Status status_of(Status status) { return status; }

}  // namespace user
