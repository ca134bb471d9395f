/* Virtual memory layout of the kernel, shared by assembly and C++.
 * Kept as plain macros so boot.S can use them too. */
#pragma once

/* The kernel image is linked at KERNEL_VMA + its physical load address
 * (1 MiB), i.e. in the top 2 GiB so -mcmodel=kernel works. */
#define KERNEL_VMA 0xffffffff80000000
#define KERNEL_PHYSICAL_BASE 0x100000

/* All physical memory is mapped here (the "direct map"), so the kernel can
 * reach page tables and frames by address arithmetic. */
#define PHYSICAL_MAP_BASE 0xffff800000000000

/* The kernel heap grows upward from here, mapped on demand. */
#define KERNEL_HEAP_BASE 0xffffc00000000000
#define KERNEL_HEAP_MAX_BYTES 0x40000000 /* 1 GiB */

/* Thread kernel stacks, each above an unmapped guard page. */
#define KERNEL_STACKS_BASE 0xffffc80000000000

/* Scratch virtual range the in-kernel tests may map and unmap freely. */
#define KERNEL_TEST_AREA_BASE 0xffffd00000000000

/* bm::kPageSize (lib/core/page_size.h) for the assembly, which cannot include
 * C++; C++ code uses bm::kPageSize, and kernel_paging.cpp checks that they agree. */
#define PAGE_SIZE 4096
#define KERNEL_STACK_SIZE 16384
