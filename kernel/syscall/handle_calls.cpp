// Handle system calls and endpoint creation.
//   handle_close(handle)
//   handle_duplicate(handle, rights, badge) -> rdi = new handle
//   endpoint_create()                       -> rdi = handle (read, write, grant)
#include "kernel/wait/endpoint.h"
#include "kernel/task/handles.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

Status sys_handle_close(arch::InterruptFrame& frame) {
  auto closed = close_handle(current_thread()->task, handle_argument(frame.rdi));
  return closed ? Status::kOk : to_status(closed.error());
}

Status sys_handle_duplicate(arch::InterruptFrame& frame) {
  uint64_t rights = frame.rsi;
  if (rights > bm::abi::kAllRights) return Status::kInvalidArgument;
  auto copy = duplicate_handle(current_thread()->task, handle_argument(frame.rdi),
                               static_cast<uint32_t>(rights), frame.rdx);
  if (!copy) return to_status(copy.error());
  frame.rdi = *copy;
  return Status::kOk;
}

// Returns a new object's first handle, or drops the object if it cannot.
Status install_new_object(arch::InterruptFrame& frame, KernelObject* object, uint32_t rights) {
  if (object == nullptr) return Status::kOutOfMemory;
  auto created = RefPtr<KernelObject>::retain(object);  // ours while installing
  auto handle = install_handle(current_thread()->task, created.get(), rights);
  if (!handle) return to_status(handle.error());
  frame.rdi = *handle;
  return Status::kOk;
}

Status sys_endpoint_create(arch::InterruptFrame& frame) {
  return install_new_object(frame, Endpoint::create(),
                            bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightGrant);
}

}  // namespace kernel
