// The two cascaded 8259A interrupt controllers, remapped to vectors 32-47.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace arch {

constexpr uint8_t kIrqLines = 16;
constexpr uint8_t kIrqTimer = 0;
constexpr uint8_t kIrqCascade = 2;

using IrqHandler = void (*)(uint8_t line, InterruptFrame& frame);

// Remaps both PICs and masks every line; installs the IRQ dispatcher.
void pic_init();

// Claims a line: installs its handler and unmasks it (and the cascade line
// for 8-15). A null handler masks the line again.
void irq_set_handler(uint8_t line, IrqHandler handler);
void irq_mask(uint8_t line);
void irq_unmask(uint8_t line);

// Combined mask register: bit n set means line n is masked.
uint16_t irq_mask_bits();
uint64_t spurious_irq_count();

}  // namespace arch
