/* Memory accesses that may fault without killing the kernel. Each faulting
 * instruction has an entry in .exception_fixups; the #PF/#GP handlers look
 * the faulting RIP up there and resume at the fixup, which returns an error.
 * Used by the panic backtrace (a corrupt frame chain must not double fault)
 * and by tests; later by the copy-from/to-user path. */

    .section .text

/* int safe_read_u64(const uint64_t* address, uint64_t* value): 0 or 1 (faulted) */
    .global safe_read_u64
safe_read_u64:
    xorl %eax, %eax
1:  movq (%rdi), %rdx
    movq %rdx, (%rsi)
    ret
2:  movl $1, %eax
    ret

/* int safe_write_u64(uint64_t* address, uint64_t value): 0 or 1 (faulted) */
    .global safe_write_u64
safe_write_u64:
    xorl %eax, %eax
3:  movq %rsi, (%rdi)
    ret
4:  movl $1, %eax
    ret

    .section .exception_fixups, "a"
    .balign 8
    .quad 1b, 2b
    .quad 3b, 4b
