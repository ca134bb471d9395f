/* switch_context(uint64_t* save_rsp, uint64_t load_rsp): saves the
 * callee-saved registers (System V AMD64 ABI) on the current stack, stores
 * rsp into *save_rsp, loads load_rsp and pops the next thread's registers.
 * The `ret` then continues wherever that thread last called switch_context,
 * or, for a new thread, at the address its creator put there. */
    .section .text
    .global switch_context
switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
