/* Entry stubs for vectors 0-47. Each pushes a dummy error code where the CPU
 * does not push one (Intel SDM vol. 3A §6.13, table 6-1), then its vector
 * number, and jumps to the common path that saves the general registers and
 * calls interrupt_dispatch(InterruptFrame*). */

#include "kernel/arch/x86_64/register_frame.inc"

    .section .text

.macro STUB_NO_ERROR vector
    .balign 16
interrupt_stub_\vector:
    pushq $0
    pushq $\vector
    jmp interrupt_common
.endm

.macro STUB_WITH_ERROR vector
    .balign 16
interrupt_stub_\vector:
    pushq $\vector
    jmp interrupt_common
.endm

/* From ring 3, GS holds the user's base: swap in the kernel's per-CPU
 * base first (the frame's CS, 24 bytes up, tells where we came from).
 * The CPU loaded a null SS for the new CPL (SDM vol. 3A §6.14.4), which long
 * mode accepts, but syscall_entry runs with the flat SS that SYSCALL loads:
 * loading that one here too means the kernel always runs with one SS, and
 * QEMU's TCG, whose translated code depends on SS's attributes, translates
 * kernel code once instead of twice. An interrupt gate clears IF, TF, NT and
 * RF but keeps AC and DF (§6.12.1.3), so ring 3's flags are replaced by a
 * clean 0x2; the frame keeps the user's own for iretq. */
interrupt_common:
    testb $3, 24(%rsp)
    jz 1f
    swapgs
    movw kernel_stack_selector(%rip), %ss
    pushq $2
    popfq
1:  PUSH_GENERAL_REGISTERS
    cld                                   /* the C++ ABI expects DF clear */
    movq %rsp, %rdi
    /* The CPU aligned rsp to 16 before pushing its frame and we pushed 17
     * more quadwords: 22 * 8 = 176 bytes, so rsp is 16-byte aligned here. */
    call interrupt_dispatch
    /* New threads start here too: their first context switch "returns" to
     * this label with a prepared frame on the stack (kernel/sched). */
    .global interrupt_return
interrupt_return:
    POP_GENERAL_REGISTERS
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp                        /* vector and error code */
    iretq

STUB_NO_ERROR 0
STUB_NO_ERROR 1
STUB_NO_ERROR 2
STUB_NO_ERROR 3
STUB_NO_ERROR 4
STUB_NO_ERROR 5
STUB_NO_ERROR 6
STUB_NO_ERROR 7
STUB_WITH_ERROR 8
STUB_NO_ERROR 9
STUB_WITH_ERROR 10
STUB_WITH_ERROR 11
STUB_WITH_ERROR 12
STUB_WITH_ERROR 13
STUB_WITH_ERROR 14
STUB_NO_ERROR 15
STUB_NO_ERROR 16
STUB_WITH_ERROR 17
STUB_NO_ERROR 18
STUB_NO_ERROR 19
STUB_NO_ERROR 20
STUB_WITH_ERROR 21
STUB_NO_ERROR 22
STUB_NO_ERROR 23
STUB_NO_ERROR 24
STUB_NO_ERROR 25
STUB_NO_ERROR 26
STUB_NO_ERROR 27
STUB_NO_ERROR 28
STUB_WITH_ERROR 29
STUB_WITH_ERROR 30
STUB_NO_ERROR 31
.irp vector, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
STUB_NO_ERROR \vector
.endr

    .section .rodata
    .balign 8
    .global interrupt_stub_table
interrupt_stub_table:
.irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .quad interrupt_stub_\vector
.endr
