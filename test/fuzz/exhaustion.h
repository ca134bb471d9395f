// Running the kernel out of things on purpose: handle slots, memory and
// threads, each until the kernel says no, with a check that the companion
// echo server still answers while it does; then everything is given back.
#pragma once

#include "test/fuzz/world.h"

namespace fuzz {

// Round trip to echo with a recognisable message; false if it failed.
bool echo_answers(const World& world, uint64_t token);
// False (with a FUZZ FAIL line) if a check failed.
bool exhaust(const World& world);

}  // namespace fuzz
