// I/O port delegation.
//   io_port_range_create(parent, first, count) -> rdi = handle (manage, grant)
//       a sub-range of a range the caller holds with manage; holding any
//       io-port handle opens those ports for the holding task.
#include "kernel/task/handles.h"
#include "kernel/obj/io_port_range.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

Status sys_io_port_range_create(arch::InterruptFrame& frame) {
  auto parent = lookup_object<IoPortRange>(current_thread()->task,
                                           handle_argument(frame.rdi),
                                           bm::abi::kRightManage);
  if (!parent) return to_status(parent.error());
  uint64_t first = frame.rsi;
  uint64_t count = frame.rdx;
  if (count == 0 || first < (*parent)->first() ||
      first + count > (*parent)->first() + (*parent)->count() || first + count < first) {
    return Status::kInvalidArgument;
  }
  return install_new_object(frame,
                            IoPortRange::create(static_cast<uint32_t>(first),
                                                static_cast<uint32_t>(count)),
                            bm::abi::kRightManage | bm::abi::kRightGrant);
}

}  // namespace kernel
