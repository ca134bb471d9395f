// Restarting the machine: the ways a PC can be told to reset, tried in turn.
#pragma once

namespace arch {

// Pulses the 8042's reset line, then writes the chipset's reset control
// register, then triple-faults. Does not return.
[[noreturn]] void reset_machine();

}  // namespace arch
