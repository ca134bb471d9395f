// The x86_64 base page (and physical frame) size, 4 KiB: a page-table entry maps
// one (Intel SDM vol. 3A §4.5). The unit of mapping, of memory objects and of the IPC buffer.
#pragma once

#include <stdint.h>

namespace bm {

constexpr uint64_t kPageSize = 4096;

}  // namespace bm
