/* Entry of every ring-3 program. The kernel starts the main thread here with
 * rsp at the top of its stack (16-byte aligned) and rdi = the argument its
 * creator passed; main's return value becomes the task's exit code. */
    .section .text.start, "ax"
    .global _start
_start:
    xorl %ebp, %ebp                       /* ends backtraces */
    call user_runtime_start
1:  ud2                                   /* user_runtime_start does not return */
    jmp 1b
