// The kernel's own exception policy: which exceptions it recovers from.
#pragma once

#include <stdint.h>

namespace arch {

// Installs handlers for #BP (log and continue) and #PF/#GP (resume at an
// exception fixup if there is one, otherwise report and halt).
void exceptions_init();

uint64_t breakpoint_count();

}  // namespace arch
