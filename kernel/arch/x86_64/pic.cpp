// 8259A programming per the Intel 8259A datasheet (ICW1-ICW4, OCW1-OCW3) and
// the OSDev wiki "8259 PIC" page for the PC wiring (slave on master line 2).
#include "kernel/arch/x86_64/pic.h"

#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/port_io.h"

namespace arch {
namespace {

constexpr uint16_t kMasterCommand = 0x20;
constexpr uint16_t kMasterData = 0x21;
constexpr uint16_t kSlaveCommand = 0xa0;
constexpr uint16_t kSlaveData = 0xa1;

constexpr uint8_t kIcw1Init = 0x10;         // start initialisation
constexpr uint8_t kIcw1NeedIcw4 = 0x01;
constexpr uint8_t kIcw3SlaveOnLine2 = 0x04; // master: bit mask of the slave's line
constexpr uint8_t kIcw3SlaveIdentity = 0x02;// slave: its cascade identity
constexpr uint8_t kIcw4Mode8086 = 0x01;
constexpr uint8_t kOcw2EndOfInterrupt = 0x20;
constexpr uint8_t kOcw3ReadIsr = 0x0b;      // next read of the command port returns ISR

// IRQ 7 and 15 are where a PIC reports an interrupt that vanished before it
// was acknowledged: the "spurious" lines.
constexpr uint8_t kMasterSpuriousLine = 7;
constexpr uint8_t kSlaveSpuriousLine = 15;

IrqHandler irq_handlers[kIrqLines];
uint16_t mask_bits = 0xffff;
uint64_t spurious_count;

void write_masks() {
  out8(kMasterData, mask_bits & 0xff);
  out8(kSlaveData, mask_bits >> 8);
}

uint16_t in_service_register() {
  out8(kMasterCommand, kOcw3ReadIsr);
  out8(kSlaveCommand, kOcw3ReadIsr);
  return static_cast<uint16_t>(in8(kSlaveCommand) << 8 | in8(kMasterCommand));
}

void end_of_interrupt(uint8_t line) {
  if (line >= 8) out8(kSlaveCommand, kOcw2EndOfInterrupt);
  out8(kMasterCommand, kOcw2EndOfInterrupt);
}

// A spurious IRQ has no bit in the ISR. It needs no EOI from its own PIC,
// but a spurious IRQ 15 was a real request on the master's cascade line.
bool is_spurious(uint8_t line) {
  if (line != kMasterSpuriousLine && line != kSlaveSpuriousLine) return false;
  if (in_service_register() & (1u << line)) return false;
  ++spurious_count;
  if (line == kSlaveSpuriousLine) out8(kMasterCommand, kOcw2EndOfInterrupt);
  return true;
}

void on_irq(InterruptFrame& frame) {
  uint8_t line = static_cast<uint8_t>(frame.vector - kIrqBaseVector);
  if (is_spurious(line)) return;
  if (IrqHandler handler = irq_handlers[line]) handler(line, frame);
  end_of_interrupt(line);
}

}  // namespace

void pic_init() {
  out8(kMasterCommand, kIcw1Init | kIcw1NeedIcw4);
  io_wait();
  out8(kSlaveCommand, kIcw1Init | kIcw1NeedIcw4);
  io_wait();
  out8(kMasterData, kIrqBaseVector);      // ICW2: vector offsets
  io_wait();
  out8(kSlaveData, kIrqBaseVector + 8);
  io_wait();
  out8(kMasterData, kIcw3SlaveOnLine2);
  io_wait();
  out8(kSlaveData, kIcw3SlaveIdentity);
  io_wait();
  out8(kMasterData, kIcw4Mode8086);
  io_wait();
  out8(kSlaveData, kIcw4Mode8086);
  io_wait();
  mask_bits = 0xffff;  // nothing reaches the CPU until someone claims it
  write_masks();
  for (uint8_t line = 0; line < kIrqLines; ++line) {
    set_interrupt_handler(kIrqBaseVector + line, on_irq);
  }
}

void irq_mask(uint8_t line) {
  if (line >= kIrqLines) return;
  mask_bits |= static_cast<uint16_t>(1u << line);
  // Keep the cascade open only while some slave line is in use.
  if ((mask_bits & 0xff00) == 0xff00) mask_bits |= 1u << kIrqCascade;
  write_masks();
}

void irq_unmask(uint8_t line) {
  if (line >= kIrqLines) return;
  mask_bits &= static_cast<uint16_t>(~(1u << line));
  if (line >= 8) mask_bits &= static_cast<uint16_t>(~(1u << kIrqCascade));
  write_masks();
}

void irq_set_handler(uint8_t line, IrqHandler handler) {
  if (line >= kIrqLines || line == kIrqCascade) return;
  irq_handlers[line] = handler;
  if (handler) {
    irq_unmask(line);
  } else {
    irq_mask(line);
  }
}

uint16_t irq_mask_bits() { return mask_bits; }
uint64_t spurious_irq_count() { return spurious_count; }

}  // namespace arch
