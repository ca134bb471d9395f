// Starting init: the first task, which receives handles to everything the
// kernel may delegate and decides who gets what.
#pragma once

#include "lib/mb2/boot_screen.h"
#include "lib/mb2/multiboot2.h"

namespace kernel {

// Loads the module named "init", gives it the boot resources (see
// lib/abi/init_boot_info.h) and starts it. Other modules become memory
// handles for init, and so does a framebuffer `screen` describes (device
// memory, with its geometry in the boot information). Panics if there is no
// usable init: nothing else could ever run.
void start_init(const bm::mb2::BootInfo& boot_info, const bm::mb2::BootScreen& screen);

}  // namespace kernel
