// 8253/8254 programmable interval timer, channel 0 on IRQ 0: the kernel tick.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace arch {

constexpr uint32_t kPitInputHz = 1193182;

// Programs channel 0 as a rate generator at `hz` and claims IRQ 0.
void pit_init(uint32_t hz);

// Called on every tick after the counter advanced (the scheduler's clock).
using TickListener = void (*)(InterruptFrame& frame);
void pit_set_tick_listener(TickListener listener);

uint64_t pit_ticks();
uint32_t pit_frequency_hz();

}  // namespace arch
