/* Entry from ring 3 through `syscall` (Intel SDM vol. 2B SYSCALL; vol. 3A
 * §5.8.8). The CPU has put the user RIP in rcx and RFLAGS in r11, masked
 * IF/DF/TF/AC through IA32_FMASK, and left rsp pointing at the user stack.
 *
 * We switch to the thread's kernel stack and build the same InterruptFrame
 * an interrupt from ring 3 would, so the scheduler, fault and debugging
 * code see one frame layout. All general registers are restored from that
 * frame on the way out: nothing of the kernel's leaks to user space. */

#include "kernel/arch/x86_64/register_frame.inc"

#define USER_DATA_SELECTOR 0x1b
#define USER_CODE_SELECTOR 0x23
#define SYSCALL_VECTOR 0x100   /* not an IDT vector: marks a syscall frame */

    .section .text
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:16                     /* CpuLocal.user_stack_scratch */
    movq %gs:8, %rsp                      /* CpuLocal.kernel_stack_top */
    pushq $USER_DATA_SELECTOR             /* ss */
    pushq %gs:16                          /* rsp */
    pushq %r11                            /* rflags */
    pushq $USER_CODE_SELECTOR             /* cs */
    pushq %rcx                            /* rip */
    pushq $0                              /* error code */
    pushq $SYSCALL_VECTOR
    PUSH_GENERAL_REGISTERS
    xorl %ebp, %ebp                       /* backtraces stop at the user boundary */
    movq %rsp, %rdi
    call syscall_dispatch
    POP_GENERAL_REGISTERS
    addq $16, %rsp                        /* vector and error code */
    /* sysret loads RIP from rcx and RFLAGS from r11. A non-canonical RIP
     * would make sysret raise #GP in ring 0 on Intel CPUs (SDM vol. 2B
     * SYSRET), with the user's GS already loaded. Ring 3 cannot produce
     * one: the user half ends a page below the canonical boundary
     * (kUserSpaceEnd), so a `syscall` at the very end of the last user page
     * returns to 0x7ffffffff000 at most. Only a frame the kernel rewrote
     * (a new thread's entry, checked by thread_create) reaches this test;
     * it leaves through iretq, which faults in ring 3 instead on every CPU
     * this kernel supports. */
    movq 0(%rsp), %rcx
    movq %rcx, %r11
    shlq $16, %r11
    sarq $16, %r11
    cmpq %rcx, %r11
    jne 1f
    movq 16(%rsp), %r11                   /* rflags */
    movq 24(%rsp), %rsp                   /* user rsp; IF stays clear until sysret */
    swapgs
    sysretq
1:  swapgs
    iretq
