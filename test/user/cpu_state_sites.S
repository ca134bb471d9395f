/* Ring-3 CPU state a polite client never sets, for cpu_state_tests.cpp. */

    .text

/* uint64_t rflags_across_syscall(uint64_t extra_flags, uint64_t number,
 *                                uint64_t argument, uint64_t spins)
 * Loads RFLAGS = extra_flags | 0x202 with popfq, spins `spins` times (so timer
 * interrupts arrive with them set), makes system call `number` with rdi =
 * argument, reads RFLAGS right after it, spins again, restores the flags
 * it found and returns the ones it read. `loop` leaves the flags alone. */
    .global rflags_across_syscall
    .type rflags_across_syscall, @function
rflags_across_syscall:
    pushq %rbx
    pushfq                          /* the caller's flags, restored at the end */
    movq %rsi, %rax
    movq %rcx, %rbx                 /* spins */
    orq $0x202, %rdi                /* reserved bit 1; IF stays on (IOPL 0) */
    pushq %rdi
    movq %rdx, %rdi
    popfq
    movq %rbx, %rcx
1:  loop 1b
    syscall
    pushfq
    movq %rbx, %rcx
2:  loop 2b
    popq %rax                       /* what the kernel handed back */
    popfq
    popq %rbx
    ret

    .section .note.GNU-stack, "", @progbits
