// IRQ delegation with a real device: COM1's transmitter-empty interrupt
// (IRQ 4) arrives as a notification bit, the line stays masked until the
// driver acks, and a line binds to one notification only.
#include "lib/abi/system_info.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/port_io.h"
#include "user/syscalls.h"
#include "user/tsc.h"

namespace {

using namespace user_tests;

// 16550 registers and bits (PC16550D datasheet, table 2 and §8.4-8.6).
constexpr uint16_t kInterruptEnable = kCom1Base + 1;  // IER
constexpr uint16_t kInterruptId = kCom1Base + 2;      // IIR (read)
constexpr uint16_t kModemControl = kCom1Base + 4;     // MCR
constexpr uint8_t kIerTransmitterEmpty = 0x02;
constexpr uint8_t kIirIdMask = 0x0f;            // bit 0 = "none pending", bits 1-3 = which
constexpr uint8_t kIirTransmitterEmpty = 0x02;  // THR empty (reading IIR clears it)
constexpr uint8_t kMcrOut2 = 0x08;              // gates the UART interrupt onto the ISA line

constexpr uint64_t kIrqBit = 5;

// Enables the THR-empty interrupt and waits for the notification; then
// reads IIR (which clears the interrupt) and disables it again. Nothing is
// printed in between, so no kernel log output re-arms the UART.
struct Delivery {
  Status wait_status;
  uint64_t bits;
  uint8_t iir;
};
Delivery provoke_interrupt(Handle notification) {
  Delivery delivery{};
  user::out8(kInterruptEnable, kIerTransmitterEmpty);
  delivery.wait_status =
      take(user::notification_wait(notification, ticks_for_ms(500)), &delivery.bits);
  delivery.iir = user::in8(kInterruptId);
  user::out8(kInterruptEnable, 0);
  return delivery;
}

}  // namespace

// Runs before the line is bound (the next case binds it for good).
USER_TEST(irq_bind_checks_its_arguments) {
  const Environment& env = environment();
  ASSERT_TRUE(env.com1_irq != 0);
  OwnedHandle notification, reader, endpoint;
  ASSERT_OK(take(user::notification_create(), &notification));
  ASSERT_OK(take(user::handle_duplicate(notification.get(), bm::abi::kRightRead), &reader));
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  EXPECT_STATUS(user::irq_ack(env.com1_irq), Status::kInvalidArgument);  // not bound
  EXPECT_STATUS(user::irq_bind(env.com1_irq, notification.get(), 64), Status::kInvalidArgument);
  EXPECT_STATUS(user::irq_bind(env.com1_irq, reader.get(), 0), Status::kNoRights);
  EXPECT_STATUS(user::irq_bind(env.com1_irq, endpoint.get(), 0), Status::kWrongType);
  EXPECT_STATUS(user::irq_bind(notification.get(), notification.get(), 0), Status::kWrongType);
}

// Binds through a duplicate of the irq handle, so closing that duplicate
// ends the binding (docs/syscalls.md, irq_bind) and the line can be bound
// again.
USER_TEST(irq_com1_interrupt_is_delivered_and_acknowledged) {
  const Environment& env = environment();
  ASSERT_TRUE(env.com1_irq != 0 && env.com1_ports != 0);
  OwnedHandle binding, notification, other;
  ASSERT_OK(take(user::handle_duplicate(env.com1_irq, bm::abi::kRightManage), &binding));
  ASSERT_OK(take(user::notification_create(), &notification));
  ASSERT_OK(take(user::notification_create(), &other));
  ASSERT_OK(user::irq_bind(binding.get(), notification.get(), kIrqBit));
  EXPECT_STATUS(user::irq_bind(env.com1_irq, other.get(), 1), Status::kBusy);
  EXPECT_STATUS(user::irq_bind(binding.get(), notification.get(), kIrqBit + 1), Status::kBusy);
  EXPECT_STATUS(user::irq_ack(env.com1_irq), Status::kInvalidArgument);  // nothing delivered yet

  uint8_t modem_control = user::in8(kModemControl);
  user::out8(kModemControl, modem_control | kMcrOut2);
  Delivery first = provoke_interrupt(notification.get());
  EXPECT_OK(first.wait_status);
  EXPECT_EQ(first.bits, 1ull << kIrqBit);
  EXPECT_EQ(first.iir & kIirIdMask, kIirTransmitterEmpty);
  EXPECT_OK(user::irq_ack(env.com1_irq));
  EXPECT_STATUS(user::irq_ack(env.com1_irq), Status::kInvalidArgument);  // acked already

  // The kernel noted when the line arrived: before now, after the test started provoking.
  auto arrived = user::system_info(bm::abi::SystemInfo::kLastIrqTsc, kCom1Irq);
  EXPECT_OK(arrived);
  EXPECT_TRUE(arrived.ok() && *arrived != 0 && *arrived <= user::read_tsc());
  EXPECT_STATUS(user::system_info(bm::abi::SystemInfo::kLastIrqTsc, 16), Status::kInvalidArgument);

  // The UART is quiet now: no further interrupt.
  uint64_t bits = 0;
  EXPECT_STATUS(take(user::notification_wait(notification.get(), 20), &bits), Status::kTimedOut);

  // The ack unmasked the line: the next interrupt arrives too.
  Delivery second = provoke_interrupt(notification.get());
  EXPECT_OK(second.wait_status);
  EXPECT_EQ(second.bits, 1ull << kIrqBit);
  EXPECT_EQ(second.iir & kIirIdMask, kIirTransmitterEmpty);
  EXPECT_OK(user::irq_ack(env.com1_irq));

  // Closing the handle the binding was made with ends it: the line binds
  // again, and interrupts go to the new notification only.
  binding.reset();
  ASSERT_OK(user::irq_bind(env.com1_irq, other.get(), 1));
  Delivery rebound = provoke_interrupt(other.get());
  EXPECT_OK(rebound.wait_status);
  EXPECT_EQ(rebound.bits, 1ull << 1);
  EXPECT_EQ(rebound.iir & kIirIdMask, kIirTransmitterEmpty);
  EXPECT_OK(user::irq_ack(env.com1_irq));
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0);
  user::out8(kModemControl, modem_control);
}
