// Loading init's ELF image: the one program the kernel loads itself, because nothing runs
// yet that could do it (seL4's root task starts the same way). Every other program is
// loaded in ring 3 by user/program_loader.h, from the same plan (lib/elf/load_plan.h).
#pragma once

#include <stdint.h>

#include "kernel/obj/address_space.h"
#include "lib/core/result.h"

namespace kernel {

// Validates the image and maps its segments into `space` with their own rights (text RX,
// rodata R, data RW + NX); returns the entry point. A refused image leaves `*reason` saying
// why (lib/elf's sentence, or the failing step).
bm::Result<uint64_t> load_init_image(AddressSpace& space, const void* image, uint64_t size,
                                     const char** reason);

}  // namespace kernel
