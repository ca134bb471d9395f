// IRQ bindings name the task that made them by id: a task that ends frees its
// memory, and a later task at the same address must not count as the binder.
#include "kernel/arch/x86_64/pic.h"
#include "kernel/debug/kernel_test.h"
#include "kernel/debug/log.h"
#include "kernel/wait/notification.h"
#include "kernel/task/handles.h"
#include "kernel/task/irq.h"
#include "kernel/task/task.h"

namespace {

using bm::abi::Status;
using kernel::Irq;
using kernel::Notification;
using kernel::RefPtr;
using kernel::Task;

// No device on QEMU's PC raises IRQ 5 and no server binds it.
constexpr uint8_t kQuietLine = 5;
constexpr uint32_t kIrqRights = bm::abi::kRightManage | bm::abi::kRightGrant;

bool line_masked() { return (arch::irq_mask_bits() & (1u << kQuietLine)) != 0; }

}  // namespace

KERNEL_TEST(irq_binding_ends_when_the_binder_closes_its_handle) {
  auto binder = Task::create("binder");
  KASSERT(binder.ok());
  auto irq = RefPtr<Irq>::retain(Irq::create(kQuietLine));
  auto notification = RefPtr<Notification>::retain(Notification::create());
  KASSERT(irq && notification);
  auto handle = kernel::install_handle(*binder, irq.get(), kIrqRights);
  KASSERT(handle.ok());
  KASSERT(irq->bind(notification.get(), 0, **binder) == Status::kOk);
  KEXPECT(irq->bound() && !line_masked());
  KEXPECT(kernel::close_handle(*binder, *handle).ok());
  KEXPECT(!irq->bound() && line_masked());
  (*binder)->exit(0);
}

KERNEL_TEST(irq_binding_is_not_ended_by_a_new_task_at_the_binders_address) {
  auto binder = Task::create("binder");
  auto keeper = Task::create("keeper");
  KASSERT(binder.ok() && keeper.ok());
  auto irq = RefPtr<Irq>::retain(Irq::create(kQuietLine));
  auto notification = RefPtr<Notification>::retain(Notification::create());
  KASSERT(irq && notification);
  auto handle = kernel::install_handle(*binder, irq.get(), kIrqRights);
  KASSERT(handle.ok());
  KASSERT(irq->bind(notification.get(), 0, **binder) == Status::kOk);
  // The binder hands its handle on (no hook runs on a transfer) and ends:
  // the task list held its only reference, so its memory is freed.
  KASSERT(kernel::transfer_handle(*binder, *handle, *keeper).ok());
  const Task* binder_address = *binder;
  (*binder)->exit(0);

  // With a first-fit kernel heap the next task takes the freed block; the
  // check below holds wherever it lands.
  auto successor = Task::create("successor");
  KASSERT(successor.ok());
  kernel::kprintf("  the successor %s the binder's address\n",
                  *successor == binder_address ? "reuses" : "does not reuse");
  auto opened = kernel::install_handle(*successor, irq.get(), kIrqRights);
  KASSERT(opened.ok());
  KEXPECT(kernel::close_handle(*successor, *opened).ok());
  KEXPECT(irq->bound() && !line_masked());

  (*successor)->exit(0);
  (*keeper)->exit(0);  // the keeper never bound: its handle closing leaves the binding
  KEXPECT(irq->bound());
  irq.reset();  // the last reference: the line is unbound and masked again
  KEXPECT(line_masked());
}
