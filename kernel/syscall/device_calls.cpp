// IRQ delegation.
//   irq_bind(irq, notification, bit)  irq needs manage, notification write; bit 0..63
//   irq_ack(irq)                      irq needs manage: unmasks the line again
#include "kernel/wait/notification.h"
#include "kernel/task/handles.h"
#include "kernel/task/irq.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

Status sys_irq_bind(arch::InterruptFrame& frame) {
  Task* task = current_thread()->task;
  auto irq = lookup_object<Irq>(task, handle_argument(frame.rdi),
                                bm::abi::kRightManage);
  if (!irq) return to_status(irq.error());
  auto notification = lookup_object<Notification>(task, handle_argument(frame.rsi),
                                                   bm::abi::kRightWrite);
  if (!notification) return to_status(notification.error());
  if (frame.rdx >= 64) return Status::kInvalidArgument;
  return (*irq)->bind(*notification, static_cast<uint8_t>(frame.rdx), *task);
}

Status sys_irq_ack(arch::InterruptFrame& frame) {
  auto irq = lookup_object<Irq>(current_thread()->task, handle_argument(frame.rdi),
                                bm::abi::kRightManage);
  if (!irq) return to_status(irq.error());
  return (*irq)->acknowledge();
}

}  // namespace kernel
