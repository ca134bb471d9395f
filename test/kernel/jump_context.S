/* Saves and restores the callee-saved registers (System V AMD64 ABI) plus
 * the stack pointer and return address; see jump_context.h. */
    .section .text
    .global jump_context_save
jump_context_save:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rdx                    /* the caller's rsp after our ret */
    movq %rdx, 48(%rdi)
    movq (%rsp), %rdx                     /* our return address */
    movq %rdx, 56(%rdi)
    xorl %eax, %eax
    ret

    .global jump_context_resume
jump_context_resume:
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    movl %esi, %eax
    jmpq *56(%rdi)
