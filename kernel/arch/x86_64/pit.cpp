// PIT channel 0 in mode 2 (rate generator), Intel 82C54 datasheet: control
// word format (SC1 SC0 RW1 RW0 M2 M1 M0 BCD) written to port 0x43.
#include "kernel/arch/x86_64/pit.h"

#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/port_io.h"

namespace arch {
namespace {

constexpr uint16_t kChannel0Data = 0x40;
constexpr uint16_t kModeCommand = 0x43;
// Channel 0, access low byte then high byte, mode 2, binary counting.
constexpr uint8_t kChannel0RateGenerator = 0x34;

volatile uint64_t ticks;
uint32_t frequency;
TickListener listener;

void on_tick(uint8_t, InterruptFrame& frame) {
  ticks = ticks + 1;
  if (listener != nullptr) listener(frame);
}

}  // namespace

void pit_init(uint32_t hz) {
  // The 16-bit reload value bounds the rate: 0 counts as 65536 (about 18.2 Hz).
  uint32_t divisor = kPitInputHz / hz;
  if (divisor < 1) divisor = 1;
  if (divisor > 65535) divisor = 65535;
  frequency = kPitInputHz / divisor;
  out8(kModeCommand, kChannel0RateGenerator);
  out8(kChannel0Data, divisor & 0xff);
  out8(kChannel0Data, (divisor >> 8) & 0xff);
  irq_set_handler(kIrqTimer, on_tick);
}

void pit_set_tick_listener(TickListener tick_listener) { listener = tick_listener; }
uint64_t pit_ticks() { return ticks; }
uint32_t pit_frequency_hz() { return frequency; }

}  // namespace arch
