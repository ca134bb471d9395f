// TEMPORARY (issue 4 in progress): system calls whose kernel side is not
// written yet answer kUnknownSyscall. Each moves to its own file when done;
// this file must be gone before the microkernel-core issue is closed.
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

#define BM_NOT_YET(name) \
  Status sys_##name(arch::InterruptFrame&) { return Status::kUnknownSyscall; }
BM_NOT_YET(handle_close)
BM_NOT_YET(handle_duplicate)
BM_NOT_YET(endpoint_create)
BM_NOT_YET(ipc_call)
BM_NOT_YET(ipc_send)
BM_NOT_YET(ipc_recv)
BM_NOT_YET(ipc_reply_recv)
BM_NOT_YET(notification_create)
BM_NOT_YET(notification_signal)
BM_NOT_YET(notification_wait)
BM_NOT_YET(notification_poll)
BM_NOT_YET(irq_bind)
BM_NOT_YET(irq_ack)
BM_NOT_YET(memory_map)
BM_NOT_YET(memory_unmap)
BM_NOT_YET(task_create)
BM_NOT_YET(thread_create)
#undef BM_NOT_YET

}  // namespace kernel
