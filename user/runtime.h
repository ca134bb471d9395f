// What the runtime knows about the running program.
#pragma once

#include <stdint.h>

namespace user {

// The argument main was started with: the bootstrap handle for a server (for init, the
// address of its boot information).
uint64_t startup_argument();

}  // namespace user
