// Every change to a task's handle table goes through these functions, so
// objects hear about each handle that opens or closes (an endpoint must know
// when no one can receive on it any more).
#pragma once

#include <stdint.h>

#include "kernel/obj/kernel_object.h"
#include "lib/abi/syscalls.h"
#include "lib/core/result.h"

namespace kernel {

class Task;

bm::Result<bm::abi::Handle> install_handle(Task* task, KernelObject* object, uint32_t rights,
                                           uint64_t badge = 0);
bm::Result<void> close_handle(Task* task, bm::abi::Handle handle);
// A copy with `rights` (a subset; needs kRightGrant). A non-zero badge marks
// an unbadged endpoint handle's copy with it.
bm::Result<bm::abi::Handle> duplicate_handle(Task* task, bm::abi::Handle handle, uint32_t rights,
                                             uint64_t badge);
// Moves a handle (it needs kRightGrant) from one task to another: all or
// nothing. kNoSlots if the receiver's table is full.
bm::Result<bm::abi::Handle> transfer_handle(Task* from, bm::abi::Handle handle, Task* to);
void close_all_handles(Task* task);

// Looks a handle up and casts it: kInvalidHandle, kWrongType, kNoRights.
template <typename T>
bm::Result<T*> lookup_object(Task* task, bm::abi::Handle handle, uint32_t rights,
                             uint64_t* badge = nullptr);

}  // namespace kernel

#include "kernel/task/handles_inline.h"
