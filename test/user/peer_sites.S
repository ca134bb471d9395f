/* The instructions the test peer runs on command (peer_protocol.h, Site).
 * Each is a small System V function (argument in rdi, result in rax) with a
 * global label on the instruction that may fault, so the peer can tell the
 * suite the exact RIP the kernel's fault report must carry. */

#define SITE_FUNCTION(name) \
    .global name;           \
    .type name, @function;  \
    name:
#define SITE(name) \
    .global name;  \
    name:

    .text

/* inb $0x60: the 8042 data port, not granted to the peer. */
SITE_FUNCTION(peer_in_port_0x60)
    xorl %eax, %eax
SITE(peer_in_port_0x60_site)
    inb $0x60, %al
    ret

/* rdi = port. */
SITE_FUNCTION(peer_in_port)
    movl %edi, %edx
    xorl %eax, %eax
SITE(peer_in_port_site)
    inb %dx, %al
    ret

/* rdi = port | value << 16. */
SITE_FUNCTION(peer_out_port)
    movl %edi, %edx
    movl %edi, %eax
    shrl $16, %eax
SITE(peer_out_port_site)
    outb %al, %dx
    xorl %eax, %eax
    ret

/* rdi = address. */
SITE_FUNCTION(peer_load)
SITE(peer_load_site)
    movq (%rdi), %rax
    ret

/* rdi = address, rsi = value. */
SITE_FUNCTION(peer_store)
SITE(peer_store_site)
    movq %rsi, (%rdi)
    xorl %eax, %eax
    ret

SITE_FUNCTION(peer_ud2)
SITE(peer_ud2_site)
    ud2
    ret

SITE_FUNCTION(peer_divide)
    xorl %ecx, %ecx
    movl $1, %eax
    xorl %edx, %edx
SITE(peer_divide_site)
    divl %ecx
    ret

SITE_FUNCTION(peer_hlt)
SITE(peer_hlt_site)
    hlt
    xorl %eax, %eax
    ret

SITE_FUNCTION(peer_cli)
SITE(peer_cli_site)
    cli
    xorl %eax, %eax
    ret

SITE_FUNCTION(peer_int_0x20)
SITE(peer_int_0x20_site)
    int $0x20
    xorl %eax, %eax
    ret

/* A trap: the kernel logs it and the peer continues after it. */
SITE_FUNCTION(peer_int3)
SITE(peer_int3_site)
    int3
    movl $1, %eax
    ret

/* sgdt into the 10 bytes at rdi; with UMIP on, #GP(0) in ring 3. */
SITE_FUNCTION(peer_sgdt)
SITE(peer_sgdt_site)
    sgdt (%rdi)
    movl $1, %eax
    ret

/* rdi = target; the fault, if any, is reported at the target. */
SITE_FUNCTION(peer_jump)
SITE(peer_jump_site)
    jmp *%rdi

    .section .note.GNU-stack, "", @progbits
