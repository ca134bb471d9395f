/* Multiboot2 header (Multiboot2 spec §3.1): GRUB looks for it in the first
 * 32 KiB of the image. It names the entry point and says which screens the
 * kernel can use: EGA text where the machine has it (BIOS), otherwise a linear
 * framebuffer (UEFI). Both are optional: the kernel boots without a screen. */
#include "kernel/arch/x86_64/layout.h"

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0 /* 32-bit protected mode entry */
#define MB2_TAG_END 0
#define MB2_TAG_ENTRY_ADDRESS 3
#define MB2_TAG_CONSOLE_FLAGS 4
#define MB2_TAG_FRAMEBUFFER 5
#define MB2_TAG_OPTIONAL 1
/* console_flags bit 1 (§3.1.8): the kernel can use EGA text; bit 0 (a console
 * is required) stays clear. */
#define MB2_CONSOLE_EGA_TEXT_SUPPORTED 2
/* The framebuffer mode we prefer (§3.1.10): a hint GRUB may overrule. 1024x768
 * gives 128x48 cells of the 8x16 font; 32 bpp is what UEFI GOP modes use. */
#define MB2_PREFERRED_WIDTH 1024
#define MB2_PREFERRED_HEIGHT 768
#define MB2_PREFERRED_DEPTH 32

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

    /* Console flags tag (§3.1.8): EGA text is fine where it exists. */
    .balign 8
    .short MB2_TAG_CONSOLE_FLAGS
    .short MB2_TAG_OPTIONAL
    .long 12
    .long MB2_CONSOLE_EGA_TEXT_SUPPORTED

    /* Framebuffer tag (§3.1.10): we can draw on a linear framebuffer too.
     * boot/grub.cfg keeps text mode on BIOS (gfxpayload=text). */
    .balign 8
    .short MB2_TAG_FRAMEBUFFER
    .short MB2_TAG_OPTIONAL
    .long 20
    .long MB2_PREFERRED_WIDTH
    .long MB2_PREFERRED_HEIGHT
    .long MB2_PREFERRED_DEPTH

    .balign 8
    .short MB2_TAG_END
    .short 0
    .long 8
mb2_header_end:
