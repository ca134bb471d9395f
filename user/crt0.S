/* Entry of every ring-3 program. The kernel starts the main thread here with
 * rsp near the top of its stack and rdi = the argument its creator passed;
 * main's return value becomes the task's exit code. */
    .section .text.start, "ax"
    .global _start
_start:
    xorl %ebp, %ebp                       /* ends backtraces */
    andq $-16, %rsp                       /* the call below then aligns as the ABI wants */
    call user_runtime_start
1:  ud2                                   /* user_runtime_start does not return */
    jmp 1b
