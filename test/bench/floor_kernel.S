/* The boot-time floor for tools/bench: the smallest Multiboot2 kernel that
 * GRUB will start. It writes one line to COM1 and halts, so QEMU + BIOS +
 * GRUB + this is the least any kernel on the same ISO layout can take. */
#define COM1 0x3f8

    .section .multiboot2, "a"
    .balign 8
header_start:
    .long 0xe85250d6                      /* Multiboot2 magic */
    .long 0                               /* i386 protected mode */
    .long header_end - header_start
    .long -(0xe85250d6 + (header_end - header_start))
    .short 0                              /* end tag */
    .short 0
    .long 8
header_end:

    .section .text
    .code32
    .global _start
_start:
    movw $(COM1 + 3), %dx
    movb $0x80, %al
    outb %al, %dx                         /* DLAB on */
    movw $COM1, %dx
    movb $1, %al
    outb %al, %dx                         /* divisor 1: 115200 baud */
    movw $(COM1 + 1), %dx
    xorb %al, %al
    outb %al, %dx
    movw $(COM1 + 3), %dx
    movb $0x03, %al
    outb %al, %dx                         /* 8N1 */
    movl $message, %esi
1:  lodsb
    testb %al, %al
    jz 3f
    movb %al, %ah
    movw $(COM1 + 5), %dx
2:  inb %dx, %al
    testb $0x20, %al
    jz 2b
    movb %ah, %al
    movw $COM1, %dx
    outb %al, %dx
    jmp 1b
3:  cli
    hlt
    jmp 3b

    .section .rodata
message:
    .asciz "floor kernel ready.\r\n"
