// IRQ delegation on the 8259: mask on delivery, unmask on ack, so a
// level-triggered device cannot storm the CPU before its driver ran.
#include "kernel/task/irq.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/task/task.h"

namespace kernel {
namespace {

Irq* bound_lines[arch::kIrqLines];
// When each line last reached the kernel (TSC), for latency figures such as keystroke to
// echo (system_info kLastIrqTsc). Under QEMU's -icount the TSC counts instructions.
uint64_t last_delivery_tsc[arch::kIrqLines];

void dispatch(uint8_t line, arch::InterruptFrame&) {
  last_delivery_tsc[line] = arch::read_tsc();
  if (Irq* irq = bound_lines[line]) irq->on_interrupt();
}

}  // namespace

uint64_t irq_last_delivery_tsc(uint8_t line) {
  return line < arch::kIrqLines ? last_delivery_tsc[line] : 0;
}

Irq* Irq::create(uint8_t line) {
  if (line >= arch::kIrqLines || line == arch::kIrqTimer || line == arch::kIrqCascade) {
    return nullptr;
  }
  return new Irq(line);
}

bm::abi::Status Irq::bind(Notification* notification, uint8_t bit, const Task& binder) {
  if (bit >= 64) return bm::abi::Status::kInvalidArgument;
  if (notification_ || bound_lines[line_] != nullptr) return bm::abi::Status::kBusy;
  notification_ = RefPtr<Notification>::retain(notification);
  binder_id_ = binder.id();
  bit_ = 1ull << bit;
  bound_lines[line_] = this;
  arch::irq_set_handler(line_, dispatch);  // unmasks the line
  return bm::abi::Status::kOk;
}

bm::abi::Status Irq::acknowledge() {
  if (!notification_ || !awaiting_ack_) return bm::abi::Status::kInvalidArgument;
  awaiting_ack_ = false;
  arch::irq_unmask(line_);
  return bm::abi::Status::kOk;
}

void Irq::on_interrupt() {
  arch::irq_mask(line_);
  awaiting_ack_ = true;
  ++delivered_;
  notification_->signal(bit_);
}

void Irq::unbind() {
  if (!notification_) return;
  arch::irq_set_handler(line_, nullptr);  // masks the line
  bound_lines[line_] = nullptr;
  notification_.reset();
  binder_id_ = 0;
  awaiting_ack_ = false;
}

void Irq::on_handle_closed(uint32_t, const Task* holder) {
  if (holder != nullptr && holder->id() == binder_id_) unbind();
}

void Irq::destroy() {
  unbind();
  delete this;
}

}  // namespace kernel
