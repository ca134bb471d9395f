// Machine reset, most polite way first. Each step is tried only if the one
// before left the CPU running (hardware without that device, or a reset
// that did not take).
#include "kernel/arch/x86_64/reset.h"

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/port_io.h"
#include "lib/core/pc_layout.h"

namespace arch {
namespace {

// 8042 keyboard controller (Intel 8042 / IBM PC AT Technical Reference,
// "Keyboard controller"; OSDev wiki "Reboot" and "8042 PS/2 Controller").
constexpr uint16_t k8042Status = bm::pc::k8042CommandPort;   // read: status register
constexpr uint16_t k8042Command = bm::pc::k8042CommandPort;  // write: command register
constexpr uint8_t k8042InputBufferFull = 0x02;  // status bit 1: the controller has not read a byte
constexpr uint8_t k8042PulseResetLine = 0xfe;   // pulse output port bit 0, wired to CPU reset

// Reset Control Register at I/O port 0xCF9 of the PCI-to-ISA bridge or LPC
// controller (Intel 82371AB PIIX4 datasheet, "RC - Reset Control Register";
// Intel ICH10 datasheet §13.7.5, "RST_CNT - Reset Control Register").
constexpr uint16_t kResetControl = 0xcf9;
constexpr uint8_t kResetControlSystemReset = 0x02;  // SYS_RST: a hard (full) reset, not CPU only
constexpr uint8_t kResetControlResetCpu = 0x04;     // RST_CPU: its 0 -> 1 edge starts the reset

// Bounds on busy waits, so a missing or stuck controller cannot hang us:
// each port access takes about 1 us on ISA timing.
constexpr uint32_t kInputBufferPolls = 100000;
constexpr uint32_t kSettleWaits = 100000;

void settle() {
  for (uint32_t i = 0; i < kSettleWaits; ++i) io_wait();
}

void pulse_8042_reset() {
  for (uint32_t i = 0; i < kInputBufferPolls; ++i) {
    if ((in8(k8042Status) & k8042InputBufferFull) == 0) break;
    io_wait();
  }
  out8(k8042Command, k8042PulseResetLine);
}

void write_reset_control() {
  out8(kResetControl, kResetControlSystemReset);  // RST_CPU low first, so the next write is an edge
  io_wait();
  out8(kResetControl, kResetControlSystemReset | kResetControlResetCpu);
}

// With an empty IDT every vector is beyond its limit: int3 raises #GP, which
// raises #DF, which the CPU cannot deliver either: a triple fault, which
// the chipset turns into a reset (Intel SDM vol. 3A §6.15, "Double Fault
// Exception": a fault while delivering #DF enters shutdown).
[[noreturn]] void triple_fault() {
  struct [[gnu::packed]] {
    uint16_t limit;
    uint64_t base;
  } empty{0, 0};
  asm volatile("lidt %0; int3" : : "m"(empty) : "memory");
  halt_forever();
}

}  // namespace

void reset_machine() {
  disable_interrupts();
  pulse_8042_reset();
  settle();
  write_reset_control();
  settle();
  triple_fault();
}

}  // namespace arch
