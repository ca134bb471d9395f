// Starting boot modules: each GRUB module2 is a static ELF64 executable that
// becomes a task with one thread.
#pragma once

#include <stdint.h>

#include "kernel/obj/task.h"
#include "lib/core/result.h"
#include "lib/mb2/multiboot2.h"

namespace kernel {

// Validates the ELF image, creates a task named `name`, maps its segments
// with their own rights (text RX, rodata R, data RW + NX) and starts its
// main thread. A refused image is logged with the reason and changes nothing.
bm::Result<Task*> load_executable(const char* name, const void* image, uint64_t size,
                                  unsigned priority, uint64_t argument);

}  // namespace kernel
