// Starting boot modules: each GRUB module2 is a static ELF64 executable that
// becomes a task with one thread.
#pragma once

#include <stdint.h>

#include "kernel/task/task.h"
#include "lib/core/result.h"
#include "lib/mb2/multiboot2.h"

namespace kernel {

// Validates the ELF image, creates a task named `name` and maps its
// segments with their own rights (text RX, rodata R, data RW + NX). No
// thread runs yet. A refused image is logged with the reason and changes
// nothing. The task may hold at most `frame_limit` frames, its image included
// (kOutOfMemory if the image alone is over).
bm::Result<Task*> create_task_from_image(const char* name, const void* image, uint64_t size,
                                         uint64_t frame_limit);

// Starts the task's main thread at its ELF entry with rdi = argument.
bm::Result<Thread*> start_main_thread(Task* task, unsigned priority, uint64_t argument);

}  // namespace kernel
