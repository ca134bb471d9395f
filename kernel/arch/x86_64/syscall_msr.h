// Enabling `syscall`/`sysret` (Intel SDM vol. 3A §5.8.8).
#pragma once

namespace arch {

// Sets EFER.SCE, STAR (segment selectors), LSTAR (entry point) and FMASK
// (flags cleared on entry: IF, so the kernel runs with interrupts off).
void syscall_init();

}  // namespace arch
