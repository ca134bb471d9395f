// Argument values biased toward the edges where checks go wrong: 0, -1,
// small numbers, powers of two, kernel-half and non-canonical addresses,
// unaligned and page-straddling pointers, live, stale and forged handles.
#pragma once

#include <stdint.h>

#include "test/fuzz/prng.h"
#include "test/fuzz/world.h"

namespace fuzz {

// Any 64-bit value, edges first.
uint64_t any_value(Prng& random);
// An address: inside, at the end of and past the scratch memory, in the
// program, stack and IPC buffer, below and above the user half, kernel half.
uint64_t pointer_value(Prng& random);
// A page-aligned address for memory_map: mostly the map area, sometimes
// the edges of the user half or an occupied page.
uint64_t map_address(Prng& random);
// A handle argument. `consuming`: the call may close or move it, so it is
// never a protected handle or a child's task handle (those become 0).
uint64_t handle_value(Prng& random, const World& world, bool consuming);
// A rights mask: mostly the five rights, sometimes unknown bits.
uint64_t rights_value(Prng& random);
// A timeout that cannot block for long: kDontWait, 1-2 ticks, or invalid.
uint64_t timeout_value(Prng& random);
// A message tag: label, word count, handle bit, sometimes reserved bits.
uint64_t tag_value(Prng& random);
// A length: small, at a limit, just past it, or anything.
uint64_t length_value(Prng& random, uint64_t limit);

// Printable bytes for debug_write and task names that point at valid memory.
extern const char kText[64];

}  // namespace fuzz
