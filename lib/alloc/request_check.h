// The argument rules of allocate(), shared by every strategy so they agree
// on what a bad request is.
#pragma once

#include <stddef.h>

#include "lib/core/error.h"
#include "lib/core/utility.h"

namespace bm {

// kInvalidArgument for size 0; kBadAlignment for an alignment that is not a
// power of two or exceeds max_alignment; kOk otherwise.
constexpr Error check_allocation_request(size_t size, size_t alignment, size_t max_alignment) {
  if (size == 0) return Error::kInvalidArgument;
  if (!is_power_of_two(alignment) || alignment > max_alignment) return Error::kBadAlignment;
  return Error::kOk;
}

}  // namespace bm
