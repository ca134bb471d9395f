/* fuzz_syscall(Registers* r, uint64_t set_flags): see fuzz_syscall.h.
 * Loads rax/rdi/rsi/rdx/r10/r8/r9 from r, sentinels into rbx, rbp and
 * r12-r15, sets the requested RFLAGS bits with popfq right before
 * `syscall`, then records RFLAGS and clears those bits again at once (with
 * AC or DF set, ordinary compiled code would misbehave). */

#define SENTINEL_RBX 0x5b5b0000deadbee1
#define SENTINEL_RBP 0x5b5b0000deadbee2
#define SENTINEL_R12 0x5b5b0000deadbee3
#define SENTINEL_R13 0x5b5b0000deadbee4
#define SENTINEL_R14 0x5b5b0000deadbee5
#define SENTINEL_R15 0x5b5b0000deadbee6
/* ~(TF | DF | NT | AC) */
#define CLEAR_FLAGS ~0x44500

    .section .text
    .global fuzz_syscall
    .type fuzz_syscall, @function
fuzz_syscall:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdi                      /* r, read back after the call */
    movq %rsp, %r11
    pushq %r11                      /* rsp as it must be after the call */
    pushfq
    orq %rsi, (%rsp)
    movq %rdi, %r11
    movq 0(%r11), %rax
    movq 16(%r11), %rsi
    movq 24(%r11), %rdx
    movq 32(%r11), %r10
    movq 40(%r11), %r8
    movq 48(%r11), %r9
    movq 8(%r11), %rdi
    movabsq $SENTINEL_RBX, %rbx
    movabsq $SENTINEL_RBP, %rbp
    movabsq $SENTINEL_R12, %r12
    movabsq $SENTINEL_R13, %r13
    movabsq $SENTINEL_R14, %r14
    movabsq $SENTINEL_R15, %r15
    popfq                           /* the bits take effect here */
    syscall
    pushfq
    popq %rcx                       /* RFLAGS as the kernel returned it */
    movq %rcx, %r11
    andq $CLEAR_FLAGS, %r11
    pushq %r11
    popfq
    /* Collect the result before touching the stack slots. */
    movq 8(%rsp), %r11              /* r */
    movq %rax, 0(%r11)
    movq %rdi, 8(%r11)
    movq %rsi, 16(%r11)
    movq %rdx, 24(%r11)
    movq %r10, 32(%r11)
    movq %r8, 40(%r11)
    movq %r9, 48(%r11)
    movq %rcx, 56(%r11)
    xorl %eax, %eax
    movabsq $SENTINEL_RBX, %rcx
    cmpq %rcx, %rbx
    je 1f
    orl $1, %eax
1:  movabsq $SENTINEL_RBP, %rcx
    cmpq %rcx, %rbp
    je 2f
    orl $2, %eax
2:  movabsq $SENTINEL_R12, %rcx
    cmpq %rcx, %r12
    je 3f
    orl $4, %eax
3:  movabsq $SENTINEL_R13, %rcx
    cmpq %rcx, %r13
    je 4f
    orl $8, %eax
4:  movabsq $SENTINEL_R14, %rcx
    cmpq %rcx, %r14
    je 5f
    orl $16, %eax
5:  movabsq $SENTINEL_R15, %rcx
    cmpq %rcx, %r15
    je 6f
    orl $32, %eax
6:  leaq 8(%rsp), %rcx
    cmpq %rcx, 0(%rsp)
    je 7f
    orl $64, %eax
7:  popq %rcx                       /* the saved rsp */
    popq %rdi
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret
    .size fuzz_syscall, . - fuzz_syscall
