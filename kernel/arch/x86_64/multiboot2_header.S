/* Multiboot2 header (Multiboot2 spec §3.1): GRUB looks for it in the first
 * 32 KiB of the image. It asks for ELF loading and names the entry point. */
#include "kernel/arch/x86_64/layout.h"

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0 /* 32-bit protected mode entry */
#define MB2_TAG_END 0
#define MB2_TAG_ENTRY_ADDRESS 3
#define MB2_TAG_OPTIONAL 1

    .section .multiboot2, "a"
    .balign 8
mb2_header_start:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header_start
    .long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header_start))

    /* Entry address tag (§3.1.6): the physical address of _start, because the
     * ELF entry field holds a higher-half address GRUB cannot jump to. */
    .balign 8
    .short MB2_TAG_ENTRY_ADDRESS
    .short 0
    .long 12
    .long _start - KERNEL_VMA

    .balign 8
    .short MB2_TAG_END
    .short 0
    .long 8
mb2_header_end:
