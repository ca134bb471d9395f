// The CMOS real-time clock's periodic flag, used by the timer tests as a
// second clock, independent of the PIT, to measure the PIT's tick rate.
// Motorola MC146818A datasheet (register A rate select, register B PIE,
// register C PF); OSDev wiki "RTC". The kernel itself never uses the RTC.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/port_io.h"

namespace rtc_clock {

constexpr uint16_t kIndexPort = 0x70;  // bit 7 of the index masks NMI
constexpr uint16_t kDataPort = 0x71;
constexpr uint8_t kNmiDisable = 0x80;
constexpr uint8_t kRegisterA = 0x0a;
constexpr uint8_t kRegisterB = 0x0b;
constexpr uint8_t kRegisterC = 0x0c;
constexpr uint8_t kDivider32Khz = 0x20;       // register A bits 6-4 = 010: 32.768 kHz time base
constexpr uint8_t kRateSelectMask = 0x0f;     // register A bits 3-0
constexpr uint8_t kPeriodicEnable = 0x40;     // register B PIE
constexpr uint8_t kPeriodicFlag = 0x40;       // register C PF, cleared by reading C

// Rate select 15: 32768 >> (15 - 1) = 2 periodic flags a second, slower than any PIT rate
// the build allows (timer_hz >= 19), so a flag is never set twice between two ticks.
constexpr uint8_t kRateSelect2Hz = 15;
constexpr uint32_t kPeriodicHz = 2;

inline uint8_t read(uint8_t index) {
  arch::out8(kIndexPort, kNmiDisable | index);
  return arch::in8(kDataPort);
}
inline void write(uint8_t index, uint8_t value) {
  arch::out8(kIndexPort, kNmiDisable | index);
  arch::out8(kDataPort, value);
}

// Starts the periodic flag at 2 Hz. PIE must be set for the flag to run on
// some chipsets (and in QEMU); IRQ 8 stays masked at the PIC, so no interrupt
// is delivered.
inline void start_periodic_2hz() {
  write(kRegisterA, kDivider32Khz | kRateSelect2Hz);
  write(kRegisterB, static_cast<uint8_t>(read(kRegisterB) | kPeriodicEnable));
  (void)read(kRegisterC);
}

inline void stop_periodic() {
  write(kRegisterB, static_cast<uint8_t>(read(kRegisterB) & ~kPeriodicEnable));
  (void)read(kRegisterC);
}

// True once per period: reading register C returns PF and clears it.
inline bool periodic_flag_seen() { return (read(kRegisterC) & kPeriodicFlag) != 0; }

}  // namespace rtc_clock
