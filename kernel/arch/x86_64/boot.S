/* First code that runs: GRUB enters _start in 32-bit protected mode with
 * paging off (Multiboot2 spec §3.3). We check that we were loaded by a
 * Multiboot2 loader on a 64-bit CPU, clear .bss, build boot page tables,
 * enable long mode and jump to the kernel in the higher half.
 *
 * Boot page tables (2 MiB pages, Intel SDM vol. 3A §4.5):
 *   0x0000000000000000 + 0..4 GiB  identity, only until we reach the higher half
 *   0xffff800000000000 + 0..4 GiB  direct map of physical memory
 *   0xffffffff80000000 + 0..1 GiB  the kernel image
 * kernel/mm replaces them with final tables (4 KiB pages, per-section rights). */
#include "kernel/arch/x86_64/layout.h"

#define PHYS(symbol) ((symbol) - KERNEL_VMA)

#define MB2_BOOTLOADER_MAGIC 0x36d76289   /* in eax at entry, spec §3.3 */
#define COM1 0x3f8
#define DEBUG_CONSOLE_PORT 0xe9

#define CR0_PG (1 << 31)
#define CR0_WP (1 << 16)                  /* ring 0 honours read-only pages */
#define CR4_TSD (1 << 2)                  /* rdtsc in ring 0 only (SDM vol. 3A 2.5) */
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define PTE_PRESENT_WRITABLE 0x3
#define PDE_LARGE_PAGE 0x80
#define CPUID_EXT_LONG_MODE (1 << 29)     /* CPUID 0x80000001 edx */
#define CPUID_EXT_NX (1 << 20)
#define EFLAGS_ID (1 << 21)

    .section .text.boot, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    movl $PHYS(boot_stack_top), %esp
    movl %eax, %esi                       /* keep magic and info pointer */
    movl %ebx, %ebp
    rdtsc                                 /* boot-work figure: TSC at entry */
    movl %eax, PHYS(boot_entry_tsc)
    movl %edx, PHYS(boot_entry_tsc) + 4

    cmpl $MB2_BOOTLOADER_MAGIC, %esi
    jne .Lnot_multiboot2

    /* CPUID exists when EFLAGS.ID can be toggled. */
    pushfl
    popl %eax
    movl %eax, %ecx
    xorl $EFLAGS_ID, %eax
    pushl %eax
    popfl
    pushfl
    popl %eax
    cmpl %eax, %ecx
    je .Lno_long_mode

    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb .Lno_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $CPUID_EXT_LONG_MODE, %edx
    jz .Lno_long_mode
    movl %edx, %ebx                       /* feature bits for the NX check */

    /* Clear .bss (it holds the page tables and the stacks). The linker
     * script page-aligns both ends, so whole doublewords suffice. */
    movl $PHYS(__bss_start), %edi
    movl $PHYS(__bss_end), %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl

    movl %esi, PHYS(boot_multiboot_magic)
    movl %ebp, PHYS(boot_multiboot_info)

    /* PD entries: 2048 large pages = 4 GiB, in four consecutive tables. */
    movl $PHYS(boot_page_directories), %edi
    movl $(PTE_PRESENT_WRITABLE | PDE_LARGE_PAGE), %eax
    movl $2048, %ecx
1:  movl %eax, (%edi)
    movl $0, 4(%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 1b

    /* Low PDPT: four entries for 0..4 GiB. High PDPT: entry 510 = -2 GiB. */
    movl $PHYS(boot_pdpt_low), %edi
    movl $(PHYS(boot_page_directories) + PTE_PRESENT_WRITABLE), %eax
    movl $4, %ecx
2:  movl %eax, (%edi)
    addl $PAGE_SIZE, %eax
    addl $8, %edi
    loop 2b
    movl $(PHYS(boot_page_directories) + PTE_PRESENT_WRITABLE), PHYS(boot_pdpt_high) + 510 * 8

    /* PML4: identity (0), direct map (256), kernel (511). */
    movl $(PHYS(boot_pdpt_low) + PTE_PRESENT_WRITABLE), PHYS(boot_pml4)
    movl $(PHYS(boot_pdpt_low) + PTE_PRESENT_WRITABLE), PHYS(boot_pml4) + 256 * 8
    movl $(PHYS(boot_pdpt_high) + PTE_PRESENT_WRITABLE), PHYS(boot_pml4) + 511 * 8

    /* Time-stamp disable off, whatever the firmware left: ring 3 reads the TSC (user/tsc.h). */
    movl %cr4, %eax
    andl $~CR4_TSD, %eax
    orl $(CR4_PAE | CR4_PGE), %eax
    movl %eax, %cr4
    movl $PHYS(boot_pml4), %eax
    movl %eax, %cr3

    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    testl $CPUID_EXT_NX, %ebx
    jz 3f
    orl $EFER_NXE, %eax
    movb $1, PHYS(boot_cpu_has_nx)
3:  wrmsr

    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0

    lgdt PHYS(boot_gdt_pointer)
    ljmp $0x08, $PHYS(long_mode_entry)

.Lnot_multiboot2:
    movl $PHYS(message_not_multiboot2), %esi
    jmp .Lfatal
.Lno_long_mode:
    movl $PHYS(message_no_long_mode), %esi
.Lfatal:
    call early_serial_init
1:  lodsb
    testb %al, %al
    jz 2f
    call early_put_char
    jmp 1b
2:  cli
    hlt
    jmp 2b

/* 16550 at 115200 8N1 (divisor 1), polled. Only used for the messages above. */
early_serial_init:
    movw $(COM1 + 1), %dx
    xorb %al, %al
    outb %al, %dx                         /* IER: no interrupts */
    movw $(COM1 + 3), %dx
    movb $0x80, %al
    outb %al, %dx                         /* LCR: DLAB on */
    movw $(COM1 + 0), %dx
    movb $1, %al
    outb %al, %dx                         /* divisor low */
    movw $(COM1 + 1), %dx
    xorb %al, %al
    outb %al, %dx                         /* divisor high */
    movw $(COM1 + 3), %dx
    movb $0x03, %al
    outb %al, %dx                         /* LCR: 8 data bits, no parity, 1 stop */
    ret

early_put_char:
    movb %al, %ah
    movw $(COM1 + 5), %dx
1:  inb %dx, %al
    testb $0x20, %al                      /* LSR: transmit holding register empty */
    jz 1b
    movb %ah, %al
    movw $COM1, %dx
    outb %al, %dx
    movw $DEBUG_CONSOLE_PORT, %dx
    outb %al, %dx
    ret

    .code64
long_mode_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $higher_half_entry, %rax
    jmp *%rax

    .section .text
higher_half_entry:
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp                       /* ends the frame-pointer chain */
    call run_global_constructors
    movl boot_multiboot_magic(%rip), %edi
    movl boot_multiboot_info(%rip), %esi
    call kernel_main
1:  cli
    hlt
    jmp 1b

    .section .rodata
message_not_multiboot2:
    .asciz "BareMetal-OS: not started by a Multiboot2 loader (bad magic in eax); halting.\r\n"
message_no_long_mode:
    .asciz "BareMetal-OS: this CPU has no 64-bit long mode; halting.\r\n"

    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00209a0000000000              /* 0x08: 64-bit code, present, ring 0 */
    .quad 0x0000920000000000              /* 0x10: data, present, writable */
boot_gdt_end:
boot_gdt_pointer:
    .short boot_gdt_end - boot_gdt - 1
    .long PHYS(boot_gdt)

    .section .data
    .global boot_multiboot_magic, boot_multiboot_info, boot_cpu_has_nx, boot_entry_tsc
    .balign 8
boot_entry_tsc: .quad 0
boot_multiboot_magic: .long 0
boot_multiboot_info: .long 0
boot_cpu_has_nx: .byte 0

    .section .bss.page_tables, "aw", @nobits
    .balign PAGE_SIZE
    .global boot_pml4
boot_pml4: .skip PAGE_SIZE
boot_pdpt_low: .skip PAGE_SIZE
boot_pdpt_high: .skip PAGE_SIZE
boot_page_directories: .skip 4 * PAGE_SIZE
