// An IRQ line delegated to a driver: bound to a notification, the line's
// interrupt masks the line and signals a bit; the driver acks when it has
// handled the device, which unmasks the line again.
#pragma once

#include <stdint.h>

#include "kernel/wait/notification.h"
#include "kernel/obj/kernel_object.h"
#include "lib/abi/syscalls.h"

namespace kernel {

class Irq final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kIrq;

  // Null for lines the kernel keeps (timer, cascade) or without memory.
  static Irq* create(uint8_t line);

  // `binder` is the task whose handle made the binding: the binding ends
  // when that task closes a handle to the line.
  bm::abi::Status bind(Notification* notification, uint8_t bit, const Task& binder);
  bm::abi::Status acknowledge();
  uint8_t line() const { return line_; }
  uint64_t delivered() const { return delivered_; }
  bool bound() const { return static_cast<bool>(notification_); }

  // Interrupt path (kernel/arch pic dispatch).
  void on_interrupt();

  // The task that bound the line let go of its handle (it closed it or
  // died): the line is masked and free to bind again.
  void on_handle_closed(uint32_t rights, const Task* holder) override;

 private:
  explicit Irq(uint8_t line) : KernelObject(kType), line_(line) {}
  void destroy() override;
  void unbind();

  uint8_t line_;
  // The binder by id, not by pointer: after the binder ended, another task
  // may live at the same address, and its handle must not end the binding.
  uint32_t binder_id_ = 0;
  RefPtr<Notification> notification_;
  uint64_t bit_ = 0;
  bool awaiting_ack_ = false;
  uint64_t delivered_ = 0;
};

// TSC when `line` last reached the kernel's dispatch (0: never, or no such line).
uint64_t irq_last_delivery_tsc(uint8_t line);

}  // namespace kernel
