/* switch_context(uint64_t* save_rsp, uint64_t load_rsp): saves the
 * callee-saved registers (System V AMD64 ABI) on the current stack, stores
 * rsp into *save_rsp, loads load_rsp and pops the next thread's registers.
 * The `ret` then continues wherever that thread last called switch_context,
 * or, for a new thread, at the address its creator put there. */

#include "kernel/arch/x86_64/register_frame.inc"

    .section .text
    .global switch_context
switch_context:
    PUSH_CALLEE_SAVED_REGISTERS
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    POP_CALLEE_SAVED_REGISTERS
    ret
